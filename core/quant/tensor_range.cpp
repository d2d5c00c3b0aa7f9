#include "core/quant/scheme.h"
#include "core/quant/simd_dispatch.h"

#include <algorithm>
#include <cmath>

namespace cstudio {

void TensorRange::include(std::span<const float> values)
{
    if (values.empty())
        return;
    // Order keys make min/max integer reductions that vectorize; NaNs fall outside +-inf.
    std::int32_t low = simd::orderKey(INFINITY), high = simd::orderKey(-INFINITY);
    qint64 nonFinite = 0;
    for (const float v : values) {
        const bool finite = simd::magnitudeKey(v) < simd::kInfinityKey;
        const std::int32_t key = simd::orderKey(v);
        nonFinite += finite ? 0 : 1;
        low = std::min(low, finite ? key : low);
        high = std::max(high, finite ? key : high);
    }
    TensorRange part;
    part.nonFiniteCount = nonFinite;
    part.valid = static_cast<qint64>(values.size()) > nonFinite;
    if (part.valid) {
        part.minValue = simd::fromOrderKey(low);
        part.maxValue = simd::fromOrderKey(high);
        part.absMax = std::max(std::fabs(part.minValue), std::fabs(part.maxValue));
    }
    merge(part);
}

void TensorRange::merge(const TensorRange& other)
{
    nonFiniteCount += other.nonFiniteCount;
    if (!other.valid)
        return;
    if (!valid) {
        absMax = other.absMax;
        minValue = other.minValue;
        maxValue = other.maxValue;
        valid = true;
        return;
    }
    absMax = std::max(absMax, other.absMax);
    minValue = std::min(minValue, other.minValue);
    maxValue = std::max(maxValue, other.maxValue);
}

TensorRange TensorRange::of(std::span<const float> values)
{
    TensorRange range;
    range.include(values);
    return range;
}

}  // namespace cstudio
