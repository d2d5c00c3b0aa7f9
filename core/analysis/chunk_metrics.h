#pragma once
// The inner loops of the analysis engine, shared by every engine that runs on the CPU: describe
// the weight groups of a chunk once (sum of squares, zero/constant/non-finite), then for each
// scheme accumulate the error of its dequantized values group by group. Sums inside a group
// use 16 float lanes (vectorizable) reduced by a fixed halving tree (lane_reduction.h); every
// group's sums are added into double in group order. The CUDA engine mirrors this arithmetic
// operation for operation; tests/core/analysis/test_engine_exactness.cpp pins its results.
#include "core/analysis/analysis_types.h"
#include "core/analysis/lane_reduction.h"

#include <cstdint>
#include <span>
#include <vector>

namespace cstudio {

struct WeightGroups {
    enum Flag : std::uint8_t { Zero = 1, Constant = 2, NonFinite = 4 };
    qint64 groupLength = 0;
    std::vector<float> sumSquares;     // per group
    std::vector<std::uint8_t> flags;   // per group, Flag bits
    std::vector<float> absMax, minValue, maxValue;  // per group (shared by every scheme of this group length)
    bool hasExtremes = false;  // minValue/maxValue filled (asymmetric schemes need them)
};

// Groups of `groupLength` consecutive elements of `w` (the last one may be short); `extremes`:
// also each group's min/max (costs about a third more).
void describeWeightGroups(std::span<const float> w, qint64 groupLength, WeightGroups& groups, bool extremes = true);

struct SchemeAccumulator {
    ErrorMetrics error;
    LogHistogram errorHistogram;
    LogHistogram groupRmseHistogram;
    bool sawNonFinite = false;  // for tensor-wide schemes: the tensor has NaN/Inf somewhere

    void merge(const SchemeAccumulator& other);
};

// What the group loop carries from one tile of a chunk to the next: the float lanes of the cross
// terms, the lanes of the max error, and the chunk's double sums. A chunk fed tile by tile
// through one state gives exactly the sums of one call over the whole chunk.
struct GroupErrorState {
    float cross[detail::kLanes] = {}, squaredOut[detail::kLanes] = {};
    std::uint32_t errorKey[detail::kLanes] = {};
    qint64 sinceFlush = 0, elements = 0;
    double sumSquaredError = 0, sumSquaredWeight = 0;

    // cross terms and the max error matter per tensor only: lanes flushed to double every ~1024
    void flush(ErrorMetrics& e)
    {
        for (int k = 0; k < detail::kLanes; ++k) {
            e.sumWeightTimesDequantized += cross[k];
            e.sumSquaredDequantized += squaredOut[k];
            cross[k] = squaredOut[k] = 0;
        }
        sinceFlush = 0;
    }
};

// Ends a chunk: what the state holds goes into the accumulator (once per chunk).
void finishGroupErrors(GroupErrorState& state, SchemeAccumulator& accumulator);
// Error of `dequantized` against `w`, where w starts at group `firstGroup` of `groups`.
// countGroups: the groups are the scheme's scale groups (counted, their RMSE recorded); false
// for tensor-wide schemes, whose only group is the tensor (the engine counts it at the end).
// groupRmse (nullable): receives each group's RMSE.
void accumulateGroupErrors(std::span<const float> w, std::span<const float> dequantized, const WeightGroups& groups,
                           qint64 firstGroup, bool countGroups, SchemeAccumulator& accumulator, float* groupRmse);
// Fused quantize + error for int/uint schemes without ":mse": the dequantized values are
// computed from the shared group extents in `groups` (or the tensor range for ":tensor") and
// never stored; bit-identical to integerRoundTrip() followed by accumulateGroupErrors().
bool hasFusedIntegerKernel(const Scheme& scheme);
// Continues `state` (a chunk may come tile by tile); finishGroupErrors() ends the chunk.
void accumulateIntegerErrors(const Scheme& scheme, std::span<const float> w, const WeightGroups& groups, qint64 firstGroup,
                             const TensorRange& range, bool countGroups, GroupErrorState& state, SchemeAccumulator& accumulator,
                             float* groupRmse);
void accumulateErrorHistogram(std::span<const float> w, std::span<const float> dequantized, LogHistogram& histogram);


}  // namespace cstudio
