// The streaming engine: results do not depend on chunking or threads, the fused integer kernel
// equals the round-trip path, zero/NaN groups are counted (never divide by zero), cancel and
// read errors come back as errors, and the registry falls back to the CPU.
#include "core/analysis/analysis_engine.h"
#include "core/analysis/analysis_json.h"
#include "core/analysis/cpu_analysis_engine.h"
#include "core/analysis/mixed_precision_planner.h"
#include "tests/core/support/bf16_safetensors_file.h"
#include "tests/core/support/memory_tensor_source.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cmath>
#include <random>

using namespace cstudio;

namespace {
std::vector<float> gaussian(std::size_t n, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 0.02f);
    std::vector<float> v(n);
    for (auto& x : v)
        x = normal(rng) * (rng() % 250 == 0 ? 6.0f : 1.0f);
    return v;
}

std::unique_ptr<test::MemoryTensorSource> makeModelPointer()
{
    auto pointer = std::make_unique<test::MemoryTensorSource>();
    auto& source = *pointer;
    source.add(QStringLiteral("layers.0.attn.q.weight"), {256, 512}, gaussian(256 * 512, 1), 0, QStringLiteral("attn_q"));
    source.add(QStringLiteral("layers.0.mlp.down.weight"), {512, 768}, gaussian(512 * 768, 2), 0, QStringLiteral("mlp_down"));
    source.add(QStringLiteral("layers.1.attn.q.weight"), {256, 512}, gaussian(256 * 512, 3), 1, QStringLiteral("attn_q"));
    source.add(QStringLiteral("layers.1.norm.weight"), {512}, std::vector<float>(512, 1.0f), 1, QStringLiteral("norm"));
    return pointer;
}

const char* kSchemes = "int8:tensor,int4:g64,uint4:g32,int4:ch,int4:tensor:mse,int3:g64:mse,nf4,nf4:dq,fp8_e4m3,mxfp4,nvfp4,bf16,q8_0,q4_k,q6_k";

AnalysisResult analyse(const TensorSource& source, qint64 chunk, int threads, bool histograms = true)
{
    AnalysisRequest request;
    request.schemes = parseSchemeList(QString::fromLatin1(kSchemes)).value();
    request.chunkElements = chunk;
    request.threads = threads;
    request.errorHistograms = histograms;
    auto result = CpuAnalysisEngine(threads).run(source, request, {});
    if (!result)
        qFatal("%s", qPrintable(result.error().toString()));
    return result.value();
}

}  // namespace

class AnalysisEngineTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void resultsDoNotDependOnChunkSizeOrThreads()
    {
        const auto model = makeModelPointer();
        const auto& source = *model;
        const AnalysisResult whole = analyse(source, 1 << 22, 1);
        const AnalysisResult streamed = analyse(source, 16384, 2);
        QCOMPARE(whole.tensors.size(), std::size_t(3));  // the 1-D norm is skipped
        QCOMPARE(whole.skippedTensors.size(), std::size_t(1));
        for (std::size_t s = 0; s < whole.model.size(); ++s) {
            const auto& a = whole.model[s].error;
            const auto& b = streamed.model[s].error;
            QVERIFY2(std::fabs(a.rmse() / b.rmse() - 1) < 1e-6, qPrintable(whole.model[s].scheme));
            QCOMPARE(a.maxAbsError, b.maxAbsError);
            QCOMPARE(a.groupCount, b.groupCount);
            QCOMPARE(whole.tensors[0].results[s].clipRatio, streamed.tensors[0].results[s].clipRatio);
        }
        // the same run twice is bit-identical (chunks merge in order)
        const AnalysisResult again = analyse(source, 16384, 2);
        for (std::size_t s = 0; s < whole.model.size(); ++s)
            QCOMPARE(again.model[s].error.sumSquaredError, streamed.model[s].error.sumSquaredError);
    }

    void aBf16FileStreamsWithoutStayingResident()
    {
        if (test::residentFileBytes() < 0)
            QSKIP("no /proc/self/status RssFile on this system");
        // 64 MiB of BF16 in one tensor, read in the engine's default chunks (256 Ki elements =
        // 512 KiB each): every chunk's pages go back once read (they stayed mapped before)
        QTemporaryDir dir;
        auto source = test::openBf16Safetensors(dir, 4096, 8192);
        QVERIFY2(source, source ? "" : qPrintable(source.error().toString()));
        AnalysisRequest request;
        request.schemes = parseSchemeList(QStringLiteral("int4:g64")).value();
        request.threads = 1;
        const qint64 before = test::residentFileBytes();
        auto result = CpuAnalysisEngine(1).run(*source.value(), request, {});
        QVERIFY(result);
        QCOMPARE(result.value().tensors.size(), std::size_t(1));
        const qint64 grown = test::residentFileBytes() - before;
        QVERIFY2(grown < (8 << 20), qPrintable(QStringLiteral("%1 MiB of the 64 MiB file stayed mapped").arg(grown >> 20)));
    }

    void storedBytesAreCopiedWithoutMappingThem()
    {
        // what the GPU engine's staging reads: the same bytes as rawBytes(), none of the
        // mapping's pages faulted in, and a clear error outside the tensor
        QTemporaryDir dir;
        auto source = test::openBf16Safetensors(dir, 2048, 8192);
        QVERIFY2(source, source ? "" : qPrintable(source.error().toString()));
        const TensorSource& s = *source.value();
        const qint64 before = test::residentFileBytes();
        std::vector<unsigned char> copy(std::size_t(2048) * 8192 * 2);
        QVERIFY(s.copyRawBytes(0, 0, copy));
        const qint64 grown = test::residentFileBytes() - before;
        if (before >= 0)
            QVERIFY2(grown < (4 << 20), qPrintable(QStringLiteral("%1 MiB of the 32 MiB tensor got mapped").arg(grown >> 20)));
        const RawTensorBytes raw = s.rawBytes(0);
        QCOMPARE(raw.size, qint64(copy.size()));
        QVERIFY(std::equal(copy.begin(), copy.end(), raw.data));
        std::vector<unsigned char> tail(100);
        QVERIFY(s.copyRawBytes(0, raw.size - 100, tail));
        QVERIFY(std::equal(tail.begin(), tail.end(), raw.data + raw.size - 100));
        const auto outside = s.copyRawBytes(0, raw.size - 50, tail);
        QVERIFY(!outside);
        QVERIFY2(outside.error().message.contains(QStringLiteral("not available")), qPrintable(outside.error().message));
    }

    void fusedIntegerKernelEqualsTheRoundTripPath()
    {
        const auto model = makeModelPointer();
        const auto& source = *model;
        const AnalysisResult fused = analyse(source, 65536, 2, false);
        const AnalysisResult roundTrip = analyse(source, 65536, 2, true);
        for (std::size_t s = 0; s < fused.model.size(); ++s) {
            QCOMPARE(fused.model[s].error.sumSquaredError, roundTrip.model[s].error.sumSquaredError);
            QCOMPARE(fused.model[s].error.maxAbsError, roundTrip.model[s].error.maxAbsError);
        }
        QCOMPARE(roundTrip.model[1].errorHistogram.total(), qint64(256 * 512 * 2 + 512 * 768));
    }

    void layersAndModelSumTheTensors()
    {
        const AnalysisResult r = analyse(*makeModelPointer(), 1 << 20, 2);
        QCOMPARE(r.layers.size(), std::size_t(2));
        QCOMPARE(r.layers[0].params, qint64(256 * 512 + 512 * 768));
        const double sum = r.tensors[0].results[1].error.sumSquaredError + r.tensors[1].results[1].error.sumSquaredError;
        QVERIFY(std::fabs(r.layers[0].results[1].error.sumSquaredError - sum) <= 1e-12 * sum);
        QCOMPARE(r.model[1].params, qint64(256 * 512 * 2 + 512 * 768));
        QVERIFY(r.tensors[1].weights.kurtosis() > 3.0);  // outliers make tails heavy
        QVERIFY(r.tensors[1].weights.shareBeyondSixSigma() > 0.0);
        // q4_k does not apply to 768-wide rows? 768 = 3 x 256: it does
        QVERIFY(r.tensors[1].results[13].applicable);
    }

    void zeroAndNonFiniteGroupsAreCountedNotDividedBy()
    {
        test::MemoryTensorSource source;
        std::vector<float> w = gaussian(64 * 64, 5);
        std::fill(w.begin(), w.begin() + 128, 0.0f);  // two zero groups of 64
        w[300] = NAN;                                   // poisons group 4
        w[1000] = INFINITY;                             // and group 15
        source.add(QStringLiteral("w"), {64, 64}, w);
        AnalysisRequest request;
        request.schemes = parseSchemeList(u"int4:g64,int8:tensor,nf4,q4_0").value();
        auto r = CpuAnalysisEngine(2).run(source, request, {});
        QVERIFY(r.ok());
        const auto& g64 = r->model[0].error;
        QCOMPARE(g64.groupCount, qint64(64));
        QCOMPARE(g64.zeroGroups, qint64(2));
        QCOMPARE(g64.nonFiniteGroups, qint64(2));
        QCOMPARE(g64.elementCount, qint64(62 * 64));
        QVERIFY(std::isfinite(g64.rmse()) && g64.rmse() > 0);
        QCOMPARE(r->model[1].error.nonFiniteGroups, qint64(1));  // the tensor-wide scale is undefined
        QCOMPARE(r->model[1].error.elementCount, qint64(0));
        QCOMPARE(r->tensors[0].weights.nonFiniteCount, qint64(2));
        QVERIFY(std::isfinite(r->model[2].error.rmse()));
        QCOMPARE(r->model[3].error.nonFiniteGroups, qint64(2));  // q4_0 blocks of 32: 9 and 31
        const auto json = analysisToJson(*r);
        QCOMPARE(json[QStringLiteral("schemes")].toArray().size(), 4);
    }

    void cancelAndReadErrorsComeBackAsErrors()
    {
        const auto model = makeModelPointer();
        const auto& source = *model;
        AnalysisRequest request;
        request.schemes = parseSchemeList(u"int4:g64").value();
        request.chunkElements = 4096;
        std::atomic_bool cancel{true};
        JobControl control;
        control.cancelRequested = &cancel;
        auto cancelled = CpuAnalysisEngine(2).run(source, request, control);
        QVERIFY(!cancelled.ok());
        QCOMPARE(cancelled.error().message, QStringLiteral("cancelled"));

        request.tensorIndices = {7};
        QVERIFY(!CpuAnalysisEngine(2).run(source, request, {}).ok());
        request.tensorIndices = {};
        request.schemes.clear();
        QVERIFY(!CpuAnalysisEngine(2).run(source, request, {}).ok());
    }

    void progressIsReportedOnTheCallingThreadUpToOne()
    {
        const auto model = makeModelPointer();
        const auto& source = *model;
        AnalysisRequest request;
        request.schemes = parseSchemeList(u"int4:g64,int8:tensor").value();
        request.chunkElements = 4096;
        double last = -1;
        bool sameThread = true;
        JobControl control;
        const auto caller = std::this_thread::get_id();
        control.onProgress = [&](double f, const QString&) {
            last = f;
            sameThread = sameThread && std::this_thread::get_id() == caller;
        };
        QVERIFY(CpuAnalysisEngine(2).run(source, request, control).ok());
        QCOMPARE(last, 1.0);
        QVERIFY(sameThread);
    }

    void registryFallsBackToTheCpu()
    {
        QVERIFY(availableAnalysisEngines().contains(QStringLiteral("cpu")));
        auto engine = createAnalysisEngine(QStringLiteral("cpu"));
        QVERIFY(engine.ok());
        QVERIFY(engine.value()->deviceName().startsWith(QStringLiteral("CPU")));
        QVERIFY(!createAnalysisEngine(QStringLiteral("no-such-engine")).ok());
        registerAnalysisEngine({QStringLiteral("fake-gpu"), 10, [] { return false; }, [] { return std::unique_ptr<AnalysisEngine>(); }});
        QCOMPARE(createAnalysisEngine().value()->id(), QStringLiteral("cpu"));  // unavailable: skipped
    }

    void plannerBeatsOrMatchesUniformSchemesWithinTheBudget()
    {
        AnalysisRequest request;
        request.schemes = parseSchemeList(u"int8:g64,int4:g64,int3:g64,int2:g64,q4_k").value();
        const auto r = CpuAnalysisEngine(2).run(*makeModelPointer(), request, {}).value();
        const auto plan = planMixedPrecision(r, PlanBudget::bitsPerWeight(4.25));
        QVERIFY(plan.ok());
        QVERIFY(plan->plan.fitsBudget);
        QVERIFY(plan->plan.bitsPerWeight <= 4.25 + 1e-9);
        for (const auto& u : plan->uniform)
            if (u.fitsBudget)
                QVERIFY2(plan->plan.totalSquaredError <= u.totalSquaredError * (1 + 1e-12), qPrintable(u.label));
        QVERIFY(!planMixedPrecision(r, PlanBudget::bitsPerWeight(1.0)).ok());  // below the smallest plan
        const auto generous = planMixedPrecision(r, PlanBudget::bitsPerWeight(16)).value();
        for (const auto& c : generous.choices)
            QCOMPARE(c.scheme, QStringLiteral("int8:g64"));
        const auto json = planToJson(*plan);
        QCOMPARE(json[QStringLiteral("tensors")].toArray().size(), 3);
        const auto gguf = planMixedPrecision(r, PlanBudget::bitsPerWeight(4.5)).value();
        for (const QString& a : llamaQuantizeArguments(gguf))
            QVERIFY(a == QLatin1String("--tensor-type") || a.endsWith(QLatin1String("=q4_k")));
    }
};

QTEST_GUILESS_MAIN(AnalysisEngineTest)
#include "test_analysis_engine.moc"
