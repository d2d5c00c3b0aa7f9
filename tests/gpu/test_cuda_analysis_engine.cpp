// The CUDA engine must give the CPU engine's answers: bit-identical dequantized values for every
// scheme, and the same metrics on random and demo-model weights, from float32 and from bfloat16
// stored bytes: squared error, RMSE and SQNR to 1e-9 relative (each group's sums are formed
// exactly like the CPU's 16 lanes and halving reduction; only the double additions differ),
// counts, maxima, histograms and every group's RMSE exactly. The cosine's cross sums are kept
// in float lanes across groups by the CPU (flushed every ~1024 values), so it agrees to 1e-5,
// and the weight moments (float partial sums per 4096 values) to 1e-6.
// Skips, saying why, on machines without a CUDA device.
#include "core/analysis/analysis_engine.h"
#include "core/analysis/cpu_analysis_engine.h"
#include "core/dtypes/minifloat_rounding.h"
#include "core/formats/demo_model.h"
#include "core/quant/nf4_quantizer.h"
#include "gpu/cuda_analysis_engine.h"
#include "gpu/cuda_kernels.h"
#include "gpu/cuda_tensor_plan.h"
#include "tests/core/support/bf16_safetensors_file.h"

#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <cstring>
#include <cuda_runtime.h>
#include <random>

using namespace cstudio;

namespace {

// Tensors in memory, stored as float32 or bfloat16 (then rawBytes() offers the bf16 bytes).
class TestSource final : public TensorSource {
public:
    void add(const QString& name, std::vector<qint64> shape, std::vector<float> values, bool bf16, int layer)
    {
        TensorInfo info;
        info.name = name;
        info.shape = std::move(shape);
        info.dtype = bf16 ? QStringLiteral("BF16") : QStringLiteral("F32");
        info.elementCount = static_cast<qint64>(values.size());
        info.byteSize = info.elementCount * (bf16 ? 2 : 4);
        info.decodable = true;
        info.layer = layer;
        info.role = QStringLiteral("other");
        std::vector<std::uint16_t> half;
        if (bf16) {
            for (float& v : values) {
                half.push_back(encodeBf16(v));
                v = std::bit_cast<float>(static_cast<std::uint32_t>(half.back()) << 16);
            }
        }
        infos_.push_back(info);
        floats_.push_back(std::move(values));
        bf16_.push_back(std::move(half));
    }
    QString displayName() const override { return QStringLiteral("test"); }
    const std::vector<TensorInfo>& tensors() const override { return infos_; }
    Result<void> readFloats(int index, qint64 first, std::span<float> out) const override
    {
        const auto& d = floats_[static_cast<std::size_t>(index)];
        std::copy_n(d.begin() + first, out.size(), out.begin());
        return {};
    }
    RawTensorBytes rawBytes(int index) const override
    {
        const auto& h = bf16_[static_cast<std::size_t>(index)];
        if (h.empty())
            return {};
        return {reinterpret_cast<const unsigned char*>(h.data()), static_cast<qint64>(h.size() * 2), RawTensorBytes::Encoding::BF16};
    }

private:
    std::vector<TensorInfo> infos_;
    std::vector<std::vector<float>> floats_;
    std::vector<std::vector<std::uint16_t>> bf16_;
};

std::vector<float> randomWeights(qint64 n, unsigned seed, bool specials)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 0.02f);
    std::vector<float> w(static_cast<std::size_t>(n));
    for (auto& v : w)
        v = normal(rng) * (rng() % 250 == 0 ? 8.0f : 1.0f);
    if (specials && n > 70000) {
        std::fill(w.begin() + 4096, w.begin() + 4096 + 512, 0.0f);       // zero groups
        std::fill(w.begin() + 8192, w.begin() + 8192 + 512, 0.0123f);    // constant groups
        w[65536 + 7] = NAN;                                              // a NaN group / block
    }
    return w;
}

const char* kSchemeBatches[] = {
    "int8:tensor,int4:g64,int3:g64:mse,int2:g32,uint4:g128,uint3:g64:mse,int4:ch,int8:ch,int4:tensor:mse,uint8:tensor",
    "nf4,nf4:dq,fp8_e4m3,fp8_e5m2,mxfp4,nvfp4,bf16,fp16",
    "q8_0,q4_0,q4_1,q5_0,q5_1,q2_k,q3_k,q4_k,q5_k,q6_k",
};

