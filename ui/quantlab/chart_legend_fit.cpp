#include "ui/quantlab/chart_legend_fit.h"

#include <QAbstractSeries>
#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QFontMetricsF>
#include <QLegend>
#include <algorithm>

namespace cstudio::ui {
namespace {
constexpr char kFullName[] = "cstudioFullName";
constexpr char kShortName[] = "cstudioShortName";
}  // namespace

void setLegendNames(QAbstractSeries* series, const QString& full, const QString& shortName)
{
    series->setProperty(kFullName, full);
    series->setProperty(kShortName, shortName);
    series->setName(full);
}

QStringList fitLegendNames(QChart* chart)
{
    QLegend* legend = chart->legend();
    const QFontMetricsF metrics(legend->font());
    qreal widest = 0;
    QStringList full;
    for (QAbstractSeries* series : chart->series()) {
        const QString name = series->property(kFullName).toString();
        if (name.isEmpty() || series->property(kShortName).toString().isEmpty())
            continue;
        full << name;
        widest = std::max(widest, metrics.horizontalAdvance(name));
    }
    // Beside or above the plot: its share of the chart (Qt Charts' 0.4) less the chart's
    // margins; an entry adds its marker (about a line high), the gaps and the legend's frame.
    const bool beside = legend->alignment() == Qt::AlignLeft || legend->alignment() == Qt::AlignRight;
    const QMargins margins = chart->margins();
    const qreal room = (chart->size().width() - margins.left() - margins.right()) * (beside ? 0.4 : 1.0);
    const bool shorten = !full.isEmpty() && widest + 2 * metrics.height() + 24 > room;
    for (QAbstractSeries* series : chart->series()) {
        const QString name = series->property(shorten ? kShortName : kFullName).toString();
        if (!name.isEmpty() && series->name() != name)
            series->setName(name);
    }
    return shorten ? full : QStringList();
}

LegendNameFitter::LegendNameFitter(QChartView* view, std::function<void(const QStringList&)> shortened)
    : QObject(view), view_(view), legend_(view->chart()->legend()), shortened_(std::move(shortened))
{
    view->installEventFilter(this);
    legend_->installEventFilter(this);
}

void LegendNameFitter::refit()
{
    pending_ = false;
    const QStringList full = fitLegendNames(view_->chart());
    if (shortened_)
        shortened_(full);
}

bool LegendNameFitter::eventFilter(QObject* watched, QEvent* event)
{
    // Only compares pointers: the view sends events while it is being destroyed too.
    if ((watched == view_ && (event->type() == QEvent::Resize || event->type() == QEvent::Show))
        || (watched == legend_ && event->type() == QEvent::FontChange))
        schedule();
    return QObject::eventFilter(watched, event);
}

void LegendNameFitter::schedule()
{
    // After the chart has its new size or font: the view resizes the chart in its own handler.
    if (pending_)
        return;
    pending_ = true;
    QMetaObject::invokeMethod(this, &LegendNameFitter::refit, Qt::QueuedConnection);
}

}  // namespace cstudio::ui
