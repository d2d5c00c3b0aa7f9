#pragma once
// Integer round-to-nearest quantizers: symmetric absmax (int*, seed 002 EQ 7.3) and asymmetric
// min-max with a zero point (uint*), per tensor, per row or per group, with an optional search
// of the clip ratio that minimises squared error (":mse").
#include "core/quant/scheme.h"

#include <array>
#include <span>

namespace cstudio {

// Candidate clip ratios of the ":mse" search: 1.00, 0.98, ..., 0.50 (the grid AWQ's auto-clip
// and llama.cpp's make_qx_quants explore). The first ratio with the smallest error wins.
inline constexpr int kClipRatioCount = 26;
float clipRatio(int candidate);

void integerRoundTrip(const Scheme& scheme, std::span<const float> in, std::span<float> out,
                      const TensorRange& range, qint64 rowLength);

// For ":tensor:mse": the squared error of `in` (a part of the tensor) under each candidate clip
// ratio of the tensor-wide scale, added into errors[0..kClipRatioCount).
void integerClipSearchErrors(const Scheme& scheme, std::span<const float> in, const TensorRange& range,
                             std::span<double, kClipRatioCount> errors);

// Seed 002's formula in double precision, group by group over a flat array (the last group may
// be short), exactly as numpy evaluates it in float64: for fidelity tests against the seed.
void symmetricRoundTripDouble(std::span<const double> in, std::span<double> out, int bits, qint64 groupSize);

}  // namespace cstudio
