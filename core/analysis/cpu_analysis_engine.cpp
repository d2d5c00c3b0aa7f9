#include "core/analysis/cpu_analysis_engine.h"

#include "core/analysis/analysis_aggregation.h"
#include "core/analysis/chunk_metrics.h"
#include "core/analysis/chunk_reading.h"
#include "core/quant/integer_quantizer.h"

#include <QElapsedTimer>
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <numeric>
#include <set>
#include <thread>

namespace cstudio {

namespace {

constexpr qint64 kTensorWideBlock = 256;  // metric blocks of schemes whose only group is the tensor
constexpr qint64 kTileTarget = 16384;     // elements quantized per scheme while the chunk is in cache

struct SchemeSlot {
    const Scheme* scheme = nullptr;
    bool applicable = true;
    QString note;
    bool tensorWide = false;     // one group = the whole tensor (":tensor", fp8, bf16, fp16)
    qint64 metricLength = 0;     // group length of the metrics (kTensorWideBlock when tensorWide)
};

// What one chunk contributes; merged into its tensor in chunk order (deterministic sums).
struct ChunkOutput {
    TensorRange range;
    WeightMoments moments;
    std::vector<std::array<double, kClipRatioCount>> searchErrors;  // per slot (":tensor:mse" only)
    std::vector<SchemeAccumulator> schemes;
    qint64 beyondSixSigma = 0;
};

struct TensorWork {
    int index = -1;
    const TensorInfo* info = nullptr;
    qint64 chunkLength = 0;
    qint64 chunkCount = 0;
    qint64 tileLength = 0;
    std::vector<SchemeSlot> slots;
    bool needsRange = false;
    bool needsSearch = false;
    bool prepass = false;  // several chunks and a tensor-wide scale: range pass first
    const float* mapped = nullptr;  // the tensor's float32 values in place (rawBytes): no copy
    std::set<qint64> extremesFor;   // group lengths whose groups' min/max a scheme reads

    TensorRange range;
    WeightMoments moments;
    bool momentsKnown = false;
    std::vector<std::array<double, kClipRatioCount>> searchErrors;
    std::vector<SchemeAccumulator> schemes;
    qint64 beyondSixSigma = 0;
    std::vector<std::vector<float>> groupRmse;