bool close(double a, double b, double tolerance)
{
    if (std::isinf(a) || std::isinf(b))
        return a == b;
    return std::fabs(a - b) <= tolerance * std::max({std::fabs(a), std::fabs(b), 1e-300});
}

void compareMetrics(const SchemeMetrics& cpu, const SchemeMetrics& gpu, const QString& where)
{
    const QString at = where + QLatin1Char(' ') + cpu.scheme;
    QVERIFY2(cpu.applicable == gpu.applicable, qPrintable(at));
    QVERIFY2(cpu.error.elementCount == gpu.error.elementCount, qPrintable(at));
    QVERIFY2(cpu.error.groupCount == gpu.error.groupCount, qPrintable(at + QStringLiteral(" groups")));
    QVERIFY2(cpu.error.zeroGroups == gpu.error.zeroGroups, qPrintable(at));
    QVERIFY2(cpu.error.constantGroups == gpu.error.constantGroups, qPrintable(at));
    QVERIFY2(cpu.error.nonFiniteGroups == gpu.error.nonFiniteGroups, qPrintable(at));
    QVERIFY2(close(cpu.error.sumSquaredError, gpu.error.sumSquaredError, 1e-9), qPrintable(at + QStringLiteral(" squared error")));
    QVERIFY2(close(cpu.error.rmse(), gpu.error.rmse(), 1e-9),
             qPrintable(at + QStringLiteral(" rmse %1 vs %2").arg(cpu.error.rmse(), 0, 'g', 17).arg(gpu.error.rmse(), 0, 'g', 17)));
    QVERIFY2(close(cpu.error.sqnrDb(), gpu.error.sqnrDb(), 1e-9), qPrintable(at + QStringLiteral(" sqnr")));
    QVERIFY2(close(cpu.error.cosine(), gpu.error.cosine(), 1e-5), qPrintable(at + QStringLiteral(" cosine")));
    QVERIFY2(cpu.error.maxAbsError == gpu.error.maxAbsError, qPrintable(at + QStringLiteral(" max error")));
    QVERIFY2(cpu.errorHistogram.counts == gpu.errorHistogram.counts, qPrintable(at + QStringLiteral(" error histogram")));
    QVERIFY2(cpu.groupRmseHistogram.counts == gpu.groupRmseHistogram.counts, qPrintable(at + QStringLiteral(" group histogram")));
    QCOMPARE(cpu.clipRatio, gpu.clipRatio);
}

void compareResults(const AnalysisResult& cpu, const AnalysisResult& gpu)
{
    QCOMPARE(gpu.tensors.size(), cpu.tensors.size());
    for (std::size_t t = 0; t < cpu.tensors.size(); ++t) {
        const TensorAnalysis &a = cpu.tensors[t], &b = gpu.tensors[t];
        QCOMPARE(b.name, a.name);
        QCOMPARE(b.weights.count, a.weights.count);
        QCOMPARE(b.weights.nonFiniteCount, a.weights.nonFiniteCount);
        QCOMPARE(b.weights.minValue, a.weights.minValue);
        QCOMPARE(b.weights.maxValue, a.weights.maxValue);
        QVERIFY(std::fabs(a.weights.mean() - b.weights.mean()) <= 1e-6 * a.weights.standardDeviation());
        QVERIFY(close(a.weights.variance(), b.weights.variance(), 1e-6));  // the CPU's sums are about a shift
        QVERIFY(close(a.weights.kurtosis(), b.weights.kurtosis(), 1e-6));
        QCOMPARE(b.weights.beyondSixSigma, a.weights.beyondSixSigma);
        for (std::size_t s = 0; s < a.results.size(); ++s)
            compareMetrics(a.results[s], b.results[s], a.name);
        QCOMPARE(b.groupRmse.size(), a.groupRmse.size());
        for (std::size_t s = 0; s < a.groupRmse.size(); ++s) {
            QCOMPARE(b.groupRmse[s].size(), a.groupRmse[s].size());
            for (std::size_t g = 0; g < a.groupRmse[s].size(); ++g)
                QVERIFY2(std::memcmp(&a.groupRmse[s][g], &b.groupRmse[s][g], 4) == 0 ||
                             (std::isnan(a.groupRmse[s][g]) && std::isnan(b.groupRmse[s][g])),
                         qPrintable(QStringLiteral("%1 scheme %2 group %3").arg(a.name).arg(s).arg(g)));
        }
    }
    for (std::size_t s = 0; s < cpu.model.size(); ++s)
        compareMetrics(cpu.model[s], gpu.model[s], QStringLiteral("model"));
}

}  // namespace

