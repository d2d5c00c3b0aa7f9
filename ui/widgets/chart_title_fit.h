#pragma once
// A chart title that stays whole: on one line while the chart is wide enough for it, broken
// into two lines at the space nearest its middle when not (a narrow card beside the Lessons
// dock, presentation mode's larger title font). Qt Charts would otherwise cut it with "...".

#include <QString>

class QChart;
class QChartView;

namespace cstudio::ui {

// Sets `title` on `view`'s chart and keeps it fitted as the chart's size or title font changes.
void setFittedChartTitle(QChartView* view, const QString& title);

// The title as set by setFittedChartTitle (without the line break it may carry on screen).
QString fittedChartTitle(const QChart* chart);

}  // namespace cstudio::ui
