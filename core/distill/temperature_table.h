#pragma once
// Seed 002's table: for each temperature τ, the teacher's softened probabilities, their
// entropy in bits and the effective number of classes; with a student, also the losses of
// distillation_loss.h. The CLI prints it and the Distillation page draws it.
#include "core/distill/distillation_loss.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace cstudio::distill {

struct TemperatureRow {
    double temperature = 1.0;
    double entropyBits = 0.0;
    double effectiveClasses = 1.0; // 2^H
    std::vector<double> probabilities; // p_T(τ), one per class
    std::optional<DistillationLosses> losses; // when a student was given
};

struct StudentSettings {
    std::vector<double> logits;
    int hardLabel = 0; // index of the true class for the CE term
    double alpha = 0.5; // weight of the soft (KL) term
};

// Validates everything (see logit_validation.h) and computes one row per temperature.
Result<std::vector<TemperatureRow>> temperatureTable(std::span<const double> teacherLogits,
    std::span<const double> temperatures, const std::optional<StudentSettings>& student = std::nullopt);

// One row in seed 002's print format:
//   "tau= 1 H=0.458 bits | cat 0.917 kitten 0.075 lynx 0.006 dog 0.001 loaf 0.000 carburetor 0.000"
// (Python's f"tau={tau:2d} H={H:.3f} bits | " + " ".join(f"{c} {q:.3f}")). Non-integer τ are
// printed with up to 4 significant digits in the same two-character field.
QString formatSeedRow(const TemperatureRow& row, const QStringList& labels);

// Index of the largest logit (the teacher's answer), the default hard label; -1 if empty.
int argmax(std::span<const double> values);

} // namespace cstudio::distill
