#pragma once
// Shared look of the Distillation page's charts: fonts, colours, bar axes, hover tooltips.
#include <QColor>
#include <QStringList>

class QChart;
class QBarSeries;

namespace cstudio::ui {

void styleChart(QChart* chart);
// Removes every series and axis (the charts are redrawn from scratch on each change).
void clearChart(QChart* chart);
QColor seriesColor(int index); // a colour-blind-safe qualitative palette
// Category axis at the bottom (labels rotated when there are many) and a value axis.
void attachBarAxes(QChart* chart, QBarSeries* series, const QStringList& categories,
    const QString& valueTitle, double minimum, double maximum);
// Shows "set name · category: value" when the pointer rests on a bar.
void addBarTooltips(QBarSeries* series, const QStringList& categories, const QString& quantity);
// A round upper bound for an axis: 0.1, 0.2, 0.25, 0.5, 1 × 10^k above `value`.
double niceCeiling(double value);

} // namespace cstudio::ui