class TestCudaAnalysisEngine : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        registerCudaAnalysisEngine();
        if (!cudaAnalysisAvailable())
            QSKIP("no CUDA device on this machine: the GPU engine is built but cannot run here");
        std::printf("device: %s\n", qPrintable(CudaAnalysisEngine().deviceName()));
    }

    void registryPrefersTheGpuWhenPresent()
    {
        QCOMPARE(availableAnalysisEngines().value(0), QStringLiteral("cuda"));
        auto engine = createAnalysisEngine();
        QVERIFY(engine);
        QCOMPARE(engine.value()->id(), QStringLiteral("cuda"));
    }

    void dequantizedValuesAreBitIdenticalToTheCpuQuantizers()
    {
        const qint64 rows = 24, rowLength = 1024;
        const std::vector<float> w = randomWeights(rows * rowLength, 7, true);
        TensorInfo info;
        info.shape = {rows, rowLength};
        info.elementCount = rows * rowLength;
        float* device = nullptr;
        float* out = nullptr;
        QCOMPARE(cudaMalloc(&device, w.size() * 4), cudaSuccess);
        QCOMPARE(cudaMalloc(&out, w.size() * 4), cudaSuccess);
        QCOMPARE(cudaMemcpy(device, w.data(), w.size() * 4, cudaMemcpyHostToDevice), cudaSuccess);
        gpu::DeviceTables tables{};
        for (int k = 0; k < 16; ++k)
            tables.nf4Levels[k] = kNf4Levels[static_cast<std::size_t>(k)];
        for (int k = 0; k < 15; ++k)
            tables.nf4Midpoints[k] = static_cast<float>((double(kNf4Levels[std::size_t(k)]) + double(kNf4Levels[std::size_t(k + 1)])) / 2.0);
        QCOMPARE(gpu::uploadTables(tables), cudaSuccess);
        float* scales = nullptr;
        QCOMPARE(cudaMalloc(&scales, (w.size() / 64 + 1) * 4), cudaSuccess);
        int checked = 0;
        for (const char* batch : kSchemeBatches) {
            auto schemes = parseSchemeList(QString::fromLatin1(batch));
            QVERIFY(schemes);
            for (const Scheme& scheme : schemes.value()) {
                if (scheme.mseClip && scheme.granularity == Granularity::Tensor)
                    continue;  // its clip ratio comes from the engine's search (compared below)
                std::vector<float> expected(w.size()), actual(w.size());
                const TensorRange range = TensorRange::of(w);
                scheme.roundTrip(w, expected, range, rowLength);
                CudaSchemeSlot slot;
                slot.scheme = &scheme;
                slot.tensorWide = isTensorWideScheme(scheme);
                slot.metricLength = slot.tensorWide ? 256 : scheme.groupLength(info);
                gpu::DeviceScheme d = deviceScheme(slot, range);
                if (d.doubleQuantized) {
                    QCOMPARE(gpu::launchNf4DoubleQuant(device, gpu::RawEncoding::F32, info.elementCount, scales, nullptr), cudaSuccess);
                    d.nf4DecodeScales = scales;
                }
                QCOMPARE(gpu::launchRoundTrip(device, gpu::RawEncoding::F32, info.elementCount, static_cast<int>(rowLength), d, out, nullptr),
                         cudaSuccess);
                QCOMPARE(cudaMemcpy(actual.data(), out, w.size() * 4, cudaMemcpyDeviceToHost), cudaSuccess);
                qint64 mismatches = 0, first = -1;
                for (std::size_t i = 0; i < w.size(); ++i)
                    if (std::memcmp(&expected[i], &actual[i], 4) != 0 && !(std::isnan(expected[i]) && std::isnan(actual[i]))) {
                        if (first < 0)
                            first = static_cast<qint64>(i);
                        ++mismatches;
                    }
                QVERIFY2(mismatches == 0, qPrintable(QStringLiteral("%1: %2 values differ, first at %3 (cpu %4, gpu %5)")
                                                         .arg(scheme.name).arg(mismatches).arg(first)
                                                         .arg(first >= 0 ? expected[std::size_t(first)] : 0.0f, 0, 'g', 9)
                                                         .arg(first >= 0 ? actual[std::size_t(first)] : 0.0f, 0, 'g', 9)));
                ++checked;
            }
        }
        cudaFree(device);
        cudaFree(out);
        cudaFree(scales);
        std::printf("%d schemes bit-identical\n", checked);
    }

    void metricsEqualTheCpuEngineOnRandomWeights_data()
    {
        QTest::addColumn<bool>("bf16");
        QTest::addColumn<qint64>("chunk");
        QTest::addColumn<bool>("outliers");
        QTest::newRow("float32") << false << qint64(1 << 20) << false;
        QTest::newRow("bfloat16") << true << qint64(1 << 20) << false;
        QTest::newRow("float32, small CPU chunks") << false << qint64(40000) << false;
        QTest::newRow("bfloat16, small CPU chunks, outlier share") << true << qint64(40000) << true;
    }
    void metricsEqualTheCpuEngineOnRandomWeights()
    {
        QFETCH(bool, bf16);
        QFETCH(qint64, chunk);
        QFETCH(bool, outliers);
        TestSource source;
        source.add(QStringLiteral("blk.0.wide"), {96, 4096}, randomWeights(96 * 4096, 1, true), bf16, 0);
        source.add(QStringLiteral("blk.0.narrow"), {768, 256}, randomWeights(768 * 256, 2, false), bf16, 0);
        source.add(QStringLiteral("blk.1.big"), {1536, 1024}, randomWeights(1536 * 1024, 3, false), bf16, 1);
        source.add(QStringLiteral("blk.1.odd"), {50, 384}, randomWeights(50 * 384, 4, false), bf16, 1);
        for (const char* batch : kSchemeBatches) {
            AnalysisRequest request;
            request.schemes = parseSchemeList(QString::fromLatin1(batch)).value();
            request.keepGroupErrors = true;
            request.chunkElements = chunk;
            request.outlierShare = outliers;
            auto cpu = CpuAnalysisEngine().run(source, request, {});
            auto gpu = CudaAnalysisEngine().run(source, request, {});
            QVERIFY(cpu);
            QVERIFY2(gpu, gpu ? "" : qPrintable(gpu.error().message));
            compareResults(cpu.value(), gpu.value());
        }
    }

    void metricsEqualTheCpuEngineOnTheDemoModel()
    {
        const auto demo = makeDemoModel();
        AnalysisRequest request;
        request.schemes = parseSchemeList(QStringLiteral("int8:tensor,int4:g64,int4:g128:mse,uint4:ch,nf4,fp8_e4m3,mxfp4,nvfp4,q8_0,q4_0,q4_k,q6_k")).value();
        auto cpu = CpuAnalysisEngine().run(*demo, request, {});
        auto gpu = CudaAnalysisEngine().run(*demo, request, {});
        QVERIFY(cpu);
        QVERIFY2(gpu, gpu ? "" : qPrintable(gpu.error().message));
        compareResults(cpu.value(), gpu.value());
        std::printf("demo model: cpu %.3f s, gpu %.3f s\n", cpu.value().seconds, gpu.value().seconds);
    }

    void integerCodesNearHalfIntegersRoundLikeTheCpuDivision()
    {
        // The integer passes multiply by 1/scale and fall back to the CPU's division where the
        // quotient is near a half-integer: weights at (k + 1/2) * scale, give or take an ulp, put
        // every element there (scale = absmax / 7 of each group of 64, as int4 computes it).
        std::mt19937 rng(21);
        std::uniform_real_distribution<float> extent(0.5f, 2.0f);
        std::vector<float> w(64 * 4096);
        int nearTies = 0;
        for (std::size_t g = 0; g < w.size() / 64; ++g) {
            const float absMax = extent(rng);
            const float scale = absMax * 1.0f / 7.0f;
            w[g * 64] = (rng() & 1) ? absMax : -absMax;
            for (std::size_t i = 1; i < 64; ++i) {
                const float half = static_cast<float>(static_cast<int>(rng() % 14) - 7) + 0.5f;
                float x = half * scale;
                const int nudge = static_cast<int>(rng() % 3) - 1;
                x = nudge < 0 ? std::nextafter(x, -INFINITY) : (nudge > 0 ? std::nextafter(x, INFINITY) : x);
                nearTies += std::fabs(std::fabs(x / scale - std::trunc(x / scale)) - 0.5f) < 1e-5f ? 1 : 0;
                w[g * 64 + i] = x;
            }
        }
        QVERIFY(nearTies > 200000);
        TestSource source;
        source.add(QStringLiteral("blk.0.halves"), {64, 4096}, w, false, 0);
        source.add(QStringLiteral("blk.1.tail"), {3, 1000}, randomWeights(3000, 22, false), false, 1);
        for (const char* batch : {"int4:g64,uint4:g64,int8:g64,int4:tensor,uint4:tensor", "int3:g32,uint8:g32,int4:tensor:mse",
                                  "int2:g128,uint4:g128,int8:tensor,uint2:tensor"}) {
            AnalysisRequest request;
            request.schemes = parseSchemeList(QString::fromLatin1(batch)).value();
            request.keepGroupErrors = true;
            auto cpu = CpuAnalysisEngine().run(source, request, {});
            auto gpu = CudaAnalysisEngine().run(source, request, {});
            QVERIFY(cpu);
            QVERIFY2(gpu, gpu ? "" : qPrintable(gpu.error().message));
            compareResults(cpu.value(), gpu.value());
        }
    }

    void aModelLargerThanTheDeviceSlotStreamsInChunks()
    {
        // A 64 MiB slot limit forces the streamed path (chunks, re-read for tensor-wide schemes).
        qputenv("CSTUDIO_CUDA_SLOT_MIB", "16");
        TestSource source;
        source.add(QStringLiteral("blk.0.a"), {4096, 2048}, randomWeights(4096 * 2048, 11, true), false, 0);
        source.add(QStringLiteral("blk.0.b"), {2048, 4096}, randomWeights(2048 * 4096, 12, false), true, 0);
        AnalysisRequest request;
        request.schemes = parseSchemeList(QStringLiteral("int8:tensor,int4:g64,int4:tensor:mse,nf4:dq,nvfp4,q4_k")).value();
        auto cpu = CpuAnalysisEngine().run(source, request, {});
        auto gpu = CudaAnalysisEngine().run(source, request, {});
        qunsetenv("CSTUDIO_CUDA_SLOT_MIB");
        QVERIFY(cpu);
        QVERIFY2(gpu, gpu ? "" : qPrintable(gpu.error().message));
        compareResults(cpu.value(), gpu.value());
    }

    void aBf16FileStreamsWithoutStayingResident()
    {
        if (test::residentFileBytes() < 0)
            QSKIP("no /proc/self/status RssFile on this system");
        // 64 MiB of BF16 through 16 MiB device slots: uploads read the file without mapping it
        qputenv("CSTUDIO_CUDA_SLOT_MIB", "16");
        QTemporaryDir dir;
        auto source = test::openBf16Safetensors(dir, 4096, 8192);
        QVERIFY2(source, source ? "" : qPrintable(source.error().toString()));
        AnalysisRequest request;
        request.schemes = parseSchemeList(QStringLiteral("int4:g64,int8:tensor")).value();
        const qint64 before = test::residentFileBytes();
        auto gpu = CudaAnalysisEngine().run(*source.value(), request, {});
        const qint64 grown = test::residentFileBytes() - before;
        qunsetenv("CSTUDIO_CUDA_SLOT_MIB");
        QVERIFY2(gpu, gpu ? "" : qPrintable(gpu.error().message));
        QVERIFY2(grown < (8 << 20), qPrintable(QStringLiteral("%1 MiB of the 64 MiB file stayed mapped").arg(grown >> 20)));
        auto cpu = CpuAnalysisEngine().run(*source.value(), request, {});
        QVERIFY(cpu);
        compareResults(cpu.value(), gpu.value());
    }
};

QTEST_GUILESS_MAIN(TestCudaAnalysisEngine)
#include "test_cuda_analysis_engine.moc"
