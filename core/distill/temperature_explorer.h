#pragma once
// Everything the Distillation page's temperature explorer draws, computed in one call so the
// page holds no numerics: the teacher's softened probabilities at several temperatures (the
// grouped bars), their entropies, teacher and student at the slider's τ, the losses and the
// gradient. Large vocabularies are cut to the top-k classes by teacher logit plus one
// "the rest" entry that carries the remaining probability (and gradient).
#include "core/distill/distillation_loss.h"

#include <vector>

namespace cstudio::distill {

struct ExplorerInput {
    std::vector<double> teacherLogits;
    std::vector<double> studentLogits; // same length as the teacher's
    int hardLabel = 0;
    double temperature = 2.0; // the slider
    double alpha = 0.5;
    std::vector<double> overlayTemperatures { 1.0, 2.0, 5.0, 10.0 };
    int topK = 12; // classes drawn individually
};

struct SoftenedRow {
    double temperature = 1.0;
    double entropyBits = 0.0; // of the full distribution, not just the shown part
    double effectiveClasses = 1.0; // 2^H
    std::vector<double> shownProbabilities; // one per shownClasses entry
    double restProbability = 0.0; // Σ p over the classes not shown (0 if none)
};

struct ExplorerSnapshot {
    std::vector<int> shownClasses; // class indices drawn, in drawing order
    int restCount = 0; // classes lumped into "the rest"
    std::vector<SoftenedRow> overlay; // teacher at each overlay temperature
    SoftenedRow teacherAtTemperature; // teacher at the slider's τ
    SoftenedRow studentAtTemperature; // student at the slider's τ
    DistillationLosses losses; // at the slider's τ, over all classes
    std::vector<double> shownGradient; // ∂loss/∂z_S for shownClasses
    double restGradient = 0.0; // Σ ∂loss/∂z_S over the rest
};

// Validates like distillationLosses() (plus each overlay τ) and computes the snapshot.
Result<ExplorerSnapshot> exploreTemperatures(const ExplorerInput& input);

// The student "perturb the teacher" button: teacher logits plus Gaussian noise of standard
// deviation `sigma` (Box-Muller on a seeded generator, so a seed gives the same student).
std::vector<double> perturbLogits(std::span<const double> logits, double sigma, quint64 seed);

} // namespace cstudio::distill
