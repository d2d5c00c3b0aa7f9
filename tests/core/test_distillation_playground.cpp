// The distillation playground on the shipped UCI digits: the data loads, runs are
// deterministic for a seed, they can be stopped, bad settings are refused, and, the claim
// the README makes, the soft-label student matches or beats the hard-label student on the
// held-out test set for the shipped configuration.
#include "core/distill/digits_dataset.h"
#include "core/distill/distillation_playground.h"

#include <QtTest>
#include <atomic>

using namespace cstudio;
using namespace cstudio::distill;

class TestDistillationPlayground : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void digitsDataSetLoadsAll1797ImagesOfTenDigits()
    {
        const auto digits = loadDigits();
        QVERIFY2(digits.ok(), qPrintable(digits.ok() ? QString() : digits.error().toString()));
        QCOMPARE(digits->features.rows(), Eigen::Index(1797));
        QCOMPARE(digits->features.cols(), Eigen::Index(64));
        QCOMPARE(digits->features.minCoeff(), 0.0);
        QCOMPARE(digits->features.maxCoeff(), 1.0);
        std::vector<int> perDigit(10, 0);
        for (int label : digits->labels)
            ++perDigit[label];
        for (int count : perDigit)
            QVERIFY(count >= 170 && count <= 190); // the set is balanced: 174..183 per digit
        QCOMPARE(digits->labels[0], 0);
        QCOMPARE(digits->features(0, 2), 5.0 / 16.0); // first row: 0,0,5,13,9,1,...
    }

    void corruptDataIsReportedNotCrashedOn()
    {
        QVERIFY(!parseDigitsCsvGz("not gzip", QStringLiteral("x.csv.gz")).ok());
        QVERIFY(!parseDigitsCsvGz(QByteArray(), QStringLiteral("x.csv.gz")).ok());
    }

    void shippedConfigurationSoftLabelStudentMatchesOrBeatsHardLabelStudent()
    {
        const PlaygroundConfig config; // the shipped defaults
        QCOMPARE(config.temperature, 4.0);
        QCOMPARE(config.alpha, 0.7);
        const auto result = runDistillationPlayground(config);
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
        QVERIFY(!result->cancelled);
        QCOMPARE(int(result->epochs.size()), config.epochs);
        QCOMPARE(result->testImages, 597);
        QCOMPARE(result->teacherTrainImages, 1200);
        QCOMPARE(result->studentTrainImages, 200);
        const EpochRecord& last = result->epochs.back();
        qInfo("teacher %.1f%%, hard-label student %.1f%%, soft-label student %.1f%% (test accuracy)",
            result->teacherTestAccuracy * 100, last.hardLabel.testAccuracy * 100,
            last.softLabel.testAccuracy * 100);
        QVERIFY(result->teacherTestAccuracy > 0.95);
        QVERIFY(result->teacherParameters > 5 * result->studentParameters);
        QVERIFY(last.softLabel.testAccuracy >= last.hardLabel.testAccuracy);
        QVERIFY(last.hardLabel.testAccuracy > 0.85); // both students actually learned
    }

    void sameSeedGivesTheSameCurvesAndAnotherSeedDoesNot()
    {
        PlaygroundConfig config;
        config.epochs = 5;
        config.teacherEpochs = 3;
        const auto first = runDistillationPlayground(config);
        const auto second = runDistillationPlayground(config);
        QVERIFY(first.ok() && second.ok());
        QCOMPARE(first->teacherTestAccuracy, second->teacherTestAccuracy);
        for (size_t e = 0; e < first->epochs.size(); ++e) {
            QCOMPARE(first->epochs[e].hardLabel.testLoss, second->epochs[e].hardLabel.testLoss);
            QCOMPARE(first->epochs[e].softLabel.trainLoss, second->epochs[e].softLabel.trainLoss);
        }
        config.seed = 99;
        const auto other = runDistillationPlayground(config);
        QVERIFY(other.ok());
        QVERIFY(other->epochs.back().softLabel.testLoss != first->epochs.back().softLabel.testLoss);
    }

    void aRunStopsWhenCancelledAndKeepsTheEpochsDone()
    {
        std::atomic_bool cancel { false };
        JobControl control;
        control.cancelRequested = &cancel;
        double lastProgress = 0.0;
        control.onProgress = [&](double fraction, const QString&) { lastProgress = fraction; };
        int calls = 0;
        const auto result
            = runDistillationPlayground(PlaygroundConfig {}, control, [&](const PlaygroundResult& soFar) {
                  ++calls;
                  QCOMPARE(int(soFar.epochs.size()), calls);
                  if (calls == 3)
                      cancel = true;
              });
        QVERIFY(result.ok());
        QVERIFY(result->cancelled);
        QCOMPARE(int(result->epochs.size()), 3);
        QVERIFY(lastProgress > 0.0 && lastProgress < 1.0);
    }

    void badSettingsAreRefusedWithAReason()
    {
        auto refused = [](auto change, const char* words) {
            PlaygroundConfig config;
            change(config);
            const auto result = runDistillationPlayground(config);
            return !result.ok() && result.error().message.contains(QLatin1String(words));
        };
        QVERIFY(refused([](PlaygroundConfig& c) { c.temperature = 0.0; }, "tau"));
        QVERIFY(refused([](PlaygroundConfig& c) { c.temperature = -3.0; }, "tau"));
        QVERIFY(refused([](PlaygroundConfig& c) { c.alpha = 1.5; }, "alpha"));
        QVERIFY(refused([](PlaygroundConfig& c) { c.epochs = 0; }, "epochs"));
        QVERIFY(refused([](PlaygroundConfig& c) { c.trainSamples = 5000; }, "training images"));
    }
};

QTEST_GUILESS_MAIN(TestDistillationPlayground)
#include "test_distillation_playground.moc"
