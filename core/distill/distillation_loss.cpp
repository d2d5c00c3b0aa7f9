#include "core/distill/distillation_loss.h"

#include "core/distill/logit_validation.h"
#include "core/distill/softmax.h"

#include <algorithm>
#include <cmath>

namespace cstudio::distill {

double klDivergence(std::span<const double> logP, std::span<const double> logQ)
{
    double sum = 0.0;
    for (size_t i = 0; i < logP.size(); ++i) {
        const double p = std::exp(logP[i]);
        if (p > 0.0)
            sum += p * (logP[i] - logQ[i]);
    }
    return std::max(0.0, sum);
}

namespace {
DistillationLosses computeLosses(std::span<const double> teacherLogits, std::span<const double> studentLogits,
    int hardLabel, double temperature, double alpha)
{
    DistillationLosses losses;
    losses.temperature = temperature;
    losses.alpha = alpha;
    losses.hardLabel = hardLabel;
    const std::vector<double> logTeacher = logSoftmax(teacherLogits, temperature);
    const std::vector<double> logStudent = logSoftmax(studentLogits, temperature);
    const std::vector<double> logStudentAtOne = logSoftmax(studentLogits, 1.0);
    losses.forwardKl = klDivergence(logTeacher, logStudent);
    losses.reverseKl = klDivergence(logStudent, logTeacher);
    losses.crossEntropy = -logStudentAtOne[hardLabel];
    losses.hintonLoss
        = alpha * temperature * temperature * losses.forwardKl + (1.0 - alpha) * losses.crossEntropy;
    losses.gradient.resize(studentLogits.size());
    for (size_t i = 0; i < studentLogits.size(); ++i) {
        const double soft = std::exp(logStudent[i]) - std::exp(logTeacher[i]);
        const double hard = std::exp(logStudentAtOne[i]) - (static_cast<int>(i) == hardLabel ? 1.0 : 0.0);
        losses.gradient[i] = alpha * temperature * soft + (1.0 - alpha) * hard;
    }
    return losses;
}
} // namespace

Result<DistillationLosses> distillationLosses(std::span<const double> teacherLogits,
    std::span<const double> studentLogits, int hardLabel, double temperature, double alpha)
{
    if (auto check = validateLogits(teacherLogits, QStringLiteral("teacher logits")); !check)
        return check.error();
    if (auto check = validateLogits(studentLogits, QStringLiteral("student logits")); !check)
        return check.error();
    if (studentLogits.size() != teacherLogits.size())
        return Error { {}, -1,
            QStringLiteral("the student has %1 logits but the teacher has %2; give one per class")
                .arg(studentLogits.size())
                .arg(teacherLogits.size()) };
    if (auto check = validateTemperature(temperature); !check)
        return check.error();
    if (!(alpha >= 0.0 && alpha <= 1.0))
        return Error { {}, -1, QStringLiteral("alpha %1 is outside [0, 1]").arg(alpha) };
    if (hardLabel < 0 || hardLabel >= static_cast<int>(teacherLogits.size()))
        return Error { {}, -1,
            QStringLiteral("hard label %1 is not a class index (0 to %2)")
                .arg(hardLabel)
                .arg(teacherLogits.size() - 1) };
    return computeLosses(teacherLogits, studentLogits, hardLabel, temperature, alpha);
}

double hintonLoss(std::span<const double> teacherLogits, std::span<const double> studentLogits, int hardLabel,
    double temperature, double alpha)
{
    return computeLosses(teacherLogits, studentLogits, hardLabel, temperature, alpha).hintonLoss;
}

} // namespace cstudio::distill
