#pragma once
// Checks on user-supplied logits and temperatures, shared by the CLI, the importers and the
// Distillation page, so that every entry point rejects bad input with the same words.
#include "core/result.h"

#include <QString>
#include <QStringList>
#include <span>
#include <vector>

namespace cstudio::distill {

// Non-empty and every value finite. `what` names the list in the message ("teacher logits").
Result<void> validateLogits(std::span<const double> logits, const QString& what);

// τ finite and > 0.
Result<void> validateTemperature(double temperature);

// "9,6.5,4" → {9, 6.5, 4}. Spaces around entries are ignored. Empty lists, empty entries,
// non-numbers and NaN/Inf are errors that quote the entry and its position.
Result<std::vector<double>> parseNumberList(const QString& text, const QString& what);

// "cat,kitten" → {"cat", "kitten"}; entries trimmed; empty entries are errors.
Result<QStringList> parseLabelList(const QString& text, const QString& what);

} // namespace cstudio::distill
