#pragma once
// NormalFloat4 (QLoRA, Dettmers et al. 2023, appendix E): 16 levels at quantiles of N(0,1),
// normalised to [-1, 1] with an exact zero; one fp32 absmax per block of 64.
//   nf4     code = nearest level to w / absmax, w' = level[code] * absmax       (4.5 bits/weight)
//   nf4:dq  as nf4, but the absmaxes are themselves quantized ("double quantization", QLoRA
//           section 3): per super-block of 256 groups, c = absmax - mean(absmax) is stored as
//           int8 with one fp32 scale, plus the fp32 mean. bitsandbytes stores the int8 codes
//           with its dynamic 8-bit tree code and one mean per tensor; we use symmetric int8 and a
//           mean per super-block, so a chunk never needs a tensor-wide pass. Elements are coded
//           with the exact absmax and decoded with the double-quantized one, as in bitsandbytes.
//           Bits: 4 + 8/64 + 64/16384 = 4.129.
#include "core/quant/scheme.h"

#include <array>

namespace cstudio {

inline constexpr std::array<float, 16> kNf4Levels{
    -1.0f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f,
    -0.28444138169288635f, -0.18477343022823334f, -0.09105003625154495f, 0.0f,
    0.07958029955625534f, 0.16093020141124725f, 0.24611230194568634f, 0.33791524171829224f,
    0.44070982933044434f, 0.5626170039176941f, 0.7229568362236023f, 1.0f};
inline constexpr int kNf4GroupSize = 64;
inline constexpr int kNf4DoubleQuantGroups = 256;

// Index of the level nearest to x (x in units of absmax); ties go to the lower level, like
// bitsandbytes' dQuantizeNF4 decision tree (strict '>' against the midpoints).
int nearestNf4Code(float x);

void nf4RoundTrip(const Scheme& scheme, std::span<const float> in, std::span<float> out,
                  const TensorRange& range, qint64 rowLength);

}  // namespace cstudio
