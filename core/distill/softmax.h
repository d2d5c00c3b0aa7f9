#pragma once
// The teacher's softened distribution (Hinton et al. 2015; seed 002's "EQ 7.2"):
//   p_i(τ) = exp(z_i / τ) / Σ_j exp(z_j / τ)
// computed through the log-sum-exp so that any finite logits work, ±1e4 and 150 000-entry
// vocabularies included: the largest z/τ is subtracted before exponentiating, so no exp()
// overflows and the largest term is exactly 1.
#include <cmath>
#include <span>
#include <utility>
#include <vector>

namespace cstudio::distill {

// log p_i(τ) for every class. Requires finite logits and τ > 0 (checked by the callers that
// take user input; see validateLogits() / validateTemperature()).
std::vector<double> logSoftmax(std::span<const double> logits, double temperature);

// p_i(τ); sums to 1 within rounding.
std::vector<double> softmax(std::span<const double> logits, double temperature);

// Shannon entropy in bits, H = -Σ p log2 p, from log-probabilities (0·log 0 counts as 0).
double entropyBits(std::span<const double> probabilities, std::span<const double> logProbabilities);
double entropyBits(std::span<const double> probabilities);

// The "effective number of classes" 2^H: a distribution with entropy H bits is as uncertain
// as a uniform choice among 2^H classes (1 for one-hot, n for uniform).
inline double effectiveClasses(double entropyInBits)
{
    return std::exp2(entropyInBits);
}

// Entropy of p(τ) at `points` temperatures spaced logarithmically from tauMin to tauMax:
// the curve the Distillation page draws. Pairs of (τ, H in bits).
std::vector<std::pair<double, double>> entropyCurve(
    std::span<const double> logits, double tauMin, double tauMax, int points);

} // namespace cstudio::distill
