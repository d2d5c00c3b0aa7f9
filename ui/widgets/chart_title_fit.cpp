#include "ui/widgets/chart_title_fit.h"

#include <QChart>
#include <QChartView>
#include <QFontMetrics>
#include <QVariant>

namespace cstudio::ui {
namespace {

constexpr char kFullTitle[] = "cstudioFullTitle";
constexpr char kFitting[] = "cstudioTitleFitting";

// The title broken at the space nearest its middle, or unchanged when it has no space.
QString twoLines(const QString& title)
{
    const int middle = static_cast<int>(title.size() / 2);
    int best = -1;
    for (int i = 0; i < title.size(); ++i)
        if (title.at(i) == QLatin1Char(' ') && (best < 0 || std::abs(i - middle) < std::abs(best - middle)))
            best = i;
    if (best < 0)
        return title;
    return title.left(best).toHtmlEscaped() + QStringLiteral("<br>") + title.mid(best + 1).toHtmlEscaped();
}

void fit(QChart* chart)
{
    const QString full = chart->property(kFullTitle).toString();
    // The title's room: the chart's width less its margins and the title item's own margins.
    const QMargins margins = chart->margins();
    const qreal room = chart->size().width() - margins.left() - margins.right() - 16;
    const bool oneLine = room <= 0 || QFontMetrics(chart->titleFont()).horizontalAdvance(full) <= room;
    const QString shown = oneLine ? full : twoLines(full);
    if (chart->title() != shown)
        chart->setTitle(shown);
}

}  // namespace

void setFittedChartTitle(QChartView* view, const QString& title)
{
    QChart* chart = view->chart();
    chart->setProperty(kFullTitle, title);
    if (!chart->property(kFitting).toBool()) {
        chart->setProperty(kFitting, true);
        // A new size or a new title font (presentation mode) lays the chart out again.
        QObject::connect(chart, &QChart::geometryChanged, chart, [chart] { fit(chart); });
        QObject::connect(chart, &QChart::plotAreaChanged, chart, [chart] { fit(chart); });
    }
    fit(chart);
}

QString fittedChartTitle(const QChart* chart)
{
    const QVariant full = chart->property(kFullTitle);
    return full.isValid() ? full.toString() : chart->title();
}

}  // namespace cstudio::ui
