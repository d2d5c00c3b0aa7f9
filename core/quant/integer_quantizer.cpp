#include "core/quant/integer_quantizer.h"

#include "core/quant/integer_rounding.h"
#include "core/quant/simd_dispatch.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace cstudio {

float clipRatio(int candidate)
{
    return 1.0f - 0.02f * static_cast<float>(candidate);
}

namespace {

IntegerLevels levelsOf(const Scheme& scheme)
{
    return integerLevels(scheme);
}

[[gnu::always_inline]] inline void symmetricWithScale(const float* x, float* y, qint64 n, float scale, IntegerLevels levels)
{
    for (qint64 i = 0; i < n; ++i)
        y[i] = symmetricValue(x[i], scale, levels);
}

[[gnu::always_inline]] inline void asymmetricWithParameters(const float* x, float* y, qint64 n, AsymmetricParameters p, IntegerLevels levels)
{
    for (qint64 i = 0; i < n; ++i)
        y[i] = asymmetricValue(x[i], p, levels);
}

struct GroupExtent {
    float absMax = 0, minValue = 0, maxValue = 0;
    bool finite = true;
};

[[gnu::always_inline]] inline GroupExtent symmetricExtent(const float* x, qint64 n)
{
    std::uint32_t key = 0;
    for (qint64 i = 0; i < n; ++i)
        key = std::max(key, simd::magnitudeKey(x[i]));
    GroupExtent extent;
    extent.finite = key < simd::kInfinityKey;
    extent.absMax = std::bit_cast<float>(key);
    return extent;
}

[[gnu::always_inline]] inline GroupExtent asymmetricExtent(const float* x, qint64 n)
{
    std::int32_t low = simd::orderKey(x[0]), high = low;
    for (qint64 i = 0; i < n; ++i) {
        const std::int32_t key = simd::orderKey(x[i]);
        low = std::min(low, key);
        high = std::max(high, key);
    }
    GroupExtent extent;
    extent.finite = low > simd::orderKey(-INFINITY) && high < simd::orderKey(INFINITY);
    extent.minValue = simd::fromOrderKey(low);
    extent.maxValue = simd::fromOrderKey(high);
    return extent;
}

[[gnu::always_inline]] inline float squaredError(const float* x, const float* y, qint64 n)
{
    float sum = 0;
    for (qint64 i = 0; i < n; ++i) {
        const float d = y[i] - x[i];
        sum += d * d;
    }
    return sum;
}

// One group: its extent, then (":mse") the best clip ratio, then the round trip. A group with
// NaN/Inf is copied unchanged (the metrics leave it out); an all-zero group stays zero.
[[gnu::always_inline]] inline void quantizeGroup(const float* x, float* y, qint64 n, bool symmetric, bool search, IntegerLevels levels)
{
    const GroupExtent extent = symmetric ? symmetricExtent(x, n) : asymmetricExtent(x, n);
    if (!extent.finite) {
        std::copy(x, x + n, y);
        return;
    }
    auto apply = [&](float ratio) __attribute__((always_inline)) {
        if (symmetric) {
            if (extent.absMax == 0.0f) {
                std::fill(y, y + n, 0.0f);
                return;
            }
            symmetricWithScale(x, y, n, extent.absMax * ratio / levels.high, levels);
        } else {
            const AsymmetricParameters p = asymmetricParameters(extent.minValue, extent.maxValue, ratio, levels);
            if (p.zero)
                std::fill(y, y + n, 0.0f);
            else
                asymmetricWithParameters(x, y, n, p, levels);
        }
    };
    float bestRatio = 1.0f;
    if (search) {
        float bestError = INFINITY;
        for (int c = 0; c < kClipRatioCount; ++c) {
            apply(clipRatio(c));
            const float error = squaredError(x, y, n);
            if (error < bestError) {
                bestError = error;
                bestRatio = clipRatio(c);
            }
        }
    }
    apply(bestRatio);
}

CSTUDIO_VECTOR_CLONES
void quantizeGroups(const float* in, float* out, qint64 n, qint64 groupLength, bool symmetric, bool search,
                    IntegerLevels levels)
{
    for (qint64 start = 0; start < n; start += groupLength)
        quantizeGroup(in + start, out + start, std::min(groupLength, n - start), symmetric, search, levels);
}

// ":tensor": the scale comes from the whole tensor's range (and the searched clip ratio).
CSTUDIO_VECTOR_CLONES
void quantizeWithRange(const float* in, float* out, qint64 n, bool symmetric, const TensorRange& range,
                       float ratio, IntegerLevels levels)
{
    if (range.nonFiniteCount > 0 || !range.valid) {
        std::copy(in, in + n, out);
        return;
    }
    if (symmetric) {
        if (range.absMax == 0.0f)
            std::fill(out, out + n, 0.0f);
        else
            symmetricWithScale(in, out, n, range.absMax * ratio / levels.high, levels);
        return;
    }
    const AsymmetricParameters p = asymmetricParameters(range.minValue, range.maxValue, ratio, levels);
    if (p.zero)
        std::fill(out, out + n, 0.0f);
    else
        asymmetricWithParameters(in, out, n, p, levels);
}

}  // namespace

