#pragma once
// The element arithmetic of the integer quantizers, shared by integerRoundTrip() and the
// engine's fused error kernel so both produce bit-identical values.
//   symmetric:  w' = round(clip(w / s, lo, hi)) * s          (= clip(round(w/s)) for integer bounds)
//   asymmetric: w' = (clip(round(clip(w / s, +-2^22)) + z, 0, hi) - z) * s
#include "core/quant/scheme.h"
#include "core/quant/simd_dispatch.h"

#include <algorithm>
#include <cmath>

namespace cstudio {

struct IntegerLevels {
    float low;   // smallest code (symmetric: -2^(b-1); asymmetric: 0)
    float high;  // largest code (symmetric: 2^(b-1)-1; asymmetric: 2^b-1)
};

inline IntegerLevels integerLevels(const Scheme& scheme)
{
    if (scheme.kind == SchemeKind::SymmetricInt)
        return {-std::ldexp(1.0f, scheme.elementBits - 1), std::ldexp(1.0f, scheme.elementBits - 1) - 1.0f};
    return {0.0f, std::ldexp(1.0f, scheme.elementBits) - 1.0f};
}

[[gnu::always_inline]] inline float symmetricValue(float x, float scale, IntegerLevels levels)
{
    float v = x / scale;
    v = v < levels.low ? levels.low : v;
    v = v > levels.high ? levels.high : v;
    return simd::roundHalfEven(v) * scale;
}

struct AsymmetricParameters {
    float scale = 0;
    float zeroPoint = 0;
    bool zero = false;  // the range is {0}: every weight is exactly 0
};

// s = (max - min) / (2^b - 1); a constant group c (max == min) uses s = |c| / (2^b - 1), which
// represents c exactly; z = clip(-round(min / s), 0, 2^b - 1).
[[gnu::always_inline]] inline AsymmetricParameters asymmetricParameters(float minValue, float maxValue, float ratio,
                                                                        IntegerLevels levels)
{
    const float low = minValue * ratio, high = maxValue * ratio;
    AsymmetricParameters p;
    p.scale = (high - low) / levels.high;
    if (p.scale == 0.0f)
        p.scale = std::fabs(high) / levels.high;
    if (p.scale == 0.0f) {
        p.zero = true;
        return p;
    }
    p.zeroPoint = std::clamp(-simd::roundHalfEven(std::clamp(low / p.scale, -4194304.0f, 4194304.0f)), 0.0f, levels.high);
    return p;
}

[[gnu::always_inline]] inline float asymmetricValue(float x, AsymmetricParameters p, IntegerLevels levels)
{
    constexpr float kLimit = 4194304.0f;  // 2^22: beyond it q is clipped anyway (z <= 255)
    float v = x / p.scale;
    v = v < -kLimit ? -kLimit : v;
    v = v > kLimit ? kLimit : v;
    float q = simd::roundHalfEven(v) + p.zeroPoint;
    q = q < 0.0f ? 0.0f : q;
    q = q > levels.high ? levels.high : q;
    return (q - p.zeroPoint) * p.scale;
}

}  // namespace cstudio
