// The CPU engine's reported numbers are pinned bit for bit: every scheme's sums, maxima, group
// counts, error and group-RMSE histograms and every group's RMSE, for single-chunk and streamed
// tensors, with and without error histograms, read by copy or zero-copy from float32 bytes, are
// compared with values recorded from the engine before its speed work (tests/data/
// engine_golden.json). The CUDA engine mirrors this arithmetic operation for operation, so any
// change of order or precision here must show up as a failure, not pass silently. The weight
// moments are not pinned bit for bit (their sums may be reordered): they are checked against a
// long-double reference instead.
//
// To re-record after an intended change of arithmetic (and the matching GPU change):
//   CSTUDIO_RECORD_ENGINE_GOLDEN=tests/data/engine_golden.json ./test_engine_exactness
#include "core/analysis/cpu_analysis_engine.h"
// the 64-byte lane vectors are always inlined; GCC's ABI note for them is off here as in the core
#pragma GCC diagnostic ignored "-Wpsabi"
#include "core/analysis/lane_reduction.h"
#include "tests/core/support/memory_tensor_source.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

using namespace cstudio;

namespace {

using cstudio::test::MemoryTensorSource;

// Portable deterministic weights (xorshift, sum of 4 uniforms): the same on every compiler.
std::vector<float> weights(std::size_t n, std::uint64_t seed)
{
    std::uint64_t state = 0x9E3779B97F4A7C15ull * seed;
    auto next = [&] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return static_cast<float>(state >> 40) * (1.0f / 16777216.0f);
    };
    std::vector<float> w(n);
    for (auto& v : w) {
        const float gaussian = (next() + next() + next() + next() - 2.0f) * 1.7320508f;
        v = 0.02f * gaussian * (next() < 0.004f ? 6.0f : 1.0f);
    }
    return w;
}

// The test's four tensors (layers 0-3), their bytes offered in place or not.
void fillSource(MemoryTensorSource& source, bool rawBytes)
{
    source.offerRawBytes(rawBytes);
    std::vector<float> a = weights(512 * 512, 1);
    std::fill(a.begin() + 4096, a.begin() + 4096 + 512, 0.0f);     // zero groups
    std::fill(a.begin() + 8192, a.begin() + 8192 + 512, 0.0123f);  // constant groups
    std::fill(a.begin() + 20000, a.begin() + 20000 + 300, -0.5f);  // constant, straddling groups
    source.add(QStringLiteral("a.weight"), {512, 512}, std::move(a), 0);
    source.add(QStringLiteral("b.weight"), {37, 100}, weights(37 * 100, 2), 1);  // short last groups
    std::vector<float> c = weights(64 * 1024, 3);
    c[1000] = std::numeric_limits<float>::quiet_NaN();
    c[30000] = std::numeric_limits<float>::infinity();
    source.add(QStringLiteral("c.weight"), {64, 1024}, std::move(c), 2);
    std::vector<float> d = weights(96 * 768, 4);  // a large mean: moments must not cancel
    for (auto& v : d)
        v += 3.0f;
    source.add(QStringLiteral("d.weight"), {96, 768}, std::move(d), 3);
}

const char* kSchemes =
    "int8:tensor,int8:g64,int4:tensor,int4:g64,int3:tensor,int3:g64,int2:tensor,int2:g64,"
    "uint4:g32,uint8:tensor,int4:ch,int6:g128,int4:tensor:mse,int3:g64:mse,uint3:g64:mse,"
    "nf4,nf4:dq,fp8_e4m3,fp8_e5m2,mxfp4,nvfp4,bf16,fp16,q8_0,q4_0,q4_1,q5_0,q5_1,q2_k,q3_k,q4_k,q5_k,q6_k";

struct Config {
    const char* name;
    qint64 chunk;
    bool histograms;
    bool outlierShare;
    bool rawBytes;
    int threads;
};

const Config kConfigs[] = {
    {"whole tensors, histograms", 1 << 22, true, false, false, 2},
    {"whole tensors, no histograms, zero-copy", 1 << 22, false, false, true, 2},
    {"streamed, histograms, outlier share", 16384, true, true, false, 2},
    {"streamed, no histograms", 16384, false, false, false, 1},
    {"streamed, no histograms, zero-copy", 16384, false, true, true, 2},
};

QString bits(double v)
{
    return QString::number(std::bit_cast<quint64>(v), 16);
}

