#include "core/analysis/chunk_metrics.h"

#include "core/quant/simd_dispatch.h"

#include <algorithm>
#include <cmath>

namespace cstudio {

namespace {
constexpr int kLanes = 16;
}

void SchemeAccumulator::merge(const SchemeAccumulator& other)
{
    error.merge(other.error);
    errorHistogram.merge(other.errorHistogram);
    groupRmseHistogram.merge(other.groupRmseHistogram);
    sawNonFinite = sawNonFinite || other.sawNonFinite;
}

CSTUDIO_VECTOR_CLONES
void describeWeightGroups(std::span<const float> w, qint64 groupLength, WeightGroups& groups)
{
    const auto n = static_cast<qint64>(w.size());
    const qint64 count = (n + groupLength - 1) / groupLength;
    groups.groupLength = groupLength;
    groups.sumSquares.resize(static_cast<std::size_t>(count));
    groups.flags.resize(static_cast<std::size_t>(count));
    for (qint64 g = 0; g < count; ++g) {
        const float* x = w.data() + g * groupLength;
        const qint64 len = std::min(groupLength, n - g * groupLength);
        float sum[kLanes] = {};
        std::uint32_t magnitude[kLanes] = {};
        std::int32_t low[kLanes], high[kLanes];
        std::fill(low, low + kLanes, simd::orderKey(x[0]));
        std::fill(high, high + kLanes, simd::orderKey(x[0]));
        qint64 i = 0;
        for (; i + kLanes <= len; i += kLanes)
            for (int k = 0; k < kLanes; ++k) {
                const float v = x[i + k];
                sum[k] += v * v;
                magnitude[k] = std::max(magnitude[k], simd::magnitudeKey(v));
                low[k] = std::min(low[k], simd::orderKey(v));
                high[k] = std::max(high[k], simd::orderKey(v));
            }
        for (; i < len; ++i) {
            sum[0] += x[i] * x[i];
            magnitude[0] = std::max(magnitude[0], simd::magnitudeKey(x[i]));
            low[0] = std::min(low[0], simd::orderKey(x[i]));
            high[0] = std::max(high[0], simd::orderKey(x[i]));
        }
        float total = 0;
        std::uint32_t maxMagnitude = 0;
        std::int32_t lowest = low[0], highest = high[0];
        for (int k = 0; k < kLanes; ++k) {
            total += sum[k];
            maxMagnitude = std::max(maxMagnitude, magnitude[k]);
            lowest = std::min(lowest, low[k]);
            highest = std::max(highest, high[k]);
        }
        std::uint8_t flag = 0;
        if (maxMagnitude >= simd::kInfinityKey)
            flag = WeightGroups::NonFinite;
        else if (maxMagnitude == 0)
            flag = WeightGroups::Zero;
        else if (lowest == highest)
            flag = WeightGroups::Constant;
        groups.sumSquares[static_cast<std::size_t>(g)] = total;
        groups.flags[static_cast<std::size_t>(g)] = flag;
    }
}

CSTUDIO_VECTOR_CLONES
void accumulateGroupErrors(std::span<const float> w, std::span<const float> dequantized, const WeightGroups& groups,
                           qint64 firstGroup, bool countGroups, SchemeAccumulator& accumulator, float* groupRmse)
{
    constexpr int kGroupLanes = 8;  // one AVX2 vector: the per-group reduction stays cheap
    const auto n = static_cast<qint64>(std::min(w.size(), dequantized.size()));
    const qint64 length = groups.groupLength;
    ErrorMetrics& e = accumulator.error;
    // cross terms and the max error only matter per tensor: lanes flushed to double every ~1024
    float cross[kGroupLanes] = {}, squaredOut[kGroupLanes] = {};
    std::uint32_t errorKey[kGroupLanes] = {};
    qint64 sinceFlush = 0;
    double sumSquaredError = 0, sumSquaredWeight = 0;
    qint64 elements = 0;
    auto flush = [&] {
        for (int k = 0; k < kGroupLanes; ++k) {
            e.sumWeightTimesDequantized += cross[k];
            e.sumSquaredDequantized += squaredOut[k];
            cross[k] = squaredOut[k] = 0;
        }
        sinceFlush = 0;
    };
    for (qint64 start = 0, g = firstGroup; start < n; start += length, ++g) {
        const float* x = w.data() + start;
        const float* y = dequantized.data() + start;
        const qint64 len = std::min(length, n - start);
        const std::uint8_t flag = groups.flags[static_cast<std::size_t>(g)];
        if (flag & WeightGroups::NonFinite) {
            accumulator.sawNonFinite = true;
            if (countGroups) {
                ++e.groupCount;
                ++e.nonFiniteGroups;
            }
            if (groupRmse)
                groupRmse[start / length] = NAN;
            continue;
        }
        float squaredError[kGroupLanes] = {};
        qint64 i = 0;
        for (; i + kGroupLanes <= len; i += kGroupLanes)
            for (int k = 0; k < kGroupLanes; ++k) {
                const float d = y[i + k] - x[i + k];
                squaredError[k] += d * d;
                cross[k] += x[i + k] * y[i + k];
                squaredOut[k] += y[i + k] * y[i + k];
                errorKey[k] = std::max(errorKey[k], simd::magnitudeKey(d));
            }
        for (; i < len; ++i) {
            const float d = y[i] - x[i];
            squaredError[0] += d * d;
            cross[0] += x[i] * y[i];
            squaredOut[0] += y[i] * y[i];
            errorKey[0] = std::max(errorKey[0], simd::magnitudeKey(d));
        }
        const float sse = ((squaredError[0] + squaredError[1]) + (squaredError[2] + squaredError[3])) +
                          ((squaredError[4] + squaredError[5]) + (squaredError[6] + squaredError[7]));
        elements += len;
        sumSquaredError += sse;
        sumSquaredWeight += groups.sumSquares[static_cast<std::size_t>(g)];
        sinceFlush += len;
        if (sinceFlush >= 1024)
            flush();
        if (countGroups) {
            ++e.groupCount;
            e.zeroGroups += (flag & WeightGroups::Zero) ? 1 : 0;
            e.constantGroups += (flag & WeightGroups::Constant) ? 1 : 0;
            const float rmse = std::sqrt(sse / static_cast<float>(len));
            accumulator.groupRmseHistogram.add(rmse);
            if (groupRmse)
                groupRmse[start / length] = rmse;
        }
    }
    flush();
    std::uint32_t maxKey = 0;
    for (const std::uint32_t key : errorKey)
        maxKey = std::max(maxKey, key);
    e.elementCount += elements;
    e.sumSquaredError += sumSquaredError;
    e.sumSquaredWeight += sumSquaredWeight;
    e.maxAbsError = std::max(e.maxAbsError, static_cast<double>(std::bit_cast<float>(maxKey)));
}

void accumulateErrorHistogram(std::span<const float> w, std::span<const float> dequantized, LogHistogram& histogram)
{
    const std::size_t n = std::min(w.size(), dequantized.size());
    qint64* counts = histogram.counts.data();
    for (std::size_t i = 0; i < n; ++i) {
        const float d = dequantized[i] - w[i];
        if (std::isfinite(d))
            ++counts[LogHistogram::binOf(d)];
    }
}

namespace {
// Careful path for a block with NaN/Inf: only finite values count.
void momentsOfBlockWithNonFinite(const float* x, qint64 len, WeightMoments& moments)
{
    WeightMoments part;
    bool first = true;
    for (qint64 i = 0; i < len; ++i) {
        if (!std::isfinite(x[i])) {
            ++part.nonFiniteCount;
            continue;
        }
        const double v = x[i];
        part.sum += v;
        part.sumSquares += v * v;
        part.sumCubes += v * v * v;
        part.sumFourth += v * v * v * v;
        part.minValue = first ? v : std::min(part.minValue, v);
        part.maxValue = first ? v : std::max(part.maxValue, v);
        first = false;
        ++part.count;
    }
    const qint64 beyond = moments.beyondSixSigma;
    moments.merge(part);
    moments.beyondSixSigma = beyond;
}
}  // namespace

CSTUDIO_VECTOR_CLONES
void accumulateMoments(std::span<const float> w, WeightMoments& moments)
{
    constexpr qint64 kBlock = 256;
    const auto n = static_cast<qint64>(w.size());
    for (qint64 start = 0; start < n; start += kBlock) {
        const qint64 len = std::min(kBlock, n - start);
        const float* x = w.data() + start;
        float s1[kLanes] = {}, s2[kLanes] = {}, s3[kLanes] = {}, s4[kLanes] = {};
        std::int32_t low[kLanes], high[kLanes];
        std::fill(low, low + kLanes, simd::orderKey(x[0]));
        std::fill(high, high + kLanes, simd::orderKey(x[0]));
        std::uint32_t magnitude[kLanes] = {};
        qint64 i = 0;
        for (; i + kLanes <= len; i += kLanes)
            for (int k = 0; k < kLanes; ++k) {
                const float v = x[i + k];
                const float v2 = v * v;
                s1[k] += v;
                s2[k] += v2;
                s3[k] += v2 * v;
                s4[k] += v2 * v2;
                magnitude[k] = std::max(magnitude[k], simd::magnitudeKey(v));
                low[k] = std::min(low[k], simd::orderKey(v));
                high[k] = std::max(high[k], simd::orderKey(v));
            }
        for (; i < len; ++i) {
            const float v = x[i];
            s1[0] += v;
            s2[0] += v * v;
            s3[0] += v * v * v;
            s4[0] += v * v * v * v;
            magnitude[0] = std::max(magnitude[0], simd::magnitudeKey(v));
            low[0] = std::min(low[0], simd::orderKey(v));
            high[0] = std::max(high[0], simd::orderKey(v));
        }
        double t1 = 0, t2 = 0, t3 = 0, t4 = 0;
        std::int32_t lowest = low[0], highest = high[0];
        std::uint32_t maxMagnitude = 0;
        for (int k = 0; k < kLanes; ++k) {
            t1 += s1[k];
            t2 += s2[k];
            t3 += s3[k];
            t4 += s4[k];
            lowest = std::min(lowest, low[k]);
            highest = std::max(highest, high[k]);
            maxMagnitude = std::max(maxMagnitude, magnitude[k]);
        }
        if (maxMagnitude >= simd::kInfinityKey) {
            momentsOfBlockWithNonFinite(x, len, moments);
            continue;
        }
        WeightMoments part;
        part.count = len;
        part.sum = t1;
        part.sumSquares = t2;
        part.sumCubes = t3;
        part.sumFourth = t4;
        part.minValue = simd::fromOrderKey(lowest);
        part.maxValue = simd::fromOrderKey(highest);
        const qint64 beyond = moments.beyondSixSigma;
        moments.merge(part);
        moments.beyondSixSigma = beyond;
    }
}

qint64 countBeyond(std::span<const float> w, double mean, double threshold)
{
    qint64 count = 0;
    const auto m = static_cast<float>(mean), t = static_cast<float>(threshold);
    for (const float v : w)
        count += std::fabs(v - m) > t ? 1 : 0;  // NaN compares false
    return count;
}

}  // namespace cstudio