void integerRoundTrip(const Scheme& scheme, std::span<const float> in, std::span<float> out,
                      const TensorRange& range, qint64 rowLength)
{
    const bool symmetric = scheme.kind == SchemeKind::SymmetricInt;
    const IntegerLevels levels = levelsOf(scheme);
    const auto n = static_cast<qint64>(std::min(in.size(), out.size()));
    if (n == 0)
        return;
    if (scheme.granularity == Granularity::Tensor) {
        quantizeWithRange(in.data(), out.data(), n, symmetric, range, scheme.mseClip ? range.clipRatio : 1.0f, levels);
        return;
    }
    const qint64 groupLength = scheme.granularity == Granularity::Channel ? std::max<qint64>(rowLength, 1) : scheme.groupSize;
    quantizeGroups(in.data(), out.data(), n, groupLength, symmetric, scheme.mseClip, levels);
}

void integerClipSearchErrors(const Scheme& scheme, std::span<const float> in, const TensorRange& range,
                             std::span<double, kClipRatioCount> errors)
{
    const bool symmetric = scheme.kind == SchemeKind::SymmetricInt;
    const IntegerLevels levels = levelsOf(scheme);
    constexpr qint64 kTile = 4096;
    std::vector<float> scratch(kTile);
    for (int c = 0; c < kClipRatioCount; ++c) {
        double sum = 0;
        for (qint64 start = 0; start < static_cast<qint64>(in.size()); start += kTile) {
            const qint64 n = std::min<qint64>(kTile, static_cast<qint64>(in.size()) - start);
            quantizeWithRange(in.data() + start, scratch.data(), n, symmetric, range, clipRatio(c), levels);
            sum += squaredError(in.data() + start, scratch.data(), n);
        }
        errors[static_cast<std::size_t>(c)] += sum;
    }
}

void symmetricRoundTripDouble(std::span<const double> in, std::span<double> out, int bits, qint64 groupSize)
{
    const double qmax = std::ldexp(1.0, bits - 1) - 1.0;
    const auto n = static_cast<qint64>(std::min(in.size(), out.size()));
    for (qint64 start = 0; start < n; start += groupSize) {
        const qint64 end = std::min(n, start + groupSize);
        double absMax = 0;
        for (qint64 i = start; i < end; ++i)
            absMax = std::max(absMax, std::fabs(in[static_cast<std::size_t>(i)]));
        const double scale = absMax / qmax;
        for (qint64 i = start; i < end; ++i) {
            const auto k = static_cast<std::size_t>(i);
            if (scale == 0.0) {
                out[k] = 0.0;
                continue;
            }
            out[k] = std::clamp(std::nearbyint(in[k] / scale), -qmax - 1.0, qmax) * scale;
        }
    }
}

}  // namespace cstudio
