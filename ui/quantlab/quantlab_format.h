#pragma once
// Display formatting shared by the Quant Lab's views: units, percentages and the tooltips that
// say how each metric is computed (the definitions of core/analysis/analysis_types.h).
#include <QColor>
#include <QString>

namespace cstudio::ui {

QString formatCount(double count);      // "22.7 M"
QString formatBytes(double bytes);      // "11.4 MB" (10^6)
QString formatPercent(double fraction); // 0.0123 -> "1.23 %"
// Tooltip for a TensorResultsModel column.
QString metricTooltip(int column);
// Perceptually ordered colour ramp (viridis-like) for t in [0, 1].
QColor heatColor(double t);

}  // namespace cstudio::ui
