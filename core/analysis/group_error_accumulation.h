#pragma once
// The group loop of the error metrics, written once for every way of producing dequantized
// values: from an array (any scheme's round trip) or computed on the fly (the fused integer
// kernel). Inlined into each caller's vector clones.
#include "core/analysis/chunk_metrics.h"
#include "core/analysis/lane_reduction.h"
#include "core/quant/simd_dispatch.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace cstudio::detail {

// forGroup(g, start) returns value(i, x) -> the dequantized value of element start+i (x = w).
// w starts at group `firstGroup` of `groups`; groupRmse (nullable) receives each group's RMSE.
//
// Two phases per segment of up to 256 groups: the element loop leaves each group's 16
// squared-error lanes in a row (L1-resident), then the rows are reduced 16 groups at a time
// (reduceRows: the same pairs as the per-group halving tree) and each group's sums, RMSE and
// histogram bin are settled in group order. Everything the loops update is a local (the lanes
// in vector registers, sums and counters in registers), written back once at the end; every
// floating-point operation and its order is the same as one group at a time.
template <class ForGroup>
[[gnu::always_inline]] inline void accumulateGroups(GroupErrorState& state, std::span<const float> w, qint64 n,
                                                    const WeightGroups& groups, qint64 firstGroup, bool countGroups,
                                                    SchemeAccumulator& accumulator, float* groupRmse, ForGroup&& forGroup)
{
    constexpr qint64 kSegmentGroups = 256;
    const qint64 length = groups.groupLength;
    ErrorMetrics& e = accumulator.error;
    float cross[kLanes], squaredOut[kLanes];
    std::uint32_t errorKey[kLanes];
    std::memcpy(cross, state.cross, sizeof cross);
    std::memcpy(squaredOut, state.squaredOut, sizeof squaredOut);
    std::memcpy(errorKey, state.errorKey, sizeof errorKey);
    qint64 sinceFlush = state.sinceFlush, elements = state.elements;
    double sumSquaredError = state.sumSquaredError, sumSquaredWeight = state.sumSquaredWeight;
    double sumCross = e.sumWeightTimesDequantized, sumSquaredOut = e.sumSquaredDequantized;
    qint64 groupCount = 0, zeroGroups = 0, constantGroups = 0, nonFiniteGroups = 0;
    bool sawNonFinite = accumulator.sawNonFinite;
    qint64* const histogram = accumulator.groupRmseHistogram.counts.data();
    const std::uint8_t* const flags = groups.flags.data();
    const float* const sumSquares = groups.sumSquares.data();
    Float16 rows[kSegmentGroups];
    for (qint64 segmentStart = 0; segmentStart < n; segmentStart += kSegmentGroups * length) {
        const qint64 segmentEnd = std::min(n, segmentStart + kSegmentGroups * length);
        const qint64 segmentGroup = firstGroup + segmentStart / length;
        int count = 0;
        for (qint64 start = segmentStart; start < segmentEnd; start += length, ++count) {
            const qint64 g = segmentGroup + count;
            const float* x = w.data() + start;
            const qint64 len = std::min(length, n - start);
            const std::uint8_t flag = flags[g];
            if (flag & (WeightGroups::NonFinite | WeightGroups::Zero)) [[unlikely]] {
                // NaN/Inf: no meaningful scale, left out; all zero: every scheme is exact
                const bool nonFinite = flag & WeightGroups::NonFinite;
                sawNonFinite = sawNonFinite || nonFinite;
                elements += nonFinite ? 0 : len;
                if (countGroups) {
                    ++groupCount;
                    nonFiniteGroups += nonFinite ? 1 : 0;
                    zeroGroups += nonFinite ? 0 : 1;
                    if (!nonFinite)
                        ++histogram[LogHistogram::binOf(0.0f)];
                }
                if (groupRmse)
                    groupRmse[start / length] = nonFinite ? NAN : 0.0f;
                rows[count] = Float16{};
                continue;
            }
            const auto value = forGroup(g, start);
            // fixed lanes: the compiler keeps them in vector registers; lane k takes elements
            // k, k+16, ...; a short group's tail goes into lane 0
            float squaredError[kLanes] = {};
            qint64 i = 0;
            for (; i + kLanes <= len; i += kLanes)
                for (int k = 0; k < kLanes; ++k) {
                    const float xv = x[i + k];
                    const float y = value(i + k, xv);
                    const float d = y - xv;
                    squaredError[k] += d * d;
                    cross[k] += xv * y;
                    squaredOut[k] += y * y;
                    errorKey[k] = std::max(errorKey[k], simd::magnitudeKey(d));
                }
            for (; i < len; ++i) {
                const float y = value(i, x[i]);
                const float d = y - x[i];
                squaredError[0] += d * d;
                cross[0] += x[i] * y;
                squaredOut[0] += y * y;
                errorKey[0] = std::max(errorKey[0], simd::magnitudeKey(d));
            }
            std::memcpy(&rows[count], squaredError, sizeof squaredError);
            elements += len;
            sinceFlush += len;
            if (sinceFlush >= 1024) {  // cross terms and sums of squares: flushed to double
                for (int k = 0; k < kLanes; ++k) {
                    sumCross += cross[k];
                    sumSquaredOut += squaredOut[k];
                    cross[k] = squaredOut[k] = 0;
                }
                sinceFlush = 0;
            }
            if (countGroups) {
                ++groupCount;
                constantGroups += (flag & WeightGroups::Constant) ? 1 : 0;
            }
        }
        for (int batch = 0; batch < count; batch += kLanes) {
            const int size = std::min(kLanes, count - batch);
            for (int j = size; j < kLanes; ++j)  // unused rows of the last batch
                rows[batch + j] = Float16{};
            const Float16 sums = reduceRows(*reinterpret_cast<const Float16(*)[kLanes]>(&rows[batch]), Plus{});
            for (int j = 0; j < size; ++j) {  // in group order: the double sums stay sequential
                const qint64 g = segmentGroup + batch + j;
                if (flags[g] & (WeightGroups::NonFinite | WeightGroups::Zero))
                    continue;
                const qint64 start = (g - firstGroup) * length;
                const float sse = sums[j];
                sumSquaredError += sse;
                sumSquaredWeight += sumSquares[g];
                if (countGroups) {
                    const float rmse = std::sqrt(sse / static_cast<float>(std::min(length, n - start)));
                    ++histogram[LogHistogram::binOf(rmse)];
                    if (groupRmse)
                        groupRmse[start / length] = rmse;
                }
            }
        }
    }
    std::memcpy(state.cross, cross, sizeof cross);
    std::memcpy(state.squaredOut, squaredOut, sizeof squaredOut);
    std::memcpy(state.errorKey, errorKey, sizeof errorKey);
    state.sinceFlush = sinceFlush;
    state.elements = elements;
    state.sumSquaredError = sumSquaredError;
    state.sumSquaredWeight = sumSquaredWeight;
    e.sumWeightTimesDequantized = sumCross;
    e.sumSquaredDequantized = sumSquaredOut;
    e.groupCount += groupCount;
    e.zeroGroups += zeroGroups;
    e.constantGroups += constantGroups;
    e.nonFiniteGroups += nonFiniteGroups;
    accumulator.sawNonFinite = sawNonFinite;
}

}  // namespace cstudio::detail