    std::mutex mutex;
    std::map<qint64, ChunkOutput> pending;
    qint64 nextChunk = 0;
};

enum class Stage { Range, Search, Analysis };

struct WorkerBuffers {
    std::vector<float> chunk, scratch;
    std::map<qint64, WeightGroups> groups;
    std::vector<GroupErrorState> states;  // per slot, across the tiles of a chunk
};

qint64 lcm64(qint64 a, qint64 b)
{
    return std::lcm(a, b);
}

// Integer and boolean tensors (token ids, position ids, masks) are not weights.
bool isFloatingPoint(const TensorInfo& info)
{
    QString type = info.dtype.toLower();
    while (!type.isEmpty() && QStringLiteral("<>|=").contains(type.front()))
        type.remove(0, 1);
    const bool integer = type.startsWith(QLatin1Char('i')) || type.startsWith(QLatin1Char('u'));
    const bool boolean = type.startsWith(QLatin1Char('b')) && !type.startsWith(QLatin1String("bf"));
    return !integer && !boolean;
}

bool isTensorWide(const Scheme& scheme)
{
    return scheme.granularity == Granularity::Tensor || scheme.granularity == Granularity::Element ||
           scheme.kind == SchemeKind::Fp8E4M3 || scheme.kind == SchemeKind::Fp8E5M2;
}

void mergeOutput(TensorWork& work, Stage stage, ChunkOutput& output)
{
    switch (stage) {
    case Stage::Range:
        work.range.merge(output.range);
        work.moments.merge(output.moments);
        break;
    case Stage::Search:
        for (std::size_t s = 0; s < work.searchErrors.size(); ++s)
            for (int c = 0; c < kClipRatioCount; ++c)
                work.searchErrors[s][static_cast<std::size_t>(c)] += output.searchErrors[s][static_cast<std::size_t>(c)];
        break;
    case Stage::Analysis:
        for (std::size_t s = 0; s < work.schemes.size(); ++s)
            work.schemes[s].merge(output.schemes[s]);
        if (!work.momentsKnown)
            work.moments.merge(output.moments);
        work.beyondSixSigma += output.beyondSixSigma;
        break;
    }
}

void deposit(TensorWork& work, Stage stage, qint64 chunk, ChunkOutput output)
{
    std::lock_guard lock(work.mutex);
    work.pending.emplace(chunk, std::move(output));
    for (auto it = work.pending.find(work.nextChunk); it != work.pending.end(); it = work.pending.find(work.nextChunk)) {
        mergeOutput(work, stage, it->second);
        work.pending.erase(it);
        ++work.nextChunk;
    }
}

void chooseClipRatios(TensorWork& work)
{
    for (std::size_t s = 0; s < work.slots.size(); ++s) {
        const auto& errors = work.searchErrors[s];
        if (work.slots[s].applicable && work.slots[s].scheme->mseClip && work.slots[s].tensorWide)
            work.range.clipRatio = clipRatio(static_cast<int>(std::min_element(errors.begin(), errors.end()) - errors.begin()));
    }
}

void searchChunk(const TensorWork& work, std::span<const float> values, ChunkOutput& output)
{
    output.searchErrors.assign(work.slots.size(), {});
    for (std::size_t s = 0; s < work.slots.size(); ++s)
        if (work.slots[s].applicable && work.slots[s].scheme->mseClip && work.slots[s].tensorWide)
            integerClipSearchErrors(*work.slots[s].scheme, values, work.range, output.searchErrors[s]);
}

// The heart of the engine: one chunk, every scheme, tile by tile from cache. Each tile is
// described once per group length (sums of squares, extents, flags: shared by every scheme of
// that group length), then every scheme runs over it while it is in L1/L2. The fused integer
// kernels carry their lanes and sums from tile to tile (GroupErrorState), so their sums are
// exactly those of one pass over the chunk; the round-trip path is per tile, as it always was.
void analyseChunk(TensorWork& work, qint64 first, std::span<const float> values, WorkerBuffers& buffers,
                  const AnalysisRequest& request, ChunkOutput& output)
{
    TensorRange range = work.range;
    if (work.chunkCount == 1) {  // the whole tensor is in memory: no prepass needed
        if (work.needsRange)
            range = TensorRange::of(values);
        if (work.needsSearch) {
            work.range = range;
            searchChunk(work, values, output);
            work.searchErrors = output.searchErrors;
            chooseClipRatios(work);
            range.clipRatio = work.range.clipRatio;
        }
        work.range = range;
    }
    const double beyondMean = work.momentsKnown ? work.moments.mean() : 0.0;
    const double beyondThreshold = work.momentsKnown ? 6.0 * work.moments.standardDeviation() : 0.0;
    output.schemes.assign(work.slots.size(), {});
    buffers.states.assign(work.slots.size(), {});
    const auto n = static_cast<qint64>(values.size());
    buffers.scratch.resize(static_cast<std::size_t>(std::min(work.tileLength, n)));
    for (qint64 start = 0; start < n; start += work.tileLength) {
        const qint64 len = std::min(work.tileLength, n - start);
        const auto tile = values.subspan(static_cast<std::size_t>(start), static_cast<std::size_t>(len));
        if (!work.momentsKnown)
            output.moments.add(tile);
        else
            output.beyondSixSigma += countBeyond(tile, beyondMean, beyondThreshold);
        for (auto& [length, groups] : buffers.groups)
            groups.groupLength = 0;
        for (std::size_t s = 0; s < work.slots.size(); ++s) {
            const SchemeSlot& slot = work.slots[s];
            if (!slot.applicable)
                continue;
            WeightGroups& groups = buffers.groups[slot.metricLength];
            if (groups.groupLength != slot.metricLength)
                describeWeightGroups(tile, slot.metricLength, groups, work.extremesFor.count(slot.metricLength) > 0);
            float* groupRmse = request.keepGroupErrors && !slot.tensorWide
                                   ? work.groupRmse[s].data() + (first + start) / slot.metricLength
                                   : nullptr;
            if (hasFusedIntegerKernel(*slot.scheme) && !request.errorHistograms) {
                // read once, quantize in registers: no dequantized array at all
                accumulateIntegerErrors(*slot.scheme, tile, groups, 0, range, !slot.tensorWide, buffers.states[s],
                                        output.schemes[s], groupRmse);
                continue;
            }
            const auto out = std::span<float>(buffers.scratch).first(static_cast<std::size_t>(len));
            slot.scheme->roundTrip(tile, out, range, work.info->rowLength());
            accumulateGroupErrors(tile, out, groups, 0, !slot.tensorWide, output.schemes[s], groupRmse);
            if (request.errorHistograms)
                accumulateErrorHistogram(tile, out, output.schemes[s].errorHistogram);
        }
    }
    for (std::size_t s = 0; s < work.slots.size(); ++s)
        if (work.slots[s].applicable && hasFusedIntegerKernel(*work.slots[s].scheme) && !request.errorHistograms)
            finishGroupErrors(buffers.states[s], output.schemes[s]);
    if (!work.momentsKnown && work.chunkCount == 1)  // one chunk: its moments are the tensor's
        output.beyondSixSigma = countBeyond(values, output.moments.mean(), 6.0 * output.moments.standardDeviation());
}

std::unique_ptr<TensorWork> planTensor(const TensorSource& source, int index, const TensorInfo& info, const AnalysisRequest& request)
{
    auto work = std::make_unique<TensorWork>();
    work->index = index;
    work->info = &info;
    work->mapped = floatsInPlace(source, index, info);
    qint64 alignment = 1, tileUnit = kTensorWideBlock;
    for (const Scheme& scheme : request.schemes) {
        SchemeSlot slot;
        slot.scheme = &scheme;
        slot.applicable = scheme.appliesTo(info, &slot.note);
        slot.tensorWide = isTensorWide(scheme);
        slot.metricLength = slot.tensorWide ? kTensorWideBlock : scheme.groupLength(info);
        if (slot.applicable) {
            alignment = lcm64(alignment, scheme.alignment(info));
            tileUnit = lcm64(tileUnit, lcm64(scheme.alignment(info), slot.metricLength));
            work->needsRange = work->needsRange || scheme.needsTensorRange();
            work->needsSearch = work->needsSearch || (scheme.mseClip && slot.tensorWide);
        }
        if (slot.applicable && hasFusedIntegerKernel(scheme) && scheme.kind == SchemeKind::AsymmetricInt && !slot.tensorWide)
            work->extremesFor.insert(slot.metricLength);  // the fused asymmetric kernel's zero points
        work->slots.push_back(slot);
    }
    alignment = lcm64(alignment, tileUnit);
    const qint64 target = std::max<qint64>(request.chunkElements, 1);
    work->chunkLength = std::min(info.elementCount, ((std::max(target, alignment) + alignment - 1) / alignment) * alignment);
    work->chunkLength = std::max<qint64>(work->chunkLength, 1);
    work->chunkCount = (info.elementCount + work->chunkLength - 1) / work->chunkLength;
    work->tileLength = std::max(tileUnit, (kTileTarget / tileUnit) * tileUnit);
    work->prepass = (work->needsRange || request.outlierShare) && work->chunkCount > 1;
    work->searchErrors.assign(work->slots.size(), {});
    work->schemes.assign(work->slots.size(), {});
    work->groupRmse.resize(work->slots.size());
    if (request.keepGroupErrors)
        for (std::size_t s = 0; s < work->slots.size(); ++s)
            if (work->slots[s].applicable && !work->slots[s].tensorWide)
                work->groupRmse[s].assign(static_cast<std::size_t>((info.elementCount + work->slots[s].metricLength - 1) / work->slots[s].metricLength), 0.0f);
    return work;
}

}  // namespace

CpuAnalysisEngine::CpuAnalysisEngine(int threads) : threads_(threads) {}

namespace {

QString cpuDeviceName(int threads)
{
    return QStringLiteral("CPU, %1 thread%2").arg(threads).arg(threads == 1 ? "" : "s");
}

}  // namespace

QString CpuAnalysisEngine::deviceName() const
{
    return cpuDeviceName(threads_ > 0 ? threads_ : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
}

Result<AnalysisResult> CpuAnalysisEngine::run(const TensorSource& source, const AnalysisRequest& request,
                                              const JobControl& control) const
{
    QElapsedTimer timer;
    timer.start();
    if (request.schemes.empty())
        return Error{{}, -1, QStringLiteral("no quantization scheme selected")};
    const auto& tensors = source.tensors();
    for (const int index : request.tensorIndices)
        if (index < 0 || index >= static_cast<int>(tensors.size()))
            return Error{source.displayName(), -1, QStringLiteral("tensor index %1 is out of range (%2 tensors)").arg(index).arg(tensors.size())};
    std::vector<int> selected;
    AnalysisResult result;
    for (int i = 0; i < static_cast<int>(tensors.size()); ++i) {
        const TensorInfo& info = tensors[static_cast<std::size_t>(i)];
        const bool wanted = request.tensorIndices.empty()
                                ? info.decodable && info.elementCount > 0 && isFloatingPoint(info) &&
                                      (request.includeOneDimensional || info.shape.size() >= 2)
                                : std::find(request.tensorIndices.begin(), request.tensorIndices.end(), i) != request.tensorIndices.end();
        if (wanted && (!info.decodable || info.elementCount <= 0))
            return Error{source.displayName(), -1, QStringLiteral("tensor '%1' (%2) cannot be decoded to float").arg(info.name, info.dtype)};
        if (wanted) {
            selected.push_back(i);
        } else {
            result.skippedTensors.push_back(i);
            result.skippedBytes += info.byteSize;
        }
    }

    std::vector<std::unique_ptr<TensorWork>> works;
    qint64 totalWork = 0;
    for (const int i : selected) {
        works.push_back(planTensor(source, i, tensors[static_cast<std::size_t>(i)], request));
        const TensorWork& w = *works.back();
        totalWork += w.info->elementCount * (1 + (w.prepass ? 1 : 0) + (w.needsSearch && w.chunkCount > 1 ? 1 : 0));
    }

    const int threadCount = request.threads > 0 ? request.threads
                            : threads_ > 0  ? threads_
                                            : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    std::atomic<qint64> processed{0};
    std::mutex errorMutex;
    std::optional<Error> firstError;
    std::atomic_bool failed{false};

    auto runStage = [&](Stage stage) {
        std::vector<std::pair<TensorWork*, qint64>> tasks;
        for (auto& w : works) {
            const bool wanted = stage == Stage::Analysis || (stage == Stage::Range && w->prepass) ||
                                (stage == Stage::Search && w->needsSearch && w->chunkCount > 1);
            if (!wanted)
                continue;
            w->nextChunk = 0;
            for (qint64 c = 0; c < w->chunkCount; ++c)
                tasks.emplace_back(w.get(), c);
        }
        std::atomic<std::size_t> next{0};
        std::atomic<int> finishedWorkers{0};
        std::mutex doneMutex;
        std::condition_variable done;
        auto worker = [&] {
            WorkerBuffers buffers;
            for (;;) {
                const std::size_t t = next.fetch_add(1);
                if (t >= tasks.size() || failed.load() || control.cancelled())
                    break;
                TensorWork& work = *tasks[t].first;
                const qint64 chunk = tasks[t].second;
                const qint64 first = chunk * work.chunkLength;
                const qint64 len = std::min(work.chunkLength, work.info->elementCount - first);
                std::span<const float> values;
                if (work.mapped) {
                    values = std::span<const float>(work.mapped + first, static_cast<std::size_t>(len));
                } else {
                    buffers.chunk.resize(static_cast<std::size_t>(len));
                    const Result<void> read = source.readFloats(work.index, first, buffers.chunk);
                    if (!read) {
                        std::lock_guard lock(errorMutex);
                        if (!firstError)
                            firstError = read.error();
                        failed = true;
                        break;
                    }
                    values = buffers.chunk;
                }
                ChunkOutput output;
                if (stage == Stage::Range) {
                    output.moments.add(values);
                    output.range = output.moments.range();  // the same extremes: one pass
                } else if (stage == Stage::Search) {
                    searchChunk(work, values, output);
                } else {
                    analyseChunk(work, first, values, buffers, request, output);
                }
                deposit(work, stage, chunk, std::move(output));
                if (work.mapped && stage == Stage::Analysis)  // the last read of these bytes
                    source.releaseRawBytes(work.index, first * 4, len * 4);
                processed += len;
            }
            {
                std::lock_guard lock(doneMutex);
                ++finishedWorkers;
            }
            done.notify_all();
        };
        const int count = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(threadCount), std::max<std::size_t>(tasks.size(), 1)));
        std::vector<std::thread> threads;
        for (int k = 0; k < count; ++k)
            threads.emplace_back(worker);
        std::unique_lock lock(doneMutex);
        while (finishedWorkers.load() < count) {
            done.wait_for(lock, std::chrono::milliseconds(50));
            lock.unlock();
            if (totalWork > 0)
                control.report(static_cast<double>(processed.load()) / static_cast<double>(totalWork),
                               QStringLiteral("%1 of %2 tensors").arg(std::min<qint64>(works.size(), 1 + static_cast<qint64>(std::count_if(works.begin(), works.end(), [](const auto& w) { return w->nextChunk >= w->chunkCount; })))).arg(works.size()));
            lock.lock();
        }
        lock.unlock();
        for (auto& thread : threads)
            thread.join();
        // after the stages that prepare tensor-wide scales
        for (auto& w : works) {
            if (stage == Stage::Range && w->prepass)
                w->momentsKnown = true;
            if (stage == Stage::Search && w->needsSearch && w->chunkCount > 1)
                chooseClipRatios(*w);
        }
    };

