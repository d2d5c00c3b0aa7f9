#pragma once
// The analysis as JSON, the same for `cstudio analyze --json` and the Quant Lab's export:
//   { "source", "device", "seconds",
//     "schemes": [ {scheme, bits_per_weight, bytes, params, rmse, rel_rmse, max_abs_err, sqnr_db,
//                   cosine, groups, zero_groups, constant_groups, nonfinite_groups, note?,
//                   error_histogram?: [[lower edge, count] of each non-empty 1/4-octave bin of
//                   |w' - w|], when the request computed it} ],
//     "layers":  [ {layer, params, results: [same fields]} ],
//     "tensors": [ {name, layer, role, shape, params, weights: {mean, std, kurtosis, max_over_sigma,
//                   share_beyond_6_sigma}, results: [same fields (+ group_rmse: [...] with per-group)]} ] }
// sqnr_db is null when the round trip is exact (infinite).
#include "core/analysis/analysis_types.h"

#include <QJsonObject>

namespace cstudio {

QJsonObject schemeMetricsToJson(const SchemeMetrics& metrics);
QJsonObject analysisToJson(const AnalysisResult& result, bool perGroup = false);

}  // namespace cstudio
