#pragma once
// Turning accumulated sums into reported results: one scheme on one tensor, then layers and
// the whole model (sums of the tensors' sums, so model RMSE weighs every weight equally).
#include "core/analysis/analysis_types.h"
#include "core/analysis/chunk_metrics.h"

namespace cstudio {

// tensorWide: the scheme's only group is the tensor; its group counts come from the tensor's
// moments, and a tensor with NaN/Inf gets no metrics (no meaningful scale exists).
SchemeMetrics finishTensorScheme(const Scheme& scheme, const TensorInfo& tensor, bool applicable, const QString& note,
                                 bool tensorWide, const SchemeAccumulator& accumulator, const WeightMoments& moments,
                                 const TensorRange& range);

// Fills result.layers and result.model from result.tensors.
void aggregateLayersAndModel(AnalysisResult& result);

}  // namespace cstudio
