#include "core/distill/class_logits.h"

#include "core/distill/logit_validation.h"

#include <cmath>

namespace cstudio::distill {

Result<ClassLogits> makeClassLogits(QStringList labels, std::vector<double> logits, const QString& source)
{
    if (auto check = validateLogits(logits, QStringLiteral("logits")); !check)
        return check.error();
    if (labels.isEmpty()) {
        for (size_t i = 0; i < logits.size(); ++i)
            labels.push_back(QStringLiteral("class %1").arg(i));
    }
    if (static_cast<size_t>(labels.size()) != logits.size())
        return Error { {}, -1,
            QStringLiteral("%1 labels for %2 logits; give exactly one label per logit")
                .arg(labels.size())
                .arg(logits.size()) };
    for (int i = 0; i < labels.size(); ++i)
        if (labels[i].trimmed().isEmpty())
            return Error { {}, -1, QStringLiteral("label %1 is empty").arg(i + 1) };
    return ClassLogits { std::move(labels), std::move(logits), source };
}

Result<std::vector<double>> logitsFromProbabilities(std::span<const double> probabilities)
{
    if (probabilities.empty())
        return Error { {}, -1, QStringLiteral("no probabilities given") };
    double sum = 0.0;
    std::vector<double> logits;
    for (size_t i = 0; i < probabilities.size(); ++i) {
        const double p = probabilities[i];
        if (!std::isfinite(p) || p <= 0.0)
            return Error { {}, -1,
                QStringLiteral("probability %1 is %2; each must be > 0 to have a logit log p")
                    .arg(i + 1)
                    .arg(p) };
        sum += p;
        logits.push_back(std::log(p));
    }
    if (std::abs(sum - 1.0) > 1e-6)
        return Error { {}, -1, QStringLiteral("the probabilities sum to %1, not 1").arg(sum, 0, 'g', 10) };
    return logits;
}

namespace {
LogitPreset fromProbabilities(const QString& name, const QString& citation, const QStringList& labels,
    std::vector<double> probabilities)
{
    Result<std::vector<double>> logits = logitsFromProbabilities(probabilities);
    return { name, citation, ClassLogits { labels, std::move(logits.value()), name } };
}
} // namespace

const std::vector<LogitPreset>& logitPresets()
{
    static const std::vector<LogitPreset> presets = [] {
        std::vector<LogitPreset> list;
        const QString seed002 = QStringLiteral("Seed 002: cat photo, logits 9, 6.5, 4, 2.5, 1, \u22124");
        list.push_back({ seed002,
            QStringLiteral("Seed 002's dark-knowledge example: teacher logits for a cat photo"),
            ClassLogits { { QStringLiteral("cat"), QStringLiteral("kitten"), QStringLiteral("lynx"),
                              QStringLiteral("dog"), QStringLiteral("loaf"), QStringLiteral("carburetor") },
                { 9.0, 6.5, 4.0, 2.5, 1.0, -4.0 }, seed002 } });
        list.push_back(fromProbabilities(QStringLiteral("Seed 001: 73% cat, 15% kitten, 8% feline"),
            QStringLiteral("Seed 001: \"this text should predict 73% cat, 15% kitten, 8% feline...\" "
                           "(the remaining 4% as \"other\"); logits = log p"),
            { QStringLiteral("cat"), QStringLiteral("kitten"), QStringLiteral("feline"),
                QStringLiteral("other") },
            { 0.73, 0.15, 0.08, 0.04 }));
        list.push_back(fromProbabilities(QStringLiteral("Seed 003: 90% positive, 8% neutral, 2% negative"),
            QStringLiteral("Seed 003: a sentiment teacher says \"90% positive, 8% neutral, 2% negative\"; "
                           "logits = log p"),
            { QStringLiteral("positive"), QStringLiteral("neutral"), QStringLiteral("negative") },
            { 0.90, 0.08, 0.02 }));
        list.push_back(fromProbabilities(QStringLiteral("Seed 000: 70% cat, 25% dog, 5% fox"),
            QStringLiteral("Seed 000: \"70% cat, 25% dog, 5% fox\" teaches structure a hard label never "
                           "could; logits = log p"),
            { QStringLiteral("cat"), QStringLiteral("dog"), QStringLiteral("fox") }, { 0.70, 0.25, 0.05 }));
        return list;
    }();
    return presets;
}

} // namespace cstudio::distill
