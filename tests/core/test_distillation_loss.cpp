// KL, reverse KL, cross-entropy, the Hinton loss and its analytic gradient.
#include "core/distill/distillation_loss.h"
#include "core/distill/softmax.h"

#include <QtTest>
#include <cmath>
#include <random>

using namespace cstudio::distill;

class TestDistillationLoss : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void klIsZeroForEqualDistributionsAndPositiveOtherwise()
    {
        const std::vector<double> teacher { 9.0, 6.5, 4.0, 2.5, 1.0, -4.0 };
        for (double tau : { 0.5, 1.0, 4.0 }) {
            const auto same = distillationLosses(teacher, teacher, 0, tau, 0.5);
            QVERIFY(same.ok());
            QCOMPARE(same->forwardKl, 0.0);
            QCOMPARE(same->reverseKl, 0.0);
        }
        // Shifting every logit by a constant leaves the distribution unchanged.
        std::vector<double> shifted = teacher;
        for (double& z : shifted)
            z += 123.0;
        QVERIFY(distillationLosses(teacher, shifted, 0, 2.0, 0.5)->forwardKl < 1e-12);

        std::mt19937_64 rng(11);
        std::normal_distribution<double> noise(0.0, 2.0);
        for (int trial = 0; trial < 200; ++trial) {
            std::vector<double> a(5), b(5);
            for (int i = 0; i < 5; ++i) {
                a[i] = noise(rng);
                b[i] = noise(rng);
            }
            const auto losses = distillationLosses(a, b, trial % 5, 1.0 + trial % 7, 0.3);
            QVERIFY(losses.ok());
            QVERIFY2(losses->forwardKl > 0.0, "KL(p||q) must be > 0 for p != q");
            QVERIFY(losses->reverseKl > 0.0);
        }
    }

    void klMatchesTheDefinitionAndIsAsymmetric()
    {
        const std::vector<double> teacher { 2.0, 1.0, 0.0 };
        const std::vector<double> student { 0.0, 1.0, 0.5 };
        const auto p = softmax(teacher, 2.0), q = softmax(student, 2.0);
        double forward = 0.0, reverse = 0.0;
        for (int i = 0; i < 3; ++i) {
            forward += p[i] * std::log(p[i] / q[i]);
            reverse += q[i] * std::log(q[i] / p[i]);
        }
        const auto losses = distillationLosses(teacher, student, 0, 2.0, 0.5);
        QVERIFY(std::abs(losses->forwardKl - forward) < 1e-14);
        QVERIFY(std::abs(losses->reverseKl - reverse) < 1e-14);
        QVERIFY(std::abs(losses->forwardKl - losses->reverseKl) > 1e-3);
    }

    void hintonLossBlendsTauSquaredKlAndHardCrossEntropy()
    {
        const std::vector<double> teacher { 9.0, 6.5, 4.0, 2.5, 1.0, -4.0 };
        const std::vector<double> student { 7.0, 7.0, 3.0, 2.0, 2.0, 0.0 };
        const auto losses = distillationLosses(teacher, student, 1, 4.0, 0.7);
        QVERIFY(losses.ok());
        const double ce = -logSoftmax(student, 1.0)[1];
        QVERIFY(std::abs(losses->crossEntropy - ce) < 1e-14);
        QVERIFY(std::abs(losses->hintonLoss - (0.7 * 16.0 * losses->forwardKl + 0.3 * ce)) < 1e-13);
        // α = 0 is plain cross-entropy; α = 1 is pure distillation.
        QVERIFY(std::abs(distillationLosses(teacher, student, 1, 4.0, 0.0)->hintonLoss - ce) < 1e-14);
        QVERIFY(
            std::abs(distillationLosses(teacher, student, 1, 4.0, 1.0)->hintonLoss - 16.0 * losses->forwardKl)
            < 1e-13);
    }

    void gradientMatchesCentralFiniteDifferences()
    {
        std::mt19937_64 rng(3);
        std::normal_distribution<double> noise(0.0, 3.0);
        for (double tau : { 0.5, 1.0, 2.0, 5.0, 10.0 }) {
            for (double alpha : { 0.0, 0.3, 1.0 }) {
                std::vector<double> teacher(6), student(6);
                for (int i = 0; i < 6; ++i) {
                    teacher[i] = noise(rng);
                    student[i] = noise(rng);
                }
                const auto losses = distillationLosses(teacher, student, 2, tau, alpha);
                QVERIFY(losses.ok());
                const double h = 1e-6;
                for (int i = 0; i < 6; ++i) {
                    std::vector<double> up = student, down = student;
                    up[i] += h;
                    down[i] -= h;
                    const double numeric
                        = (hintonLoss(teacher, up, 2, tau, alpha) - hintonLoss(teacher, down, 2, tau, alpha))
                        / (2 * h);
                    QVERIFY2(std::abs(numeric - losses->gradient[i]) < 1e-6 * (1.0 + std::abs(numeric)),
                        qPrintable(QStringLiteral("tau=%1 alpha=%2 i=%3 analytic %4 numeric %5")
                                       .arg(tau)
                                       .arg(alpha)
                                       .arg(i)
                                       .arg(losses->gradient[i])
                                       .arg(numeric)));
                }
                // The softmax gradient sums to zero over classes (shift invariance).
                double sum = 0.0;
                for (double g : losses->gradient)
                    sum += g;
                QVERIFY(std::abs(sum) < 1e-12);
            }
        }
    }

    void badInputIsRejectedWithAMessage()
    {
        const std::vector<double> teacher { 1.0, 2.0, 3.0 };
        auto mismatch = distillationLosses(teacher, std::vector<double> { 1.0, 2.0 }, 0, 1.0, 0.5);
        QVERIFY(!mismatch.ok());
        QVERIFY(mismatch.error().message.contains(QStringLiteral("2 logits")));
        QVERIFY(!distillationLosses(teacher, teacher, 0, 0.0, 0.5).ok());
        QVERIFY(!distillationLosses(teacher, teacher, 0, 1.0, 1.5).ok());
        QVERIFY(!distillationLosses(teacher, teacher, 3, 1.0, 0.5).ok());
        QVERIFY(!distillationLosses(teacher, std::vector<double> { 1.0, NAN, 2.0 }, 0, 1.0, 0.5).ok());
        QVERIFY(!distillationLosses(std::vector<double> {}, std::vector<double> {}, 0, 1.0, 0.5).ok());
    }
};

QTEST_APPLESS_MAIN(TestDistillationLoss)
#include "test_distillation_loss.moc"