QString digest(const void* data, std::size_t bytes)
{
    quint64 h = 1469598103934665603ull;  // FNV-1a
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < bytes; ++i)
        h = (h ^ p[i]) * 1099511628211ull;
    return QString::number(h, 16);
}

QJsonObject record(const SchemeMetrics& m)
{
    const ErrorMetrics& e = m.error;
    QJsonObject o;
    o[QStringLiteral("applicable")] = m.applicable;
    o[QStringLiteral("bytes")] = QString::number(m.bytes);
    o[QStringLiteral("elements")] = QString::number(e.elementCount);
    o[QStringLiteral("sse")] = bits(e.sumSquaredError);
    o[QStringLiteral("ssw")] = bits(e.sumSquaredWeight);
    o[QStringLiteral("ssd")] = bits(e.sumSquaredDequantized);
    o[QStringLiteral("cross")] = bits(e.sumWeightTimesDequantized);
    o[QStringLiteral("maxerr")] = bits(e.maxAbsError);
    o[QStringLiteral("groups")] = QStringLiteral("%1/%2/%3/%4").arg(e.groupCount).arg(e.zeroGroups).arg(e.constantGroups).arg(e.nonFiniteGroups);
    o[QStringLiteral("clip")] = bits(m.clipRatio);
    o[QStringLiteral("errhist")] = digest(m.errorHistogram.counts.data(), m.errorHistogram.counts.size() * sizeof(qint64));
    o[QStringLiteral("grouphist")] = digest(m.groupRmseHistogram.counts.data(), m.groupRmseHistogram.counts.size() * sizeof(qint64));
    return o;
}

QJsonObject record(const AnalysisResult& result)
{
    QJsonObject o;
    for (const TensorAnalysis& t : result.tensors) {
        QJsonObject tensor;
        for (std::size_t s = 0; s < t.results.size(); ++s) {
            QJsonObject r = record(t.results[s]);
            if (s < t.groupRmse.size())
                r[QStringLiteral("grouprmse")] = digest(t.groupRmse[s].data(), t.groupRmse[s].size() * sizeof(float));
            tensor[t.results[s].scheme] = r;
        }
        tensor[QStringLiteral("beyond6sigma")] = QString::number(t.weights.beyondSixSigma);
        o[t.name] = tensor;
    }
    QJsonObject model;
    for (const SchemeMetrics& m : result.model)
        model[m.scheme] = record(m);
    o[QStringLiteral("model")] = model;
    return o;
}

AnalysisResult analyse(const MemoryTensorSource& source, const Config& config)
{
    AnalysisRequest request;
    request.schemes = parseSchemeList(QString::fromLatin1(kSchemes)).value();
    request.chunkElements = config.chunk;
    request.errorHistograms = config.histograms;
    request.outlierShare = config.outlierShare;
    request.keepGroupErrors = true;
    request.threads = config.threads;
    auto result = CpuAnalysisEngine(config.threads).run(source, request, {});
    if (!result)
        qFatal("%s", qPrintable(result.error().toString()));
    return result.value();
}

// Differences between two recorded objects, as "path: expected vs actual" lines.
void compare(const QJsonValue& expected, const QJsonValue& actual, const QString& path, QStringList& differences)
{
    if (expected.isObject() && actual.isObject()) {
        const QJsonObject e = expected.toObject(), a = actual.toObject();
        for (auto it = e.begin(); it != e.end(); ++it)
            compare(it.value(), a.value(it.key()), path + QLatin1Char('/') + it.key(), differences);
        for (auto it = a.begin(); it != a.end(); ++it)
            if (!e.contains(it.key()))
                differences << path + QLatin1Char('/') + it.key() + QStringLiteral(": not recorded");
    } else if (expected != actual) {
        differences << QStringLiteral("%1: expected %2, got %3")
                           .arg(path, QString::fromUtf8(QJsonDocument(QJsonArray{expected}).toJson(QJsonDocument::Compact)),
                                QString::fromUtf8(QJsonDocument(QJsonArray{actual}).toJson(QJsonDocument::Compact)));
    }
}

}  // namespace

class EngineExactnessTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyReportedNumberEqualsTheRecordedEngineBitForBit()
    {
        QJsonObject actual;
        for (const Config& config : kConfigs) {
            MemoryTensorSource source;
            fillSource(source, config.rawBytes);
            actual[QString::fromLatin1(config.name)] = record(analyse(source, config));
        }
        const QString recordPath = qEnvironmentVariable("CSTUDIO_RECORD_ENGINE_GOLDEN");
        if (!recordPath.isEmpty()) {
            QFile out(recordPath);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(QJsonDocument(actual).toJson(QJsonDocument::Indented));
            QSKIP("recorded the engine's values; this run compared nothing");
        }
        QFile in(QStringLiteral(CSTUDIO_SOURCE_DIR "/tests/data/engine_golden.json"));
        QVERIFY2(in.open(QIODevice::ReadOnly), "tests/data/engine_golden.json is missing");
        const QJsonObject expected = QJsonDocument::fromJson(in.readAll()).object();
        QCOMPARE(expected.size(), static_cast<qsizetype>(std::size(kConfigs)));
        QStringList differences;
        compare(expected, actual, QString(), differences);
        QVERIFY2(differences.isEmpty(), qPrintable(QStringLiteral("%1 differences, first ones:\n").arg(differences.size()) +
                                                    differences.mid(0, 20).join(QLatin1Char('\n'))));
    }

    void sixteenGroupsAreReducedInTheReferencePairs()
    {
        // lanes of very different magnitudes: any other pairing or order rounds differently
        detail::Float16 rows[detail::kLanes];
        std::vector<float> lanes = weights(16 * 16, 9);
        for (std::size_t i = 0; i < lanes.size(); ++i)
            lanes[i] *= std::ldexp(1.0f, static_cast<int>(i % 23) - 11);
        std::memcpy(rows, lanes.data(), sizeof rows);
        const detail::Float16 sums = detail::reduceRows(rows, detail::Plus{});
        for (int g = 0; g < detail::kLanes; ++g) {
            float lane[detail::kLanes];
            std::memcpy(lane, &lanes[static_cast<std::size_t>(g) * 16], sizeof lane);
            for (int width = detail::kLanes / 2; width > 0; width /= 2)
                for (int k = 0; k < width; ++k)
                    lane[k] += lane[k + width];
            QVERIFY2(std::bit_cast<std::uint32_t>(sums[g]) == std::bit_cast<std::uint32_t>(lane[0]), qPrintable(QString::number(g)));
        }
        // and the scalar left-to-right sum would differ somewhere (the test can fail)
        bool anyDifferent = false;
        for (int g = 0; g < detail::kLanes; ++g) {
            float sequential = 0;
            for (int k = 0; k < detail::kLanes; ++k)
                sequential += lanes[static_cast<std::size_t>(g * 16 + k)];
            anyDifferent = anyDifferent || sequential != sums[g];
        }
        QVERIFY(anyDifferent);
    }

    void weightMomentsMatchALongDoubleReference()
    {
        for (const Config& config : kConfigs) {
            MemoryTensorSource source;
            fillSource(source, config.rawBytes);
            const AnalysisResult result = analyse(source, config);
            for (const TensorAnalysis& t : result.tensors) {
                std::vector<float> values(static_cast<std::size_t>(t.params));
                QVERIFY(source.readFloats(t.tensorIndex, 0, values));
                long double sum = 0, m2 = 0, m4 = 0;
                qint64 finite = 0;
                for (const float v : values)
                    if (std::isfinite(v)) {
                        sum += v;
                        ++finite;
                    }
                const long double mean = sum / finite;
                for (const float v : values)
                    if (std::isfinite(v)) {
                        const long double d = v - mean;
                        m2 += d * d;
                        m4 += d * d * d * d;
                    }
                const WeightMoments& w = t.weights;
                const QString at = QString::fromLatin1(config.name) + QLatin1Char(' ') + t.name;
                QCOMPARE(w.count, finite);
                QCOMPARE(w.nonFiniteCount, t.params - finite);
                const double variance = double(m2 / finite), sigma = std::sqrt(variance);
                // powers of (w - shift) in float, summed in double every 16 terms: ~1e-8 relative
                // to sigma whatever the mean (d.weight, mean 3 and sigma 0.02, included)
                QVERIFY2(std::fabs(w.mean() - double(mean)) < 1e-8 * sigma, qPrintable(at));
                QVERIFY2(std::fabs(w.standardDeviation() / sigma - 1.0) < 1e-7, qPrintable(at));
                const double kurtosis = double(finite * m4 / (m2 * m2));
                QVERIFY2(std::fabs(w.kurtosis() / kurtosis - 1.0) < 1e-6,
                         qPrintable(at + QStringLiteral(": kurtosis %1 vs %2").arg(w.kurtosis(), 0, 'g', 17).arg(kurtosis, 0, 'g', 17)));
            }
        }
    }
};

QTEST_APPLESS_MAIN(EngineExactnessTest)
#include "test_engine_exactness.moc"