    for (const Stage stage : {Stage::Range, Stage::Search, Stage::Analysis}) {
        runStage(stage);
        if (failed)
            return *firstError;
        if (control.cancelled())
            return Error{{}, -1, QStringLiteral("cancelled")};
    }

    result.device = cpuDeviceName(threadCount);  // a request's own thread count included
    result.sourceName = source.displayName();
    result.schemes = request.schemes;
    for (auto& w : works) {
        TensorAnalysis tensor;
        tensor.tensorIndex = w->index;
        tensor.name = w->info->name;
        tensor.layer = w->info->layer;
        tensor.role = w->info->role;
        tensor.shape = w->info->shape;
        tensor.params = w->info->elementCount;
        tensor.weights = w->moments;
        tensor.weights.beyondSixSigma = (w->momentsKnown || w->chunkCount == 1) ? w->beyondSixSigma : -1;
        for (std::size_t s = 0; s < w->slots.size(); ++s)
            tensor.results.push_back(finishTensorScheme(*w->slots[s].scheme, *w->info, w->slots[s].applicable, w->slots[s].note,
                                                        w->slots[s].tensorWide, w->schemes[s], w->moments, w->range));
        if (request.keepGroupErrors)
            tensor.groupRmse = std::move(w->groupRmse);
        result.tensors.push_back(std::move(tensor));
    }
    aggregateLayersAndModel(result);
    result.seconds = static_cast<double>(timer.nsecsElapsed()) * 1e-9;
    control.report(1.0, QStringLiteral("done"));
    return result;
}

}  // namespace cstudio
