// Benchmark of the CUDA engine on 2 Gi BF16 weights (4 GiB): device copy bandwidth (the
// ceiling), the fused kernel for int4:g64 alone and for the 8-scheme seed sweep (weights
// resident on the device), and the whole engine from host memory (upload included).
// Usage: cstudio_gpu_bench [elements]   (run by gpu/run_on_device.sh)
#include "core/analysis/cpu_analysis_engine.h"
#include "core/dtypes/minifloat_rounding.h"
#include "core/quant/nf4_quantizer.h"
#include "gpu/cuda_analysis_engine.h"
#include "gpu/cuda_kernels.h"
#include "gpu/cuda_tensor_plan.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <algorithm>
#include <cstdio>
#include <cuda_runtime.h>
#include <random>

using namespace cstudio;

namespace {

class Bf16Source final : public TensorSource {
public:
    Bf16Source(std::vector<std::uint16_t> bits, qint64 rows, qint64 columns) : bits_(std::move(bits))
    {
        TensorInfo info;
        info.name = QStringLiteral("blk.0.weight");
        info.shape = {rows, columns};
        info.dtype = QStringLiteral("BF16");
        info.elementCount = rows * columns;
        info.byteSize = info.elementCount * 2;
        info.decodable = true;
        info.layer = 0;
        infos_.push_back(info);
    }
    QString displayName() const override { return QStringLiteral("bench"); }
    const std::vector<TensorInfo>& tensors() const override { return infos_; }
    Result<void> readFloats(int, qint64 first, std::span<float> out) const override
    {
        for (std::size_t i = 0; i < out.size(); ++i)
            out[i] = std::bit_cast<float>(static_cast<std::uint32_t>(bits_[static_cast<std::size_t>(first) + i]) << 16);
        return {};
    }
    RawTensorBytes rawBytes(int) const override
    {
        return {reinterpret_cast<const unsigned char*>(bits_.data()), static_cast<qint64>(bits_.size() * 2), RawTensorBytes::Encoding::BF16};
    }

private:
    std::vector<std::uint16_t> bits_;
    std::vector<TensorInfo> infos_;
};

#define CHECK(call)                                                                                   \
    do {                                                                                              \
        const cudaError_t e_ = (call);                                                                \
        if (e_ != cudaSuccess) {                                                                      \
            std::fprintf(stderr, "%s failed: %s\n", #call, cudaGetErrorString(e_));                   \
            std::exit(1);                                                                             \
        }                                                                                             \
    } while (0)

template <class F>
double medianMs(F&& f, int repeats)
{
    cudaEvent_t a, b;
    cudaEventCreate(&a);
    cudaEventCreate(&b);
    f();
    CHECK(cudaDeviceSynchronize());
    std::vector<float> times;
    for (int r = 0; r < repeats; ++r) {
        cudaEventRecord(a);
        f();
        cudaEventRecord(b);
        CHECK(cudaEventSynchronize(b));
        float ms = 0;
        cudaEventElapsedTime(&ms, a, b);
        times.push_back(ms);
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (!cudaAnalysisAvailable()) {
        std::printf("no CUDA device: nothing to measure\n");
        return 0;
    }
    const qint64 n = argc > 1 ? QByteArray(argv[1]).toLongLong() : (2LL << 30);
    const qint64 columns = 4096, rows = n / columns;
    std::printf("device: %s, %lld BF16 elements (%.2f GiB)\n", qPrintable(CudaAnalysisEngine().deviceName()), n, n * 2.0 / (1 << 30));
    std::vector<std::uint16_t> bits(static_cast<std::size_t>(n));
    {
        std::mt19937 rng(5);
        std::normal_distribution<float> normal(0.0f, 0.02f);
        for (auto& b : bits)
            b = encodeBf16(normal(rng));
    }
    void* weights = nullptr;
    void* copy = nullptr;
    CHECK(cudaMalloc(&weights, static_cast<std::size_t>(n) * 2));
    CHECK(cudaMalloc(&copy, static_cast<std::size_t>(n) * 2));
    CHECK(cudaMemcpy(weights, bits.data(), static_cast<std::size_t>(n) * 2, cudaMemcpyHostToDevice));
    const double bytes = n * 2.0;
    const double copyMs = medianMs([&] { cudaMemcpyAsync(copy, weights, static_cast<std::size_t>(bytes), cudaMemcpyDeviceToDevice); }, 10);
    const double copyRate = 2.0 * bytes / copyMs * 1e-9;  // read + write, TB/s
    std::printf("device copy: %.3f ms, %.2f TB/s read+write (the ceiling)\n", copyMs, copyRate);
    cudaFree(copy);

    gpu::DeviceTables tables{};
    for (int k = 0; k < 16; ++k)
        tables.nf4Levels[k] = kNf4Levels[static_cast<std::size_t>(k)];
    CHECK(gpu::uploadTables(tables));
    Bf16Source source(bits, rows, columns);
    const TensorInfo& info = source.tensors().front();

    auto timeKernel = [&](const char* list, bool histograms) {
        AnalysisRequest request;
        request.schemes = parseSchemeList(QString::fromLatin1(list)).value();
        const CudaTensorPlan plan = planCudaTensor(0, info, request);
        gpu::SchemePartial* partials = nullptr;
        gpu::MomentPartial* moments = nullptr;
        unsigned long long* hist = nullptr;
        CHECK(cudaMalloc(&partials, 4096 * 16 * sizeof(gpu::SchemePartial)));
        CHECK(cudaMalloc(&moments, 4096 * sizeof(gpu::MomentPartial)));
        CHECK(cudaMalloc(&hist, (2 * 16 * 192 + 1) * 8));
        gpu::DeviceOutputs outputs{partials, moments, hist, hist + 16 * 192, hist + 2 * 16 * 192};
        TensorRange range;
        range.absMax = 0.1f;
        range.minValue = -0.1f;
        range.maxValue = 0.1f;
        range.valid = true;
        gpu::AnalysisLaunch pre;
        pre.raw = weights;
        pre.encoding = gpu::RawEncoding::BF16;
        pre.elementCount = n;
        pre.tileElements = plan.tileElements;
        pre.computeMoments = 1;
        pre.blocks = gpu::analysisBlocks(n, plan.tileElements);
        gpu::AnalysisLaunch main = pre;
        main.computeMoments = plan.needsRange ? 0 : 1;
        main.errorHistograms = histograms ? 1 : 0;
        main.schemeCount = static_cast<int>(plan.launched.size());
        for (int k = 0; k < main.schemeCount; ++k)
            main.schemes[k] = deviceScheme(plan.slots[static_cast<std::size_t>(plan.launched[static_cast<std::size_t>(k)])], range);
        const double rangeMs = plan.needsRange ? medianMs([&] { CHECK(gpu::launchAnalysis(pre, outputs, nullptr)); }, 5) : 0.0;
        const double mainMs = medianMs([&] { CHECK(gpu::launchAnalysis(main, outputs, nullptr)); }, 5);
        const double total = rangeMs + mainMs;
        std::printf("  %-58s hist %-3s: %8.3f ms (range pass %.3f) -> %.3f TB/s of weights (%.0f%% of copy's bytes rate)\n", list,
                    histograms ? "on" : "off", total, rangeMs, bytes / total * 1e-9, 100.0 * (bytes / total * 1e-9) / copyRate);
        cudaFree(partials);
        cudaFree(moments);
        cudaFree(hist);
        return total;
    };
    std::printf("fused kernel, weights resident on the device (4 GiB BF16):\n");
    const char* sweep = "int8:tensor,int4:tensor,int3:tensor,int2:tensor,int8:g64,int4:g64,int3:g64,int2:g64";
    timeKernel("int4:g64", false);
    timeKernel("int4:g64", true);
    timeKernel(sweep, false);
    timeKernel(sweep, true);
    timeKernel("nf4,fp8_e4m3,mxfp4,nvfp4,q8_0,q4_0", false);
    timeKernel("q4_k,q6_k", false);
    cudaFree(weights);

    // The whole engine from host memory: upload through pinned staging + kernels + results.
    for (const char* list : {"int4:g64", sweep}) {
        AnalysisRequest request;
        request.schemes = parseSchemeList(QString::fromLatin1(list)).value();
        QElapsedTimer timer;
        timer.start();
        auto result = CudaAnalysisEngine().run(source, request, {});
        const double seconds = timer.nsecsElapsed() * 1e-9;
        if (!result) {
            std::printf("engine failed: %s\n", qPrintable(result.error().message));
            return 1;
        }
        std::printf("engine end to end from host memory, %-40s: %.3f s, %.2f GB/s of weights; int4:g64 rmse %.6g\n", list, seconds,
                    bytes / seconds * 1e-9, result.value().model.front().error.rmse());
    }
    return 0;
}
