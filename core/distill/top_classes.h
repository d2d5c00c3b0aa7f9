#pragma once
// A 150 000-token vocabulary cannot be drawn as bars: the page shows the k classes with the
// largest teacher logits and lumps the remaining probability into one "the rest" bar.
#include <span>
#include <vector>

namespace cstudio::distill {

// Indices of the k largest values, largest first (ties: lower index first); all of them if
// k >= size.
std::vector<int> topIndices(std::span<const double> values, int k);

// Σ p_i over the classes NOT in `shown`, summed directly (not as 1 − Σ shown, which would
// lose the small tail to cancellation).
double restProbability(std::span<const double> probabilities, std::span<const int> shown);

} // namespace cstudio::distill
