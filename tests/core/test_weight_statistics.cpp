// Streaming statistics equal NumPy's on seed 002's weights (σ = 0.02 with 0.4 % ×6 outliers);
// NaN and Inf are counted, never propagated; chunked and merged moments (WeightMoments, the
// analysis engine's accumulator) equal one-shot ones and a long-double reference.
#include "core/analysis/weight_statistics.h"
#include "core/formats/npy_reader.h"

#include <QTest>
#include <cmath>
#include <limits>
#include <random>

using namespace cstudio;

namespace {

std::vector<float> gaussian(std::size_t count, unsigned seed, float mean, float sigma)
{
    std::mt19937 generator(seed);
    std::normal_distribution<float> normal(mean, sigma);
    std::vector<float> values(count);
    for (float& value : values)
        value = normal(generator);
    return values;
}

// Mean, population variance and Pearson kurtosis computed directly in long double.
struct ReferenceMoments {
    double mean = 0, variance = 0, kurtosis = 0;
};

ReferenceMoments referenceMoments(const std::vector<float>& values)
{
    long double sum = 0, m2 = 0, m4 = 0;
    for (float value : values)
        sum += value;
    const long double mean = sum / values.size();
    for (float value : values) {
        const long double d = value - mean;
        m2 += d * d;
        m4 += d * d * d * d;
    }
    return {double(mean), double(m2 / values.size()), double(values.size() * m4 / (m2 * m2))};
}

}  // namespace

