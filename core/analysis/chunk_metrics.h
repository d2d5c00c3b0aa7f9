#pragma once
// The inner loops of the analysis engine, shared by every engine that runs on the CPU: describe
// the weight groups of a chunk once (sum of squares, zero/constant/non-finite), then for each
// scheme accumulate the error of its dequantized values group by group. Sums inside a group
// use 16 float lanes (vectorizable); every group's sums are added into double.
#include "core/analysis/analysis_types.h"

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
};

// Groups of `groupLength` consecutive elements of `w` (the last one may be short).
void describeWeightGroups(std::span<const float> w, qint64 groupLength, WeightGroups& groups);

struct SchemeAccumulator {
    ErrorMetrics error;
    LogHistogram errorHistogram;
    LogHistogram groupRmseHistogram;
    bool sawNonFinite = false;  // for tensor-wide schemes: the tensor has NaN/Inf somewhere

    void merge(const SchemeAccumulator& other);
};

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
void accumulateIntegerErrors(const Scheme& scheme, std::span<const float> w, const WeightGroups& groups, qint64 firstGroup,
                             const TensorRange& range, bool countGroups, SchemeAccumulator& accumulator, float* groupRmse);
void accumulateErrorHistogram(std::span<const float> w, std::span<const float> dequantized, LogHistogram& histogram);

void accumulateMoments(std::span<const float> w, WeightMoments& moments);
// Finite elements with |w - mean| > threshold.
qint64 countBeyond(std::span<const float> w, double mean, double threshold);

}  // namespace cstudio
