// The softened softmax, its entropy and its limits: seed 002's table against NumPy's
// full-precision values (tests/data/seed002_expected.json, written by
// /work/shared/oracles/seed002_oracle.py), extreme logits, huge vocabularies, τ→0 and τ→∞.
#include "core/distill/softmax.h"
#include "core/distill/temperature_table.h"
#include "core/distill/top_classes.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <cmath>
#include <numeric>
#include <random>

using namespace cstudio::distill;

class TestDistillSoftmax : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void seed002TableMatchesNumpyWithin1e12()
    {
        QFile file(QStringLiteral(CSTUDIO_SOURCE_DIR "/tests/data/seed002_expected.json"));
        QVERIFY2(file.open(QIODevice::ReadOnly), "tests/data/seed002_expected.json is missing");
        const QJsonArray expected
            = QJsonDocument::fromJson(file.readAll()).object()[QStringLiteral("dark_knowledge")].toArray();
        QCOMPARE(expected.size(), 4);
        const std::vector<double> logits { 9.0, 6.5, 4.0, 2.5, 1.0, -4.0 };
        std::vector<double> taus;
        for (const QJsonValue& row : expected)
            taus.push_back(row[QStringLiteral("tau")].toDouble());
        const auto rows = temperatureTable(logits, taus);
        QVERIFY(rows.ok());
        for (int r = 0; r < expected.size(); ++r) {
            const QJsonObject want = expected[r].toObject();
            const TemperatureRow& got = (*rows)[r];
            QVERIFY2(std::abs(got.entropyBits - want[QStringLiteral("entropy_bits")].toDouble()) <= 1e-12,
                qPrintable(
                    QStringLiteral("tau=%1 H=%2").arg(got.temperature).arg(got.entropyBits, 0, 'g', 17)));
            const QJsonArray p = want[QStringLiteral("p")].toArray();
            QCOMPARE(static_cast<qsizetype>(got.probabilities.size()), p.size());
            for (int i = 0; i < p.size(); ++i)
                QVERIFY2(std::abs(got.probabilities[i] - p[i].toDouble()) <= 1e-12,
                    qPrintable(QStringLiteral("tau=%1 class %2").arg(got.temperature).arg(i)));
        }
    }

    void seed002RowsPrintLikeThePythonCode()
    {
        const std::vector<double> logits { 9.0, 6.5, 4.0, 2.5, 1.0, -4.0 };
        const QStringList labels { "cat", "kitten", "lynx", "dog", "loaf", "carburetor" };
        const std::vector<double> taus { 1, 2, 5, 10 };
        const auto rows = temperatureTable(logits, taus);
        QVERIFY(rows.ok());
        QCOMPARE(formatSeedRow((*rows)[0], labels),
            QStringLiteral("tau= 1 H=0.458 bits | cat 0.917 kitten 0.075 lynx 0.006 dog 0.001 loaf 0.000 "
                           "carburetor 0.000"));
        QCOMPARE(formatSeedRow((*rows)[2], labels),
            QStringLiteral("tau= 5 H=2.217 bits | cat 0.396 kitten 0.240 lynx 0.146 dog 0.108 loaf 0.080 "
                           "carburetor 0.029"));
        QCOMPARE(formatSeedRow((*rows)[3], labels).left(20), QStringLiteral("tau=10 H=2.476 bits "));
        QCOMPARE((*rows)[1].entropyBits, (*rows)[1].entropyBits);
        QVERIFY(std::abs((*rows)[0].effectiveClasses - std::exp2(0.45773430597058656)) < 1e-12);
    }

    void extremeLogitsStayFinite()
    {
        const std::vector<double> logits { 1e4, -1e4, 0.0, 1e4 - 1.0 };
        for (double tau : { 0.1, 1.0, 20.0 }) {
            const auto p = softmax(logits, tau);
            double sum = 0.0;
            for (double x : p) {
                QVERIFY(std::isfinite(x));
                QVERIFY(x >= 0.0);
                sum += x;
            }
            QVERIFY(std::abs(sum - 1.0) < 1e-12);
            const auto logP = logSoftmax(logits, tau);
            for (double x : logP)
                QVERIFY(std::isfinite(x));
            QVERIFY(std::isfinite(entropyBits(p)));
        }
        // At τ = 1 the two largest logits differ by 1: p1/p0 = e^-1 exactly as theory says.
        const auto p = softmax(logits, 1.0);
        QVERIFY(std::abs(p[3] / p[0] - std::exp(-1.0)) < 1e-12);
    }

    void hugeVocabularyIsNormalisedAndSummarisedAsTopKPlusRest()
    {
        std::mt19937_64 rng(5);
        std::normal_distribution<double> noise(0.0, 3.0);
        std::vector<double> logits(150000);
        for (double& z : logits)
            z = noise(rng);
        logits[42] = 30.0;
        const auto p = softmax(logits, 2.0);
        QVERIFY(std::abs(std::accumulate(p.begin(), p.end(), 0.0) - 1.0) < 1e-9);
        const auto top = topIndices(logits, 10);
        QCOMPARE(top.size(), size_t(10));
        QCOMPARE(top.front(), 42);
        for (size_t i = 1; i < top.size(); ++i)
            QVERIFY(logits[top[i - 1]] >= logits[top[i]]);
        double shown = 0.0;
        for (int index : top)
            shown += p[index];
        QVERIFY(std::abs(shown + restProbability(p, top) - 1.0) < 1e-9);
        const double h = entropyBits(p);
        QVERIFY(h > 0.0 && h < std::log2(150000.0));
    }

    void veryHighTemperatureTendsToUniformWithMaximalEntropy()
    {
        const std::vector<double> logits { 9.0, 6.5, 4.0, 2.5, 1.0, -4.0 };
        const auto p = softmax(logits, 1e7);
        for (double x : p)
            QVERIFY(std::abs(x - 1.0 / 6.0) < 1e-6);
        QVERIFY(std::abs(entropyBits(p) - std::log2(6.0)) < 1e-9);
        QVERIFY(std::abs(effectiveClasses(entropyBits(p)) - 6.0) < 1e-8);
    }

    void veryLowTemperatureTendsToOneHotWithZeroEntropy()
    {
        const std::vector<double> logits { 2.5, 9.0, 6.5, 8.9 };
        const auto p = softmax(logits, 1e-3);
        QCOMPARE(p[1], 1.0);
        QVERIFY(p[3] < 1e-40);
        QVERIFY(entropyBits(p) < 1e-12);
        QCOMPARE(effectiveClasses(entropyBits(p)), 1.0);
    }

    void entropyRisesMonotonicallyWithTemperature()
    {
        const std::vector<double> logits { 9.0, 6.5, 4.0, 2.5, 1.0, -4.0 };
        const auto curve = entropyCurve(logits, 0.1, 20.0, 60);
        QCOMPARE(curve.size(), size_t(60));
        QVERIFY(std::abs(curve.front().first - 0.1) < 1e-12);
        QVERIFY(std::abs(curve.back().first - 20.0) < 1e-9);
        for (size_t i = 1; i < curve.size(); ++i)
            QVERIFY(curve[i].second >= curve[i - 1].second - 1e-12);
    }

    void badTemperaturesAndLogitsAreRejectedWithAReason()
    {
        const std::vector<double> logits { 1.0, 2.0 };
        for (double tau : { 0.0, -1.0, std::nan(""), double(INFINITY) }) {
            const std::vector<double> taus { tau };
            const auto rows = temperatureTable(logits, taus);
            QVERIFY(!rows.ok());
            QVERIFY(rows.error().message.contains(QStringLiteral("tau")));
        }
        const std::vector<double> taus { 1.0 };
        QVERIFY(!temperatureTable(std::vector<double> {}, taus).ok());
        const auto nan = temperatureTable(std::vector<double> { 1.0, std::nan("") }, taus);
        QVERIFY(!nan.ok());
        QVERIFY(nan.error().message.contains(QStringLiteral("NaN")));
        QVERIFY(!temperatureTable(std::vector<double> { 1.0, INFINITY }, taus).ok());
    }
};

QTEST_APPLESS_MAIN(TestDistillSoftmax)
#include "test_distill_softmax.moc"
