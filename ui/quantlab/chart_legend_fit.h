#pragma once
// Legend entries that read whole beside a narrow chart. Qt Charts gives a legend beside the plot
// at most 40% of the chart's width and cuts longer entries with "...". A series may carry a
// short name (the meaning of its colour) beside its full one (with its figures): where the full
// entries would be cut, the legend shows the short ones, and the full ones go to the caption.
#include <QObject>
#include <QStringList>
#include <functional>

class QAbstractSeries;
class QChart;
class QChartView;

namespace cstudio::ui {

// Gives `series` the name `full`, and `shortName` to show where the full one would be cut.
void setLegendNames(QAbstractSeries* series, const QString& full, const QString& shortName);

// Shows each series' full or short name, whichever the legend's room holds (short for all as
// soon as one full name would be cut). Returns the full names when it shows the short ones (for
// the caption), else an empty list.
QStringList fitLegendNames(QChart* chart);

// Refits a view's legend names when the view is resized, when its legend's font changes
// (presentation mode) and on refit() (after the chart is redrawn); `shortened` receives what
// fitLegendNames returned.
class LegendNameFitter : public QObject {
public:
    LegendNameFitter(QChartView* view, std::function<void(const QStringList& fullNames)> shortened);
    void refit();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void schedule();

    QChartView* view_;
    QObject* legend_;
    std::function<void(const QStringList&)> shortened_;
    bool pending_ = false;
};

}  // namespace cstudio::ui
