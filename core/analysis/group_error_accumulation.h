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
template <class ForGroup>
[[gnu::always_inline]] inline void accumulateGroups(GroupErrorState& state, std::span<const float> w, qint64 n,
                                                    const WeightGroups& groups, qint64 firstGroup, bool countGroups,
                                                    SchemeAccumulator& accumulator, float* groupRmse, ForGroup&& forGroup)
{
    const qint64 length = groups.groupLength;
    ErrorMetrics& e = accumulator.error;
    // the lanes live in registers for the whole call
    float cross[kLanes], squaredOut[kLanes];
    std::uint32_t errorKey[kLanes];
    std::memcpy(cross, state.cross, sizeof cross);
    std::memcpy(squaredOut, state.squaredOut, sizeof squaredOut);
    std::memcpy(errorKey, state.errorKey, sizeof errorKey);
    qint64 sinceFlush = state.sinceFlush, elements = state.elements;
    double sumSquaredError = state.sumSquaredError, sumSquaredWeight = state.sumSquaredWeight;
    auto flush = [&] {
        for (int k = 0; k < kLanes; ++k) {
            e.sumWeightTimesDequantized += cross[k];
            e.sumSquaredDequantized += squaredOut[k];
            cross[k] = squaredOut[k] = 0;
        }
        sinceFlush = 0;
    };
    for (qint64 start = 0, g = firstGroup; start < n; start += length, ++g) {
        const float* x = w.data() + start;
        const qint64 len = std::min(length, n - start);
        const std::uint8_t flag = groups.flags[static_cast<std::size_t>(g)];
        if (flag & (WeightGroups::NonFinite | WeightGroups::Zero)) [[unlikely]] {
            // NaN/Inf: no meaningful scale, left out; all zero: every scheme is exact
            const bool nonFinite = flag & WeightGroups::NonFinite;
            accumulator.sawNonFinite = accumulator.sawNonFinite || nonFinite;
            elements += nonFinite ? 0 : len;
            if (countGroups) {
                ++e.groupCount;
                e.nonFiniteGroups += nonFinite ? 1 : 0;
                e.zeroGroups += nonFinite ? 0 : 1;
                if (!nonFinite)
                    accumulator.groupRmseHistogram.add(0.0f);
            }
            if (groupRmse)
                groupRmse[start / length] = nonFinite ? NAN : 0.0f;
            continue;
        }
        const auto value = forGroup(g, start);
        // fixed lanes: the compiler keeps them in vector registers; only the group's squared
        // error is reduced per group, the cross terms stay in lanes until the next flush
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
        const float sse = halvingSum(squaredError);
        elements += len;
        sumSquaredError += sse;
        sumSquaredWeight += groups.sumSquares[static_cast<std::size_t>(g)];
        sinceFlush += len;
        if (sinceFlush >= 1024)
            flush();
        if (countGroups) {
            ++e.groupCount;
            e.constantGroups += (flag & WeightGroups::Constant) ? 1 : 0;
            const float rmse = std::sqrt(sse / static_cast<float>(len));
            accumulator.groupRmseHistogram.add(rmse);
            if (groupRmse)
                groupRmse[start / length] = rmse;
        }
    }
    std::memcpy(state.cross, cross, sizeof cross);
    std::memcpy(state.squaredOut, squaredOut, sizeof squaredOut);
    std::memcpy(state.errorKey, errorKey, sizeof errorKey);
    state.sinceFlush = sinceFlush;
    state.elements = elements;
    state.sumSquaredError = sumSquaredError;
    state.sumSquaredWeight = sumSquaredWeight;
}

}  // namespace cstudio::detail
