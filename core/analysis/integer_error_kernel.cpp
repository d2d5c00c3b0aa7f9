#include "core/analysis/chunk_metrics.h"
#include "core/analysis/group_error_accumulation.h"
#include "core/quant/integer_rounding.h"

#include <vector>

namespace cstudio {

bool hasFusedIntegerKernel(const Scheme& scheme)
{
    return (scheme.kind == SchemeKind::SymmetricInt || scheme.kind == SchemeKind::AsymmetricInt) && !scheme.mseClip;
}

namespace {

CSTUDIO_VECTOR_CLONES
void symmetricErrors(std::span<const float> w, const WeightGroups& groups, qint64 firstGroup, const TensorRange* range,
                     IntegerLevels levels, bool countGroups, GroupErrorState& state, SchemeAccumulator& accumulator, float* groupRmse)
{
    const float tensorScale = range ? range->absMax / levels.high : 0.0f;
    // every group's scale up front (one vector division for 16 groups), so no group starts
    // with a scalar division on its critical path; the same IEEE quotient either way
    const qint64 length = groups.groupLength, count = (static_cast<qint64>(w.size()) + length - 1) / length;
    thread_local std::vector<float> scales;
    if (!range) {
        scales.resize(static_cast<std::size_t>(count));
        const float* absMax = groups.absMax.data() + firstGroup;
        for (qint64 g = 0; g < count; ++g)
            scales[static_cast<std::size_t>(g)] = absMax[g] / levels.high;
    }
    const float* groupScales = scales.data();
    detail::accumulateGroups(state, w, static_cast<qint64>(w.size()), groups, firstGroup, countGroups, accumulator, groupRmse,
                             [&](qint64 g, qint64) __attribute__((always_inline)) {
                                 const float scale = range ? tensorScale : groupScales[g - firstGroup];
                                 return [scale, levels](qint64, float x) __attribute__((always_inline)) {
                                     return symmetricValue(x, scale, levels);  // zero groups never get here
                                 };
                             });
}

CSTUDIO_VECTOR_CLONES
void asymmetricErrors(std::span<const float> w, const WeightGroups& groups, qint64 firstGroup, const TensorRange* range,
                      IntegerLevels levels, bool countGroups, GroupErrorState& state, SchemeAccumulator& accumulator, float* groupRmse)
{
    const AsymmetricParameters tensorParameters =
        range ? asymmetricParameters(range->minValue, range->maxValue, 1.0f, levels) : AsymmetricParameters{};
    detail::accumulateGroups(state, w, static_cast<qint64>(w.size()), groups, firstGroup, countGroups, accumulator, groupRmse,
                             [&](qint64 g, qint64) __attribute__((always_inline)) {
                                 const auto k = static_cast<std::size_t>(g);
                                 const AsymmetricParameters p = range ? tensorParameters
                                                                      : asymmetricParameters(groups.minValue[k], groups.maxValue[k], 1.0f, levels);
                                 return [p, levels](qint64, float x) __attribute__((always_inline)) {
                                     return asymmetricValue(x, p, levels);  // zero groups never get here
                                 };
                             });
}

}  // namespace

void accumulateIntegerErrors(const Scheme& scheme, std::span<const float> w, const WeightGroups& groups, qint64 firstGroup,
                             const TensorRange& range, bool countGroups, GroupErrorState& state, SchemeAccumulator& accumulator,
                             float* groupRmse)
{
    const bool tensorWide = scheme.granularity == Granularity::Tensor;
    if (tensorWide && (range.nonFiniteCount > 0 || !range.valid)) {
        accumulator.sawNonFinite = accumulator.sawNonFinite || range.nonFiniteCount > 0;
        return;  // no tensor-wide scale: finishTensorScheme reports the tensor as non-finite
    }
    const IntegerLevels levels = integerLevels(scheme);
    Q_ASSERT(scheme.kind == SchemeKind::SymmetricInt || tensorWide || groups.hasExtremes);  // zero points need min/max
    if (scheme.kind == SchemeKind::SymmetricInt)
        symmetricErrors(w, groups, firstGroup, tensorWide ? &range : nullptr, levels, countGroups, state, accumulator, groupRmse);
    else
        asymmetricErrors(w, groups, firstGroup, tensorWide ? &range : nullptr, levels, countGroups, state, accumulator, groupRmse);
}

}  // namespace cstudio
