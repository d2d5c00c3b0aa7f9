#include "core/distill/temperature_table.h"

#include "core/distill/logit_validation.h"
#include "core/distill/softmax.h"

#include <algorithm>
#include <cmath>

namespace cstudio::distill {

Result<std::vector<TemperatureRow>> temperatureTable(std::span<const double> teacherLogits,
    std::span<const double> temperatures, const std::optional<StudentSettings>& student)
{
    if (auto check = validateLogits(teacherLogits, QStringLiteral("teacher logits")); !check)
        return check.error();
    if (temperatures.empty())
        return Error { {}, -1, QStringLiteral("no temperatures given") };
    for (double tau : temperatures)
        if (auto check = validateTemperature(tau); !check)
            return check.error();
    std::vector<TemperatureRow> rows;
    rows.reserve(temperatures.size());
    for (double tau : temperatures) {
        TemperatureRow row;
        row.temperature = tau;
        row.probabilities = softmax(teacherLogits, tau);
        row.entropyBits = entropyBits(row.probabilities);
        row.effectiveClasses = effectiveClasses(row.entropyBits);
        if (student) {
            Result<DistillationLosses> losses
                = distillationLosses(teacherLogits, student->logits, student->hardLabel, tau, student->alpha);
            if (!losses)
                return losses.error();
            row.losses = std::move(losses.value());
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

QString formatSeedRow(const TemperatureRow& row, const QStringList& labels)
{
    const double tau = row.temperature;
    const QString tauText = (tau == std::floor(tau) && std::abs(tau) < 1e9)
        ? QString::number(static_cast<qint64>(tau))
        : QString::number(tau, 'g', 4);
    QString text = QStringLiteral("tau=%1 H=%2 bits |").arg(tauText, 2).arg(row.entropyBits, 0, 'f', 3);
    for (size_t i = 0; i < row.probabilities.size(); ++i) {
        const QString label = i < static_cast<size_t>(labels.size()) ? labels[static_cast<int>(i)]
                                                                     : QStringLiteral("class %1").arg(i);
        text += QStringLiteral(" %1 %2").arg(label).arg(row.probabilities[i], 0, 'f', 3);
    }
    return text;
}

int argmax(std::span<const double> values)
{
    if (values.empty())
        return -1;
    return static_cast<int>(std::max_element(values.begin(), values.end()) - values.begin());
}

} // namespace cstudio::distill
