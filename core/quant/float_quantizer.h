#pragma once
// Float element formats: fp8 (E4M3, E5M2) with one fp32 scale per tensor that maps the tensor's
// absmax onto the format's largest finite value (saturating, as OCP FP8 quantizers do), and
// bf16/fp16 cast with round to nearest even. Element rounding is core/dtypes/minifloat_rounding.
#include "core/quant/scheme.h"

namespace cstudio {

void floatRoundTrip(const Scheme& scheme, std::span<const float> in, std::span<float> out,
                    const TensorRange& range, qint64 rowLength);
// fp8: one byte per element (the fp32 tensor scale is not part of the bytes); bf16/fp16: two
// little-endian bytes per element.
QByteArray floatEncode(const Scheme& scheme, std::span<const float> in, const TensorRange& range);
// The fp8 tensor scale: absmax / maxFinite (0 for an all-zero tensor).
float fp8TensorScale(const Scheme& scheme, const TensorRange& range);

}  // namespace cstudio
