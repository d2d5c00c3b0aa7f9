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
    // fast path: integer min/max of order keys plus the largest magnitude key, which says
    // whether anything was NaN/Inf; only then the careful pass that skips non-finite values
    const float* x = values.data();
    const auto n = static_cast<qint64>(values.size());
    std::int32_t low = simd::orderKey(x[0]), high = low;
    std::uint32_t magnitude = 0;
#pragma omp simd reduction(min : low) reduction(max : high, magnitude)
    for (qint64 i = 0; i < n; ++i) {
        low = std::min(low, simd::orderKey(x[i]));
        high = std::max(high, simd::orderKey(x[i]));
        magnitude = std::max(magnitude, simd::magnitudeKey(x[i]));
    }
    qint64 nonFinite = 0;
    if (magnitude >= simd::kInfinityKey) {
        low = simd::orderKey(INFINITY);
        high = simd::orderKey(-INFINITY);
        for (qint64 i = 0; i < n; ++i) {
            if (simd::magnitudeKey(x[i]) >= simd::kInfinityKey) {
                ++nonFinite;
                continue;
            }
            low = std::min(low, simd::orderKey(x[i]));
            high = std::max(high, simd::orderKey(x[i]));
        }
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
