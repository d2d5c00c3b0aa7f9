// The scheme table: names parse to the right rows, storage adds up, every scheme's round trip
// is a sensible quantizer, and edge cases (zero, constant, NaN groups) never divide by zero.
#include "core/quant/gguf_quantize.h"
#include "core/quant/scheme.h"

#include <QTest>
#include <cmath>
#include <random>

using namespace cstudio;

namespace {
std::vector<float> gaussian(std::size_t n, unsigned seed, float sigma = 0.02f)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, sigma);
    std::vector<float> v(n);
    for (auto& x : v)
        x = normal(rng);
    return v;
}
double rmse(const std::vector<float>& a, const std::vector<float>& b)
{
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        s += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
    return std::sqrt(s / double(a.size()));
}
double roundTripRmse(const QString& name, const std::vector<float>& w, qint64 rowLength)
{
    const Scheme scheme = parseScheme(name).value();
    std::vector<float> out(w.size());
    scheme.roundTripTensor(w, out, rowLength);
    return rmse(w, out);
}
TensorInfo matrix(qint64 rows, qint64 cols)
{
    TensorInfo t;
    t.shape = {rows, cols};
    t.elementCount = rows * cols;
    return t;
}
}  // namespace

class SchemeTable : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void namesParseToCanonicalRows()
    {
        auto s = parseScheme(u"INT4");
        QVERIFY(s.ok());
        QCOMPARE(s->name, QStringLiteral("int4:g64"));
        QCOMPARE(s->groupSize, 64);
        QCOMPARE(parseScheme(u"uint8:ch")->granularity, Granularity::Channel);
        QCOMPARE(parseScheme(u"int4:g128:mse")->mseClip, true);
        QCOMPARE(parseScheme(u"q4_k")->llamaType, QStringLiteral("Q4_K"));
        QVERIFY(parseScheme(u"nf4:dq")->doubleQuantized);
        for (const auto& name : standardSchemeNames())
            QVERIFY2(parseScheme(name).ok(), qPrintable(name));
    }

    void badNamesSayWhatIsWrong()
    {
        auto s = parseScheme(u"int9");
        QVERIFY(!s.ok());
        QVERIFY(s.error().message.contains(QStringLiteral("2 to 8 bits")));
        QVERIFY(parseScheme(u"int4:g0").error().message.contains(QStringLiteral("group size")));
        QVERIFY(parseScheme(u"int4:xyz").error().message.contains(QStringLiteral("unknown option")));
        QVERIFY(parseScheme(u"foo").error().message.contains(QStringLiteral("unknown scheme")));
        QVERIFY(!parseSchemeList(u"").ok());
        QCOMPARE(parseSchemeList(u"int4,int4:g64,nf4")->size(), std::size_t(2));
    }

    void bitsPerWeightCountScalesAndZeroPoints()
    {
        const TensorInfo t = matrix(4096, 4096);
        QCOMPARE(parseScheme(u"int4:g64")->bitsPerWeight(t), 4.25);
        QCOMPARE(parseScheme(u"uint4:g64")->bitsPerWeight(t), 4.3125);
        QCOMPARE(parseScheme(u"nf4")->bitsPerWeight(t), 4.5);
        QCOMPARE(parseScheme(u"mxfp4")->bitsPerWeight(t), 4.25);
        QVERIFY(std::fabs(parseScheme(u"nvfp4")->bitsPerWeight(t) - 4.5) < 1e-5);
        QCOMPARE(parseScheme(u"q8_0")->bitsPerWeight(t), 8.5);
        QCOMPARE(parseScheme(u"q4_k")->bitsPerWeight(t), 4.5);
        QCOMPARE(parseScheme(u"q6_k")->bitsPerWeight(t), 6.5625);
        QCOMPARE(parseScheme(u"q2_k")->bitsPerWeight(t), 2.625);
        QCOMPARE(parseScheme(u"bf16")->bitsPerWeight(t), 16.0);
        QVERIFY(std::fabs(parseScheme(u"nf4:dq")->bitsPerWeight(t) - (4 + 8.0 / 64 + 64.0 / 16384)) < 1e-9);
    }

    void errorShrinksWithBitsAndFinerGroups()
    {
        const auto w = gaussian(256 * 64, 1);
        QVERIFY(roundTripRmse("int8:g64", w, 256) < roundTripRmse("int4:g64", w, 256));
        QVERIFY(roundTripRmse("int4:g64", w, 256) < roundTripRmse("int3:g64", w, 256));
        QVERIFY(roundTripRmse("int4:g32", w, 256) < roundTripRmse("int4:tensor", w, 256));
        QVERIFY(roundTripRmse("int4:g64:mse", w, 256) <= roundTripRmse("int4:g64", w, 256));
        QVERIFY(roundTripRmse("int4:tensor:mse", w, 256) <= roundTripRmse("int4:tensor", w, 256));
        QVERIFY(roundTripRmse("nf4", w, 256) < roundTripRmse("int4:g64", w, 256));  // NF4 suits gaussians
        QVERIFY(roundTripRmse("bf16", w, 256) < roundTripRmse("fp8_e4m3", w, 256));
        QVERIFY(roundTripRmse("fp16", w, 256) < roundTripRmse("bf16", w, 256));
        QVERIFY(roundTripRmse("nf4:dq", w, 256) < 1.05 * roundTripRmse("nf4", w, 256));
    }

    void kQuantsAreNoWorseThanRoundToNearestAtTheSameBits()
    {
        const auto w = gaussian(256 * 256, 2);
        QVERIFY(roundTripRmse("q4_k", w, 256) <= roundTripRmse("uint4:g32", w, 256));
        QVERIFY(roundTripRmse("q5_k", w, 256) <= roundTripRmse("uint5:g32", w, 256));
        QVERIFY(roundTripRmse("q2_k", w, 256) <= roundTripRmse("uint2:g16", w, 256));
        QVERIFY(roundTripRmse("q3_k", w, 256) <= roundTripRmse("int3:g16", w, 256));
        QVERIFY(roundTripRmse("q6_k", w, 256) <= roundTripRmse("int6:g16", w, 256));
    }

    void zeroConstantAndNonFiniteGroupsNeverDivideByZero()
    {
        for (const auto& name : standardSchemeNames()) {
            const Scheme scheme = parseScheme(name).value();
            std::vector<float> w(512, 0.0f);
            std::fill(w.begin() + 256, w.end(), 0.5f);  // zero half, constant half
            std::vector<float> out(w.size());
            scheme.roundTripTensor(w, out, 256);
            for (std::size_t i = 0; i < 256; ++i)
                QVERIFY2(out[i] == 0.0f, qPrintable(name));
            for (std::size_t i = 256; i < 512; ++i)
                QVERIFY2(std::isfinite(out[i]) && std::fabs(out[i] - 0.5f) <= 0.1f, qPrintable(name + QString::number(out[i])));
        }
    }

    void ggufEncodersWriteWholeBlocks()
    {
        const auto w = gaussian(512, 3);
        for (const char* name : {"q8_0", "q4_0", "q4_1", "q5_0", "q5_1", "q2_k", "q3_k", "q4_k", "q5_k", "q6_k"}) {
            const Scheme scheme = parseScheme(QString::fromLatin1(name)).value();
            const auto bytes = scheme.encode(w, TensorRange::of(w), 256);
            QVERIFY2(bytes.ok(), name);
            QCOMPARE(bytes->size(), qsizetype(512 / ggufBlockElements(scheme.kind) * ggufBlockBytes(scheme.kind)));
            QVERIFY(!scheme.encode(w, TensorRange::of(w), 100).ok());
            auto poisoned = w;
            poisoned[40] = NAN;
            QVERIFY(scheme.encode(poisoned, TensorRange::of(poisoned), 256).error().message.contains(QStringLiteral("NaN")));
            QString why;
            QVERIFY(!scheme.appliesTo(matrix(3, 100), &why));
            QVERIFY(why.contains(QStringLiteral("not a multiple")));
        }
    }

    void kQuantsSayWhatLlamaQuantizeStoresInsteadOfRowsTheyCannotTake()
    {
        // llama_tensor_get_type's fallbacks: q4_k -> q5_0, q5_k -> q5_1, q6_k -> q8_0,
        // q2_k/q3_k -> IQ4_NL; F16 where the fallback's 32-block does not fit either
        const std::pair<const char*, const char*> expected[] = {
            {"q4_k", "as q5_0 (add q5_0 to compare)"}, {"q5_k", "as q5_1 (add q5_1 to compare)"},
            {"q6_k", "as q8_0 (add q8_0 to compare)"}, {"q2_k", "as IQ4_NL (not modelled here)"},
            {"q3_k", "as IQ4_NL (not modelled here)"}};
        for (const auto& [name, fallback] : expected) {
            const Scheme scheme = parseScheme(QString::fromLatin1(name)).value();
            QString why;
            QVERIFY(scheme.appliesTo(matrix(4, 512), &why));
            QVERIFY(!scheme.appliesTo(matrix(4, 384), &why));
            QVERIFY2(why.startsWith(QStringLiteral("row length 384 is not a multiple of the %1 block of 256; llama-quantize stores such a tensor ")
                                        .arg(QString::fromLatin1(name))) && why.endsWith(QString::fromLatin1(fallback)),
                     qPrintable(why));
            QVERIFY(!scheme.appliesTo(matrix(4, 100), &why));
            QVERIFY2(why.endsWith(QStringLiteral("stores such a tensor as F16")), qPrintable(why));
        }
        QString why;
        QVERIFY(!parseScheme(QStringLiteral("q4_0")).value().appliesTo(matrix(4, 100), &why));
        QVERIFY2(!why.contains(QStringLiteral("llama-quantize")), qPrintable(why));  // no fallback: llama.cpp refuses
    }
};

QTEST_GUILESS_MAIN(SchemeTable)
#include "test_scheme_table.moc"
