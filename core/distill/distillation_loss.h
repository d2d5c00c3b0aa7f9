#pragma once
// The losses a student is trained on, for one example (Hinton, Vinyals & Dean 2015, seed 002):
//   KL(p_T‖p_S) at τ      = Σ p_T(τ) (log p_T(τ) − log p_S(τ))          (nats)
//   reverse KL            = KL(p_S‖p_T) at τ (what on-policy / GKD distillation minimises)
//   CE with the hard label = −log p_S(τ=1)[label]                          (nats)
//   Hinton loss           = α·τ²·KL + (1−α)·CE
// The τ² keeps the soft term's gradient on the same scale as the hard term's as τ grows,
// because ∂KL/∂z_S shrinks like 1/τ (Hinton et al. 2015, section 2).
#include "core/result.h"

#include <span>
#include <vector>

namespace cstudio::distill {

// KL(p‖q) from log-probabilities; terms with p_i = 0 contribute 0. Never negative: rounding
// can leave −1e-17 for equal inputs, which is returned as 0.
double klDivergence(std::span<const double> logP, std::span<const double> logQ);

struct DistillationLosses {
    double temperature = 1.0;
    double alpha = 0.5;
    int hardLabel = 0;
    double forwardKl = 0.0; // KL(p_T‖p_S) at τ, nats
    double reverseKl = 0.0; // KL(p_S‖p_T) at τ, nats
    double crossEntropy = 0.0; // −log p_S(τ=1)[hardLabel], nats
    double hintonLoss = 0.0; // α·τ²·KL + (1−α)·CE, nats
    // ∂(Hinton loss)/∂z_S,i = α·τ·(p_S,i(τ) − p_T,i(τ)) + (1−α)·(p_S,i(1) − [i = label])
    std::vector<double> gradient;
};

// Checks the inputs (equal non-zero lengths, finite values, τ > 0, α in [0, 1], label in
// range) and returns the losses, or an Error whose message names the offending value.
Result<DistillationLosses> distillationLosses(std::span<const double> teacherLogits,
    std::span<const double> studentLogits, int hardLabel, double temperature, double alpha);

// Just the Hinton loss, for finite-difference checks of the gradient.
double hintonLoss(std::span<const double> teacherLogits, std::span<const double> studentLogits, int hardLabel,
    double temperature, double alpha);

} // namespace cstudio::distill
