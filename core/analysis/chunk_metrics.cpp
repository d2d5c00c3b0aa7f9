#include "core/analysis/chunk_metrics.h"

#include "core/analysis/group_error_accumulation.h"
#include "core/quant/simd_dispatch.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>

namespace cstudio {

void SchemeAccumulator::merge(const SchemeAccumulator& other)
{
    error.merge(other.error);
    errorHistogram.merge(other.errorHistogram);
    groupRmseHistogram.merge(other.groupRmseHistogram);
    sawNonFinite = sawNonFinite || other.sawNonFinite;
}

namespace {

// One group in explicit vectors (with lane arrays the compiler kept the lanes, and its loop
// counter, on the stack): lane k takes elements k, k+16, ...; a short group's tail goes into
// lane 0. Writes the group's row of each quantity.
template <bool Extremes>
[[gnu::always_inline]] inline void describeGroup(const float* x, qint64 len, detail::Float16& sumRow, detail::UInt16& magnitudeRow,
                                                 detail::UInt16& differenceRow, detail::Int16& lowRow, detail::Int16& highRow)
{
    using namespace detail;
    Float16 sum = {};
    UInt16 magnitude = {}, difference = {};
    const std::uint32_t firstBits = std::bit_cast<std::uint32_t>(x[0]);
    Int16 low = Int16{} + simd::orderKey(x[0]), high = low;
    qint64 i = 0;
    for (; i + kLanes <= len; i += kLanes) {
        Float16 v;
        std::memcpy(&v, x + i, sizeof v);
        sum += v * v;
        const auto bits = __builtin_bit_cast(UInt16, v);
        const UInt16 m = bits & 0x7fffffffu;
        magnitude = m > magnitude ? m : magnitude;
        if constexpr (Extremes) {
            const auto signedBits = __builtin_bit_cast(Int16, v);
            const Int16 key = signedBits ^ ((signedBits >> 31) & 0x7fffffff);
            low = key < low ? key : low;
            high = key > high ? key : high;
        } else {
            difference |= bits ^ firstBits;
        }
    }
    for (; i < len; ++i) {
        sum[0] += x[i] * x[i];
        magnitude[0] = std::max<std::uint32_t>(magnitude[0], simd::magnitudeKey(x[i]));
        if constexpr (Extremes) {
            low[0] = std::min<std::int32_t>(low[0], simd::orderKey(x[i]));
            high[0] = std::max<std::int32_t>(high[0], simd::orderKey(x[i]));
        } else {
            difference[0] |= std::bit_cast<std::uint32_t>(x[i]) ^ firstBits;
        }
    }
    sumRow = sum;
    magnitudeRow = magnitude;
    if constexpr (Extremes) {
        lowRow = low;
        highRow = high;
    } else {
        differenceRow = difference;
    }
}

// One batch of up to 16 groups starting at group `first`. With Extremes, each group's min/max
// (order keys) too; without, "constant" is found as "every bit pattern equals the first one",
// which is the same test (order keys are a bijection of the bits) in two operations, not five.
template <bool Extremes>
[[gnu::always_inline]] inline void describeBatch(std::span<const float> w, qint64 groupLength, qint64 first, WeightGroups& groups)
{
    using namespace detail;
    const auto n = static_cast<qint64>(w.size());
    const qint64 count = (n + groupLength - 1) / groupLength;
    const int batch = static_cast<int>(std::min<qint64>(kLanes, count - first));
    Float16 sumRows[kLanes];
    UInt16 magnitudeRows[kLanes], differenceRows[kLanes];
    Int16 lowRows[kLanes], highRows[kLanes];
    for (int j = 0; j < batch; ++j) {
        const qint64 g = first + j;
        const float* x = w.data() + g * groupLength;
        const qint64 len = std::min(groupLength, n - g * groupLength);
        describeGroup<Extremes>(x, len, sumRows[j], magnitudeRows[j], differenceRows[j], lowRows[j], highRows[j]);
    }
    for (int j = batch; j < kLanes; ++j) {  // unused rows of the last batch
        sumRows[j] = sumRows[0];
        magnitudeRows[j] = magnitudeRows[0];
        if constexpr (Extremes) {
            lowRows[j] = lowRows[0];
            highRows[j] = highRows[0];
        } else {
            differenceRows[j] = differenceRows[0];
        }
    }
    const Float16 sums = reduceRows(sumRows, Plus{});
    const UInt16 magnitudes = reduceRows(magnitudeRows, Max{});
    Int16 lows = {}, highs = {};
    UInt16 differences = {};
    if constexpr (Extremes) {
        lows = reduceRows(lowRows, Min{});
        highs = reduceRows(highRows, Max{});
    } else {
        differences = reduceRows(differenceRows, Max{});  // nonzero somewhere <=> max nonzero
    }
    for (int j = 0; j < batch; ++j) {
        const std::uint32_t maxMagnitude = magnitudes[j];
        const bool constant = Extremes ? lows[j] == highs[j] : differences[j] == 0;
        std::uint8_t flag = 0;
        if (maxMagnitude >= simd::kInfinityKey)
            flag = WeightGroups::NonFinite;
        else if (maxMagnitude == 0)
            flag = WeightGroups::Zero;
        else if (constant)
            flag = WeightGroups::Constant;
        const auto k = static_cast<std::size_t>(first + j);
        groups.sumSquares[k] = sums[j];
        groups.flags[k] = flag;
        groups.absMax[k] = std::bit_cast<float>(maxMagnitude);
        if constexpr (Extremes) {
            groups.minValue[k] = simd::fromOrderKey(lows[j]);
            groups.maxValue[k] = simd::fromOrderKey(highs[j]);
        }
    }
}

}  // namespace

CSTUDIO_VECTOR_CLONES
void describeWeightGroups(std::span<const float> w, qint64 groupLength, WeightGroups& groups, bool extremes)
{
    const auto n = static_cast<qint64>(w.size());
    const qint64 count = (n + groupLength - 1) / groupLength;
    groups.groupLength = groupLength;
    groups.hasExtremes = extremes;
    for (auto* v : {&groups.sumSquares, &groups.absMax})
        v->resize(static_cast<std::size_t>(count));
    if (extremes) {
        groups.minValue.resize(static_cast<std::size_t>(count));
        groups.maxValue.resize(static_cast<std::size_t>(count));
    }
    groups.flags.resize(static_cast<std::size_t>(count));
    // 16 groups at a time: each group's lanes become one row, the rows are reduced together
    for (qint64 first = 0; first < count; first += detail::kLanes) {
        if (extremes)
            describeBatch<true>(w, groupLength, first, groups);
        else
            describeBatch<false>(w, groupLength, first, groups);
    }
}

CSTUDIO_VECTOR_CLONES
void accumulateGroupErrors(std::span<const float> w, std::span<const float> dequantized, const WeightGroups& groups,
                           qint64 firstGroup, bool countGroups, SchemeAccumulator& accumulator, float* groupRmse)
{
    const auto n = static_cast<qint64>(std::min(w.size(), dequantized.size()));
    const float* y = dequantized.data();
    GroupErrorState state;
    detail::accumulateGroups(state, w, n, groups, firstGroup, countGroups, accumulator, groupRmse,
                             [y](qint64, qint64 start) __attribute__((always_inline)) {
                                 const float* yg = y + start;
                                 return [yg](qint64 i, float) __attribute__((always_inline)) { return yg[i]; };
                             });
    finishGroupErrors(state, accumulator);
}

void finishGroupErrors(GroupErrorState& state, SchemeAccumulator& accumulator)
{
    ErrorMetrics& e = accumulator.error;
    state.flush(e);
    const std::uint32_t maxKey = detail::laneMax(state.errorKey);
    e.elementCount += state.elements;
    e.sumSquaredError += state.sumSquaredError;
    e.sumSquaredWeight += state.sumSquaredWeight;
    e.maxAbsError = std::max(e.maxAbsError, static_cast<double>(std::bit_cast<float>(maxKey)));
    state = GroupErrorState{};
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

}  // namespace cstudio
