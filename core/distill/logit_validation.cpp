#include "core/distill/logit_validation.h"

#include <cmath>

namespace cstudio::distill {

Result<void> validateLogits(std::span<const double> logits, const QString& what)
{
    if (logits.empty())
        return Error { {}, -1, QStringLiteral("%1: the list is empty; give at least one value").arg(what) };
    for (size_t i = 0; i < logits.size(); ++i)
        if (!std::isfinite(logits[i]))
            return Error { {}, -1,
                QStringLiteral("%1: entry %2 is %3; logits must be finite numbers")
                    .arg(what)
                    .arg(i + 1)
                    .arg(std::isnan(logits[i]) ? QStringLiteral("NaN") : QStringLiteral("infinite")) };
    return {};
}

Result<void> validateTemperature(double temperature)
{
    if (!std::isfinite(temperature) || temperature <= 0.0)
        return Error { {}, -1,
            QStringLiteral("temperature tau = %1 is not allowed; tau must be a finite number > 0")
                .arg(temperature) };
    return {};
}

Result<std::vector<double>> parseNumberList(const QString& text, const QString& what)
{
    if (text.trimmed().isEmpty())
        return Error { {}, -1,
            QStringLiteral("%1: the list is empty; give comma-separated numbers").arg(what) };
    const QStringList parts = text.split(QLatin1Char(','));
    std::vector<double> values;
    values.reserve(parts.size());
    for (int i = 0; i < parts.size(); ++i) {
        const QString entry = parts[i].trimmed();
        bool ok = false;
        const double value = entry.toDouble(&ok);
        if (entry.isEmpty())
            return Error { {}, -1, QStringLiteral("%1: entry %2 is empty").arg(what).arg(i + 1) };
        if (!ok)
            return Error { {}, -1,
                QStringLiteral("%1: entry %2 '%3' is not a number").arg(what).arg(i + 1).arg(entry) };
        if (!std::isfinite(value))
            return Error { {}, -1,
                QStringLiteral("%1: entry %2 '%3' is not a finite number").arg(what).arg(i + 1).arg(entry) };
        values.push_back(value);
    }
    return values;
}

Result<QStringList> parseLabelList(const QString& text, const QString& what)
{
    if (text.trimmed().isEmpty())
        return Error { {}, -1,
            QStringLiteral("%1: the list is empty; give comma-separated names").arg(what) };
    QStringList labels;
    const QStringList parts = text.split(QLatin1Char(','));
    for (int i = 0; i < parts.size(); ++i) {
        const QString entry = parts[i].trimmed();
        if (entry.isEmpty())
            return Error { {}, -1, QStringLiteral("%1: entry %2 is empty").arg(what).arg(i + 1) };
        labels.push_back(entry);
    }
    return labels;
}

} // namespace cstudio::distill
