#include "gpu/cuda_staging.h"

#include "core/quant/integer_quantizer.h"

#include <algorithm>
#include <cstring>
#include <cuda_runtime.h>
#include <future>

namespace cstudio {

namespace {

constexpr int kHistogramWords = 2 * gpu::kMaxSchemesPerPass * gpu::kHistogramBins;

Error cudaFailure(cudaError_t e, const char* what)
{
    return Error{{}, -1, QStringLiteral("CUDA %1 failed: %2").arg(QLatin1String(what), QString::fromLatin1(cudaGetErrorString(e)))};
}

#define CSTUDIO_CUDA_TRY(call, what)                 \
    do {                                             \
        const cudaError_t status_ = (call);          \
        if (status_ != cudaSuccess)                  \
            return cudaFailure(status_, what);       \
    } while (0)

gpu::RawEncoding encodingOf(const RawTensorBytes& raw)
{
    switch (raw.encoding) {
    case RawTensorBytes::Encoding::F16: return gpu::RawEncoding::F16;
    case RawTensorBytes::Encoding::BF16: return gpu::RawEncoding::BF16;
    default: return gpu::RawEncoding::F32;
    }
}

// The stored bytes read on up to 8 threads (the file's own reads, so no page of the mapping is
// faulted in or left mapped). On the H100 machine one thread moves ~3 GB/s out of the page
// cache and 8 about 18 GB/s, while pinned uploads run at 53 GB/s: the reads set the pace. 16
// threads of 4 MiB were faster from the page cache but slower from a cold disk (78 % of dd's
// rate instead of 93 %), so the parts stay at 8 MiB.
Result<void> parallelRead(const TensorSource& source, int index, qint64 offset, std::span<unsigned char> out)
{
    constexpr qint64 kPart = 8 << 20;
    constexpr int kMostParts = 8;
    const auto bytes = static_cast<qint64>(out.size());
    const int parts = static_cast<int>(std::clamp<qint64>(bytes / kPart, 1, kMostParts));
    const qint64 part = (bytes / parts + 4095) / 4096 * 4096;
    std::vector<std::future<Result<void>>> jobs;
    for (int k = 1; k < parts; ++k) {
        const qint64 begin = k * part, end = std::min(bytes, (k + 1) * part);
        if (begin < end)
            jobs.push_back(std::async(std::launch::async, [&source, index, offset, out, begin, end] {
                return source.copyRawBytes(index, offset + begin, out.subspan(static_cast<std::size_t>(begin), static_cast<std::size_t>(end - begin)));
            }));
    }
    Result<void> result = source.copyRawBytes(index, offset, out.first(static_cast<std::size_t>(std::min(part, bytes))));
    for (auto& job : jobs)
        if (Result<void> done = job.get(); result && !done)
            result = done;
    return result;
}

template <class T>
cudaError_t growDevice(T*& pointer, qint64& capacity, qint64 count)
{
    if (count <= capacity)
        return cudaSuccess;
    if (pointer)
        cudaFree(pointer);
    pointer = nullptr;
    capacity = 0;
    const cudaError_t e = cudaMalloc(reinterpret_cast<void**>(&pointer), static_cast<std::size_t>(count) * sizeof(T));
    if (e == cudaSuccess)
        capacity = count;
    return e;
}

}  // namespace

struct CudaStaging::Slot {
    cudaStream_t stream = nullptr;
    unsigned char* weights = nullptr;
    qint64 capacity = 0;
    gpu::RawEncoding encoding = gpu::RawEncoding::F32;
    int elementBytes = 4;
    int maxBlocks = 0;
    gpu::SchemePartial* partials = nullptr;
    gpu::MomentPartial* moments = nullptr;
    unsigned long long* histograms = nullptr;  // error bins then group bins, then 1 beyond count
    gpu::SchemePartial* hostPartials = nullptr;
    gpu::MomentPartial* hostMoments = nullptr;
    unsigned long long* hostHistograms = nullptr;
    std::array<float*, gpu::kMaxSchemesPerPass> groupRmse{};
    std::array<qint64, gpu::kMaxSchemesPerPass> groupRmseCapacity{};
    std::array<float*, gpu::kMaxSchemesPerPass> nf4Scales{};
    std::array<qint64, gpu::kMaxSchemesPerPass> nf4Capacity{};
    float* searchErrors = nullptr;
    qint64 searchCapacity = 0;
    std::vector<float> hostSearch;
    // the pass in flight
    bool pending = false;
    Pass pass = Pass::Analysis;
    int blocks = 0;
    qint64 first = 0, count = 0;
    bool keepGroups = false;
    std::vector<std::pair<int, std::vector<std::pair<qint64, qint64>>>> searchLayout;  // slot -> cpu chunks (first tile, tiles)
};

CudaStaging::CudaStaging() = default;

CudaStaging::~CudaStaging()
{
    for (auto& slot : slots_) {
        if (slot->stream)
            cudaStreamSynchronize(slot->stream);
        cudaFree(slot->weights);
        cudaFree(slot->partials);
        cudaFree(slot->moments);
        cudaFree(slot->histograms);
        cudaFree(slot->searchErrors);
        for (float* p : slot->groupRmse)
            cudaFree(p);
        for (float* p : slot->nf4Scales)
            cudaFree(p);
        cudaFreeHost(slot->hostPartials);
        cudaFreeHost(slot->hostMoments);
        cudaFreeHost(slot->hostHistograms);
        if (slot->stream)
            cudaStreamDestroy(slot->stream);
    }
    for (int k = 0; k < 2; ++k) {
        if (pinnedEvents_[static_cast<std::size_t>(k)])
            cudaEventDestroy(static_cast<cudaEvent_t>(pinnedEvents_[static_cast<std::size_t>(k)]));
        cudaFreeHost(pinned_[static_cast<std::size_t>(k)]);
    }
}

Result<void> CudaStaging::open(bool errorHistograms)
{
    errorHistograms_ = errorHistograms;
    std::size_t freeBytes = 0, totalBytes = 0;
    CSTUDIO_CUDA_TRY(cudaMemGetInfo(&freeBytes, &totalBytes), "cudaMemGetInfo");
    // Two slots of at most a third of free memory each; the rest for outputs and the runtime.
    slotBytes_ = static_cast<qint64>(freeBytes / 3);
    if (const QByteArray limit = qgetenv("CSTUDIO_CUDA_SLOT_MIB"); !limit.isEmpty())
        slotBytes_ = std::min(slotBytes_, limit.toLongLong() << 20);
    slotBytes_ = std::max<qint64>(slotBytes_, 16 << 20);
    pieceBytes_ = std::min<qint64>(pieceBytes_, slotBytes_);
    for (int k = 0; k < 2; ++k) {
        CSTUDIO_CUDA_TRY(cudaMallocHost(&pinned_[static_cast<std::size_t>(k)], static_cast<std::size_t>(pieceBytes_)), "cudaMallocHost");
        cudaEvent_t event = nullptr;
        CSTUDIO_CUDA_TRY(cudaEventCreateWithFlags(&event, cudaEventDisableTiming), "cudaEventCreate");
        pinnedEvents_[static_cast<std::size_t>(k)] = event;
    }
    const int maxBlocks = gpu::analysisBlocks(1LL << 40, gpu::kTensorWideBlock);
    for (int k = 0; k < 2; ++k) {
        auto slot = std::make_unique<Slot>();
        slot->maxBlocks = maxBlocks;
        CSTUDIO_CUDA_TRY(cudaStreamCreateWithFlags(&slot->stream, cudaStreamNonBlocking), "cudaStreamCreate");
        const std::size_t partialCount = static_cast<std::size_t>(maxBlocks) * gpu::kMaxSchemesPerPass;
        CSTUDIO_CUDA_TRY(cudaMalloc(&slot->partials, partialCount * sizeof(gpu::SchemePartial)), "cudaMalloc");
        CSTUDIO_CUDA_TRY(cudaMalloc(&slot->moments, static_cast<std::size_t>(maxBlocks) * sizeof(gpu::MomentPartial)), "cudaMalloc");
        CSTUDIO_CUDA_TRY(cudaMalloc(&slot->histograms, (kHistogramWords + 1) * sizeof(unsigned long long)), "cudaMalloc");
        CSTUDIO_CUDA_TRY(cudaMallocHost(&slot->hostPartials, partialCount * sizeof(gpu::SchemePartial)), "cudaMallocHost");
        CSTUDIO_CUDA_TRY(cudaMallocHost(&slot->hostMoments, static_cast<std::size_t>(maxBlocks) * sizeof(gpu::MomentPartial)), "cudaMallocHost");
        CSTUDIO_CUDA_TRY(cudaMallocHost(&slot->hostHistograms, (kHistogramWords + 1) * sizeof(unsigned long long)), "cudaMallocHost");
        slots_.push_back(std::move(slot));
    }
    return {};
}

Result<void> CudaStaging::upload(Slot& slot, const TensorSource& source, int index, const RawTensorBytes& raw, qint64 first,
                                 qint64 count)
{
    slot.encoding = raw.data ? encodingOf(raw) : gpu::RawEncoding::F32;
    slot.elementBytes = raw.data ? raw.elementBytes() : 4;
    const qint64 bytes = count * slot.elementBytes;
    if (bytes > slot.capacity) {
        CSTUDIO_CUDA_TRY(cudaStreamSynchronize(slot.stream), "cudaStreamSynchronize");
        CSTUDIO_CUDA_TRY(growDevice(slot.weights, slot.capacity, bytes), "cudaMalloc (weights)");
    }
    const qint64 pieceElements = pieceBytes_ / slot.elementBytes;
    for (qint64 done = 0; done < count; done += pieceElements) {
        const qint64 n = std::min(pieceElements, count - done);
        const std::size_t k = static_cast<std::size_t>(nextPinned_);
        nextPinned_ ^= 1;
        auto event = static_cast<cudaEvent_t>(pinnedEvents_[k]);
        CSTUDIO_CUDA_TRY(cudaEventSynchronize(event), "cudaEventSynchronize");
        if (raw.data) {
            const std::span<unsigned char> piece(static_cast<unsigned char*>(pinned_[k]), static_cast<std::size_t>(n * slot.elementBytes));
            if (auto read = parallelRead(source, index, (first + done) * slot.elementBytes, piece); !read)
                return read.error();
        } else {
            auto read = source.readFloats(index, first + done, std::span<float>(static_cast<float*>(pinned_[k]), static_cast<std::size_t>(n)));
            if (!read)
                return read.error();
        }
        CSTUDIO_CUDA_TRY(cudaMemcpyAsync(slot.weights + done * slot.elementBytes, pinned_[k], static_cast<std::size_t>(n * slot.elementBytes),
                                         cudaMemcpyHostToDevice, slot.stream),
                         "cudaMemcpyAsync (weights)");
        CSTUDIO_CUDA_TRY(cudaEventRecord(event, slot.stream), "cudaEventRecord");
    }
    return {};
}

Result<void> CudaStaging::launch(Slot& slot, Pass pass, const CudaTensorPlan& plan, const TensorRange& range,
                                 const WeightMoments& moments, qint64 first, qint64 count, bool keepGroups)
{
    slot.pending = true;
    slot.pass = pass;
    slot.first = first;
    slot.count = count;
    slot.keepGroups = keepGroups;
    slot.searchLayout.clear();
    if (pass == Pass::Search) {
        qint64 tilesTotal = 0;
        std::vector<std::pair<qint64, qint64>> chunks;  // CPU chunks inside this device chunk
        for (qint64 c = first; c < first + count;) {
            const qint64 cpuEnd = std::min(first + count, (c / plan.cpuChunkLength + 1) * plan.cpuChunkLength);
            const qint64 tiles = (cpuEnd - c + gpu::kSearchTile - 1) / gpu::kSearchTile;
            chunks.emplace_back(c, tiles);
            tilesTotal += tiles;
            c = cpuEnd;
        }
        int searched = 0;
        for (const int s : plan.launched)
            searched += plan.slots[static_cast<std::size_t>(s)].scheme->mseClip && plan.slots[static_cast<std::size_t>(s)].tensorWide ? 1 : 0;
        CSTUDIO_CUDA_TRY(growDevice(slot.searchErrors, slot.searchCapacity, std::max<qint64>(1, searched * tilesTotal * gpu::kClipRatioCount)),
                         "cudaMalloc (search)");
        qint64 offset = 0;
        for (const int s : plan.launched) {
            const CudaSchemeSlot& schemeSlot = plan.slots[static_cast<std::size_t>(s)];
            if (!(schemeSlot.scheme->mseClip && schemeSlot.tensorWide))
                continue;
            const gpu::DeviceScheme device = deviceScheme(schemeSlot, range);
            std::vector<std::pair<qint64, qint64>> layout;
            for (const auto& [start, tiles] : chunks) {
                CSTUDIO_CUDA_TRY(gpu::launchClipSearch(slot.weights + (start - first) * slot.elementBytes, slot.encoding,
                                                       std::min(first + count, start + tiles * gpu::kSearchTile) - start, device,
                                                       slot.searchErrors + offset * gpu::kClipRatioCount, slot.stream),
                                 "clip search kernel");
                layout.emplace_back(offset, tiles);
                offset += tiles;
            }
            slot.searchLayout.emplace_back(s, std::move(layout));
        }
        slot.hostSearch.resize(static_cast<std::size_t>(offset * gpu::kClipRatioCount));
        if (offset > 0)
            CSTUDIO_CUDA_TRY(cudaMemcpyAsync(slot.hostSearch.data(), slot.searchErrors, slot.hostSearch.size() * sizeof(float),
                                             cudaMemcpyDeviceToHost, slot.stream),
                             "cudaMemcpyAsync (search)");
        return {};
    }

    gpu::AnalysisLaunch L;
    L.raw = slot.weights;
    L.encoding = slot.encoding;
    L.elementCount = count;
    L.tensorRemaining = plan.info->elementCount - first;
    L.rowLength = static_cast<int>(std::min<qint64>(plan.info->rowLength(), 1 << 30));
    L.tileElements = plan.tileElements;
    L.errorHistograms = errorHistograms_ ? 1 : 0;
    if (pass == Pass::Moments) {
        L.schemeCount = 0;
        L.computeMoments = 1;
    } else {
        L.schemeCount = static_cast<int>(plan.launched.size());
        L.computeMoments = plan.prepass() ? 0 : 1;
        L.countBeyond = plan.prepass() ? 1 : 0;
        L.beyondMean = static_cast<float>(moments.mean());
        L.beyondThreshold = static_cast<float>(6.0 * moments.standardDeviation());
        for (int k = 0; k < L.schemeCount; ++k) {
            const std::size_t s = static_cast<std::size_t>(plan.launched[static_cast<std::size_t>(k)]);
            gpu::DeviceScheme& d = L.schemes[k];
            d = deviceScheme(plan.slots[s], range);
            const qint64 groups = (count + plan.slots[s].metricLength - 1) / plan.slots[s].metricLength;
            if (keepGroups && !plan.slots[s].tensorWide) {
                CSTUDIO_CUDA_TRY(growDevice(slot.groupRmse[static_cast<std::size_t>(k)], slot.groupRmseCapacity[static_cast<std::size_t>(k)], groups),
                                 "cudaMalloc (group errors)");
                d.keepGroupRmse = 1;
                d.groupRmse = slot.groupRmse[static_cast<std::size_t>(k)];
            }
            if (d.doubleQuantized) {
                CSTUDIO_CUDA_TRY(growDevice(slot.nf4Scales[static_cast<std::size_t>(k)], slot.nf4Capacity[static_cast<std::size_t>(k)], (count + 63) / 64),
                                 "cudaMalloc (nf4 scales)");
                CSTUDIO_CUDA_TRY(gpu::launchNf4DoubleQuant(slot.weights, slot.encoding, count, slot.nf4Scales[static_cast<std::size_t>(k)], slot.stream),
                                 "nf4 double-quantization kernel");
                d.nf4DecodeScales = slot.nf4Scales[static_cast<std::size_t>(k)];
            }
        }
    }
    L.blocks = gpu::analysisBlocks(count, plan.tileElements);
    slot.blocks = L.blocks;
    gpu::DeviceOutputs outputs{slot.partials, slot.moments, slot.histograms,
                               slot.histograms + gpu::kMaxSchemesPerPass * gpu::kHistogramBins, slot.histograms + kHistogramWords};
    CSTUDIO_CUDA_TRY(cudaMemsetAsync(slot.histograms, 0, (kHistogramWords + 1) * sizeof(unsigned long long), slot.stream), "cudaMemsetAsync");
    CSTUDIO_CUDA_TRY(gpu::launchAnalysis(L, outputs, slot.stream), "analysis kernel");
    const std::size_t partialCount = static_cast<std::size_t>(L.blocks) * static_cast<std::size_t>(std::max(L.schemeCount, 1));
    CSTUDIO_CUDA_TRY(cudaMemcpyAsync(slot.hostPartials, slot.partials, partialCount * sizeof(gpu::SchemePartial), cudaMemcpyDeviceToHost, slot.stream),
                     "cudaMemcpyAsync (partials)");
    CSTUDIO_CUDA_TRY(cudaMemcpyAsync(slot.hostMoments, slot.moments, static_cast<std::size_t>(L.blocks) * sizeof(gpu::MomentPartial),
                                     cudaMemcpyDeviceToHost, slot.stream),
                     "cudaMemcpyAsync (moments)");
    CSTUDIO_CUDA_TRY(cudaMemcpyAsync(slot.hostHistograms, slot.histograms, (kHistogramWords + 1) * sizeof(unsigned long long),
                                     cudaMemcpyDeviceToHost, slot.stream),
                     "cudaMemcpyAsync (histograms)");
    return {};
}

namespace {
void addMomentPartial(const gpu::MomentPartial& p, WeightMoments& moments)
{
    WeightMoments part;
    part.count = p.count;
    part.nonFiniteCount = p.nonFiniteCount;
    part.sum = p.sum;
    part.sumSquares = p.sumSquares;
    part.sumCubes = p.sumCubes;
    part.sumFourth = p.sumFourth;
    part.minValue = std::bit_cast<float>(p.minKey ^ ((p.minKey >> 31) & 0x7fffffff));
    part.maxValue = std::bit_cast<float>(p.maxKey ^ ((p.maxKey >> 31) & 0x7fffffff));
    const qint64 beyond = moments.beyondSixSigma;
    part.beyondSixSigma = beyond;
    moments.merge(part);
    moments.beyondSixSigma = beyond;
}

void addSchemePartial(const gpu::SchemePartial& p, SchemeAccumulator& accumulator)
{
    SchemeAccumulator part;
    ErrorMetrics& e = part.error;
    e.elementCount = p.elementCount;
    e.sumSquaredError = p.sumSquaredError;
    e.sumSquaredWeight = p.sumSquaredWeight;
    e.sumSquaredDequantized = p.sumSquaredDequantized;
    e.sumWeightTimesDequantized = p.sumWeightTimesDequantized;
    e.maxAbsError = std::bit_cast<float>(p.maxErrorKey);
    e.groupCount = p.groupCount;
    e.zeroGroups = p.zeroGroups;
    e.constantGroups = p.constantGroups;
    e.nonFiniteGroups = p.nonFiniteGroups;
    part.sawNonFinite = p.sawNonFinite != 0;
    accumulator.merge(part);
}
}  // namespace

Result<void> CudaStaging::harvest(Slot& slot, const CudaTensorPlan& plan, std::vector<SchemeAccumulator>& schemes,
                                  std::vector<std::vector<float>>& groupRmse, WeightMoments& moments,
                                  std::vector<std::array<double, gpu::kClipRatioCount>>& search, qint64& beyond)
{
    if (!slot.pending)
        return {};
    slot.pending = false;
    CSTUDIO_CUDA_TRY(cudaStreamSynchronize(slot.stream), "kernel execution");
    if (slot.pass == Pass::Search) {
        for (const auto& [s, layout] : slot.searchLayout) {
            auto& errors = search[static_cast<std::size_t>(s)];
            for (const auto& [offset, tiles] : layout)  // one CPU chunk: tiles summed in double, then added
                for (int c = 0; c < gpu::kClipRatioCount; ++c) {
                    double sum = 0;
                    for (qint64 t = 0; t < tiles; ++t)
                        sum += slot.hostSearch[static_cast<std::size_t>((offset + t) * gpu::kClipRatioCount + c)];
                    errors[static_cast<std::size_t>(c)] += sum;
                }
        }
        return {};
    }
    if (slot.pass == Pass::Moments || !plan.prepass())
        for (int b = 0; b < slot.blocks; ++b)
            addMomentPartial(slot.hostMoments[b], moments);
    if (slot.pass == Pass::Moments)
        return {};
    const int count = static_cast<int>(plan.launched.size());
    for (int b = 0; b < slot.blocks; ++b)
        for (int k = 0; k < count; ++k)
            addSchemePartial(slot.hostPartials[static_cast<std::size_t>(b) * count + k],
                             schemes[static_cast<std::size_t>(plan.launched[static_cast<std::size_t>(k)])]);
    for (int k = 0; k < count; ++k) {
        const std::size_t s = static_cast<std::size_t>(plan.launched[static_cast<std::size_t>(k)]);
        const unsigned long long* errorBins = slot.hostHistograms + k * gpu::kHistogramBins;
        const unsigned long long* groupBins = slot.hostHistograms + (gpu::kMaxSchemesPerPass + k) * gpu::kHistogramBins;
        for (int bin = 0; bin < gpu::kHistogramBins; ++bin) {
            schemes[s].errorHistogram.counts[static_cast<std::size_t>(bin)] += static_cast<qint64>(errorBins[bin]);
            schemes[s].groupRmseHistogram.counts[static_cast<std::size_t>(bin)] += static_cast<qint64>(groupBins[bin]);
        }
        if (slot.keepGroups && !plan.slots[s].tensorWide && slot.groupRmse[static_cast<std::size_t>(k)]) {
            const qint64 length = plan.slots[s].metricLength;
            const qint64 groups = (slot.count + length - 1) / length;
            CSTUDIO_CUDA_TRY(cudaMemcpy(groupRmse[s].data() + slot.first / length, slot.groupRmse[static_cast<std::size_t>(k)],
                                        static_cast<std::size_t>(groups) * sizeof(float), cudaMemcpyDeviceToHost),
                             "cudaMemcpy (group errors)");
        }
    }
    beyond += static_cast<qint64>(slot.hostHistograms[kHistogramWords]);
    return {};
}

Result<void> CudaStaging::analyseTensor(const TensorSource& source, const CudaTensorPlan& plan, const AnalysisRequest& request,
                                        std::vector<SchemeAccumulator>& schemes, std::vector<std::vector<float>>& groupRmse,
                                        WeightMoments& moments, TensorRange& range, qint64& beyondSixSigma,
                                        const JobControl& control, const std::function<void(qint64)>& progress)
{
    const qint64 n = plan.info->elementCount;
    const RawTensorBytes raw = source.rawBytes(plan.index);
    const qint64 elementBytes = raw.data ? raw.elementBytes() : 4;
    // Resident when it fits: read once for every pass. Otherwise chunks of ~256 MiB.
    qint64 chunk = n;
    if (!(plan.prepass() && n * elementBytes <= slotBytes_)) {
        const qint64 target = std::min<qint64>(slotBytes_, 256 << 20) / elementBytes;
        chunk = std::max(plan.alignment, target / plan.alignment * plan.alignment);
    }
    const qint64 chunks = (n + chunk - 1) / chunk;
    std::vector<std::array<double, gpu::kClipRatioCount>> search(plan.slots.size());
    for (auto& errors : search)
        errors.fill(0.0);
    const bool resident = chunks == 1;
    int next = 0;
    auto drain = [&]() -> Result<void> {
        for (auto& slot : slots_)
            if (auto ok = harvest(*slot, plan, schemes, groupRmse, moments, search, beyondSixSigma); !ok)
                return ok;
        return {};
    };
    // One pass over the tensor's chunks; passes after the first re-read only when not resident.
    auto pass = [&](Pass kind, bool reupload) -> Result<void> {
        for (qint64 c = 0; c < chunks; ++c) {
            if (control.cancelled())
                return Error{{}, -1, QStringLiteral("cancelled")};
            Slot& slot = *slots_[static_cast<std::size_t>(resident ? 0 : next)];
            next ^= 1;
            if (auto ok = harvest(slot, plan, schemes, groupRmse, moments, search, beyondSixSigma); !ok)
                return ok;
            const qint64 first = c * chunk, count = std::min(chunk, n - first);
            if (reupload)
                if (auto ok = upload(slot, source, plan.index, raw, first, count); !ok)
                    return ok;
            if (auto ok = launch(slot, kind, plan, range, moments, first, count, request.keepGroupErrors); !ok)
                return ok;
            if (kind == Pass::Analysis)
                progress(count);
        }
        return drain();
    };
    if (plan.prepass()) {
        if (auto ok = pass(Pass::Moments, true); !ok)
            return ok;
        const double clip = range.clipRatio;
        range = TensorRange{};
        range.nonFiniteCount = moments.nonFiniteCount;
        range.valid = moments.count > 0;
        if (range.valid) {
            range.minValue = static_cast<float>(moments.minValue);
            range.maxValue = static_cast<float>(moments.maxValue);
            range.absMax = std::max(std::fabs(range.minValue), std::fabs(range.maxValue));
        }
        range.clipRatio = static_cast<float>(clip);
        if (plan.needsSearch) {
            if (auto ok = pass(Pass::Search, !resident); !ok)
                return ok;
            for (std::size_t s = 0; s < plan.slots.size(); ++s)
                if (plan.slots[s].applicable && plan.slots[s].scheme->mseClip && plan.slots[s].tensorWide)
                    range.clipRatio = clipRatio(static_cast<int>(std::min_element(search[s].begin(), search[s].end()) - search[s].begin()));
        }
    }
    return pass(Pass::Analysis, !resident || !plan.prepass());
}

}  // namespace cstudio
