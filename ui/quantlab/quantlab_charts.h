#pragma once
// The Quant Lab's Qt Charts, each redrawn from scratch from core results: per-layer error bars,
// the bit-width sweep (seed 002's table as curves), the teaching view of a tensor's weight
// histogram under two quantization grids, and the distribution of per-group RMSE.
#include "core/analysis/analysis_types.h"
#include "core/analysis/bit_width_sweep.h"
#include "core/analysis/group_inspection.h"
#include "core/analysis/weight_statistics.h"

#include <vector>

class QChart;
class QBarSeries;

namespace cstudio::ui {

// Relative RMSE per layer (bars), one bar set per scheme. `layers` receives the layer of each
// category (-1 = tensors outside blocks). Returns the series (for click handling).
QBarSeries* showLayerErrors(QChart* chart, const AnalysisResult& result, std::vector<int>* layers);

// RMSE vs bits on a log axis, one line per granularity.
void showBitWidthSweep(QChart* chart, const BitWidthSweep& sweep, const QString& subject);

// Histogram of the tensor's weights (log count axis) with the group's quantization levels and
// the levels one tensor-wide scale would give; the group's weights and their quantized values
// as markers. `zoomToGroup` narrows the x axis to the group's range.
void showGroupGrid(QChart* chart, const WeightStatistics& statistics, const GroupInspection& group,
                   const QString& tensorName, bool zoomToGroup);

// Number of groups per RMSE bin (log x), one line per scheme, for one tensor.
void showGroupErrorDistribution(QChart* chart, const TensorAnalysis& tensor);

// "model.layers.3.mlp.down_proj.weight" -> "3.mlp.down_proj", for chart titles.
QString shortTensorName(const QString& name);

// Prints "No data" in an empty chart's title area.
void showChartMessage(QChart* chart, const QString& title, const QString& message);

}  // namespace cstudio::ui
