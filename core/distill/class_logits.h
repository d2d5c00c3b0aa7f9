#pragma once
// A teacher's (or student's) output for one example: one logit per named class. Presets come
// from the seed texts; distributions quoted as percentages become logits log p (softmax of
// log p at τ = 1 gives p back, so the quoted figures are reproduced exactly).
#include "core/result.h"

#include <QString>
#include <QStringList>
#include <span>
#include <vector>

namespace cstudio::distill {

struct ClassLogits {
    QStringList labels; // one per logit
    std::vector<double> logits;
    QString source; // where they came from: preset name or file path
};

// Validates (non-empty, finite, as many labels as logits, no empty label) and bundles.
// An empty `labels` list gets the names "class 0", "class 1", ...
Result<ClassLogits> makeClassLogits(
    QStringList labels, std::vector<double> logits, const QString& source = {});

// log p for each probability (which must be > 0, finite and sum to 1 within 1e-6).
Result<std::vector<double>> logitsFromProbabilities(std::span<const double> probabilities);

struct LogitPreset {
    QString name; // shown in the preset menu
    QString citation; // which seed text, and what it says
    ClassLogits logits;
};

// Seed 002's cat photo (logits 9, 6.5, 4, 2.5, 1, −4) first, then seeds 001, 003 and 000.
const std::vector<LogitPreset>& logitPresets();

} // namespace cstudio::distill