class TestWeightStatistics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesNumpyOnSeed002Weights()
    {
        auto source = openNpy(QStringLiteral(CSTUDIO_SOURCE_DIR "/tests/data/seed002_weights.npy"));
        QVERIFY2(source, qPrintable(source.ok() ? QString() : source.error().toString()));
        StatisticsOptions options;
        options.bins = 10;
        auto result = computeTensorStatistics(*source.value(), 0, options);
        QVERIFY(result);
        const WeightStatistics& s = result.value();
        // Expected: numpy on w.astype(float32): w.mean(), w.std(), ((w-m)**4).mean()/var**2 - 3,
        // (abs(w-m) > 6*std).sum(), np.histogram(w, bins=10).
        QCOMPARE(s.count, 10000);
        // float powers summed in double every 16 terms: ~1e-8 relative to sigma (see weight_moments.h)
        QVERIFY(std::abs(s.mean - 0.00017440633476253423) < 1e-8 * 0.021581992150566155);
        QVERIFY(std::abs(s.standardDeviation / 0.021581992150566155 - 1.0) < 1e-7);
        QCOMPARE(float(s.minimum), -0.24891088902950287f);
        QCOMPARE(float(s.maximum), 0.310183048248291f);
        QVERIFY(std::abs(s.excessKurtosis / 12.530686581497292 - 1.0) < 1e-6);
        QVERIFY(std::abs(s.maxAbsOverSigma / 14.372308454396045 - 1.0) < 1e-7);
        QCOMPARE(s.countBeyond6Sigma, 11);
        QCOMPARE(s.shareBeyond6Sigma, 11.0 / 10000.0);
        QCOMPARE(s.histogram.counts, (std::vector<qint64>{4, 0, 6, 994, 8351, 633, 5, 3, 3, 1}));
        QCOMPARE(s.nanCount, 0);
    }

    void nanAndInfAreCountedNotPropagated()
    {
        const float nan = std::numeric_limits<float>::quiet_NaN();
        const float inf = std::numeric_limits<float>::infinity();
        const std::vector<float> values{1, nan, 2, inf, 3, -inf, 4};
        const WeightStatistics s = computeWeightStatistics(values);
        QCOMPARE(s.count, 4);
        QCOMPARE(s.nanCount, 1);
        QCOMPARE(s.infCount, 2);
        QCOMPARE(s.mean, 2.5);
        QCOMPARE(s.standardDeviation, std::sqrt(1.25));
        QCOMPARE(s.minimum, 1.0);
        QCOMPARE(s.maximum, 4.0);
        qint64 histogramTotal = 0;
        for (qint64 count : s.histogram.counts)
            histogramTotal += count;
        QCOMPARE(histogramTotal, 4);
    }

    void chunkedMomentsEqualOneShotMoments()
    {
        const std::vector<float> values = gaussian(100003, 7, 3.0f, 0.5f);  // a large mean tests cancellation
        WeightMoments whole, merged;
        whole.add(values);
        for (std::size_t start = 0; start < values.size(); start += 777) {
            WeightMoments piece;
            piece.add(std::span<const float>(values).subspan(start, std::min<std::size_t>(777, values.size() - start)));
            merged.merge(piece);
        }
        QCOMPARE(merged.count, whole.count);
        QCOMPARE(merged.minValue, whole.minValue);
        QCOMPARE(merged.maxValue, whole.maxValue);
        // pieces of 777 each start at their own shift and are re-centred as they merge
        QVERIFY(std::abs(merged.mean() - whole.mean()) < 1e-8 * 0.5);
        QVERIFY(std::abs(merged.variance() / whole.variance() - 1.0) < 1e-7);
        QVERIFY(std::abs(merged.excessKurtosis() - whole.excessKurtosis()) < 1e-6);
        const ReferenceMoments reference = referenceMoments(values);
        QVERIFY(std::abs(reference.mean - whole.mean()) < 1e-8 * 0.5);
        QVERIFY(std::abs(reference.variance / whole.variance() - 1.0) < 1e-7);
        QVERIFY(std::abs((reference.kurtosis - 3.0) - whole.excessKurtosis()) < 1e-6);
        QVERIFY(std::abs(whole.excessKurtosis()) < 0.1);  // a Gaussian
    }

    void weightsFarTooSmallOrLargeForFloatPowersAreSummedInDouble()
    {
        // (w - shift)^4 would underflow at sigma 1e-12 and overflow at 1e10 in float
        for (const float sigma : {1e-12f, 1e10f}) {
            const std::vector<float> values = gaussian(50000, 11, 0.0f, sigma);
            WeightMoments moments;
            moments.add(values);
            const ReferenceMoments reference = referenceMoments(values);
            const double sd = std::sqrt(reference.variance);
            QVERIFY2(std::abs(moments.mean() - reference.mean) < 1e-8 * sd, qPrintable(QString::number(sigma)));
            QVERIFY2(std::abs(moments.standardDeviation() / sd - 1.0) < 1e-7, qPrintable(QString::number(sigma)));
            QVERIFY2(std::abs(moments.kurtosis() / reference.kurtosis - 1.0) < 1e-6, qPrintable(QString::number(sigma)));
        }
    }

    void constantDataHasZeroSpreadAndAUnitHistogram()
    {
        const std::vector<float> values(10, 0.5f);
        const WeightStatistics s = computeWeightStatistics(values);
        QCOMPARE(s.standardDeviation, 0.0);
        QCOMPARE(s.excessKurtosis, 0.0);
        QCOMPARE(s.shareBeyond6Sigma, 0.0);
        QCOMPARE(s.histogram.lower, 0.0);
        QCOMPARE(s.histogram.upper, 1.0);
    }

    void fixedHistogramRangeCountsValuesOutside()
    {
        StatisticsOptions options;
        options.bins = 4;
        options.fixedRange = true;
        options.rangeLower = 0.0;
        options.rangeUpper = 1.0;
        const std::vector<float> values{-1.0f, 0.1f, 0.3f, 0.6f, 0.9f, 1.0f, 2.0f};
        const WeightStatistics s = computeWeightStatistics(values, options);
        QCOMPARE(s.histogram.counts, (std::vector<qint64>{1, 1, 1, 2}));
        QCOMPARE(s.histogram.below, 1);
        QCOMPARE(s.histogram.above, 1);
    }
};

QTEST_APPLESS_MAIN(TestWeightStatistics)
#include "test_weight_statistics.moc"
