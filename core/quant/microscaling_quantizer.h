#pragma once
// Block-scaled FP4 formats with E2M1 elements {0, 0.5, 1, 1.5, 2, 3, 4, 6}:
//   mxfp4  OCP Microscaling (MX) v1.0, section 6.3: blocks of 32 share an E8M0 scale
//          X = 2^(floor(log2(amax)) - 2) (2 = exponent of E2M1's largest power of two), clamped
//          to [2^-127, 2^127]; elements P = RNE_saturating(v / X).           4.25 bits/weight
//   nvfp4  NVIDIA NVFP4: blocks of 16 share an E4M3 scale, the tensor an fp32 scale
//          g = 448 * 6 / tensor_amax. Block scale s = e4m3(amax_block / 6 * g); elements are
//          RNE_saturating(v * (1 / (s * (1 / g)))); w' = e2m1 * s / g (TensorRT-LLM's
//          reference conversion).                                               4.5 bits/weight
#include "core/quant/scheme.h"

namespace cstudio {

inline constexpr int kMxBlockSize = 32;
inline constexpr int kNvFp4BlockSize = 16;

void microscalingRoundTrip(const Scheme& scheme, std::span<const float> in, std::span<float> out,
                           const TensorRange& range, qint64 rowLength);
// mxfp4 bytes: per block of 32, one E8M0 scale byte then 16 bytes of nibbles (element 2i in the
// low nibble of byte i, 2i+1 in the high one). A short last block is padded with zeros.
QByteArray mxfp4Encode(std::span<const float> in);
// The nvfp4 tensor scale g (0 for an all-zero tensor).
float nvfp4TensorScale(const TensorRange& range);

}  // namespace cstudio
