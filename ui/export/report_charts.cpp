#include "ui/export/report_charts.h"

#include "core/distill/softmax.h"
#include "core/distill/temperature_explorer.h"
#include "ui/budget/budget_charts.h"
#include "ui/distill/chart_style.h"
#include "ui/distill/explorer_charts.h"
#include "ui/export/chart_export.h"
#include "ui/quantlab/quantlab_charts.h"
#include "ui/widgets/chart_title_fit.h"

#include <QChart>
#include <QChartView>
#include <QCoreApplication>
#include <QGraphicsScene>
#include <algorithm>
#include <memory>

namespace cstudio::ui {
namespace {

// Charts are laid out at a screen-like size and rendered at 2× so text stays sharp in print;
// the report shows them at most 640 CSS pixels wide.
constexpr double kRenderScale = 2.0;

// Lays a widget out at `size` without putting it on any screen: resize and layout events are
// only delivered to a shown widget.
void layOutOffscreen(QWidget* widget, QSize size)
{
    widget->setAttribute(Qt::WA_DontShowOnScreen);
    widget->resize(size);
    widget->show();
    QCoreApplication::sendPostedEvents();
}

QChartView* viewOf(QChart* chart)
{
    if (!chart || !chart->scene())
        return nullptr;
    for (QGraphicsView* view : chart->scene()->views())
        if (auto* chartView = qobject_cast<QChartView*>(view))
            return chartView;
    return nullptr;
}

ReportFigure figureOf(QChartView* view, const QString& title, const QString& caption)
{
    return ReportFigure{title, renderChartPng(view, kRenderScale), caption, view->viewport()->width()};
}

}  // namespace

Result<QList<ReportFigure>> budgetReportFigures(const budget::BudgetInput& base, const QList<BudgetPrecision>& precisions)
{
    std::vector<BudgetChartRow> rows;
    for (const BudgetPrecision& precision : precisions) {
        budget::BudgetInput input = base;
        input.bitsPerWeight = precision.bitsPerWeight;
        Result<budget::BudgetEstimate> estimate = budget::estimateBudget(input);
        if (!estimate)
            return estimate.error();
        rows.push_back({precision.label, *estimate, true});
    }
    if (rows.empty())
        return QList<ReportFigure>{};
    BudgetChartContext context;
    context.capacityGB = base.device.memoryGB * base.deviceCount;
    context.capacityLabel = base.deviceCount == 1
                                ? QStringLiteral("%1: %2 GB").arg(base.device.name).arg(base.device.memoryGB)
                                : QStringLiteral("%1 × %2: %3 GB").arg(base.deviceCount).arg(base.device.name).arg(context.capacityGB);
    context.overhead = base.overhead;
    context.hasBandwidth = base.device.bandwidthGBs > 0;
    context.hasPrice = base.device.pricePerHour.has_value();

    auto charts = std::make_unique<BudgetCharts>();
    charts->setRows(rows, context);
    layOutOffscreen(charts.get(), QSize(800, 760));
    QList<ReportFigure> figures;
    const QString selected = QStringLiteral("The first category (%1) is drawn darker, as the GUI draws its slider's precision.")
                                 .arg(precisions.front().label);
    if (QChartView* view = viewOf(charts->memoryChart()))
        figures.append(figureOf(view, fittedChartTitle(charts->memoryChart()),
                                QStringLiteral("Weights, KV cache and runtime overhead stacked per precision; the dashed line is "
                                               "the devices' memory. ")
                                    + selected));
    if (QChartView* view = viewOf(charts->devicesChart()))
        figures.append(figureOf(view, fittedChartTitle(charts->devicesChart()),
                                QStringLiteral("Devices needed = ceil((weights + KV) × (1 + overhead) / device memory).")));
    return figures;
}

QList<ReportFigure> quantReportFigures(const AnalysisResult& result)
{
    if (result.layers.empty() || result.schemes.empty())
        return {};
    auto* chart = new QChart;
    styleChart(chart);
    QChartView view(chart);
    view.setRenderHint(QPainter::Antialiasing);
    std::vector<int> layers;
    showLayerErrors(chart, result, &layers);
    layOutOffscreen(&view, QSize(std::clamp(200 + 60 * static_cast<int>(result.layers.size()), 640, 1000), 420));
    return {figureOf(&view, chart->title(),
                     QStringLiteral("Relative RMSE of each transformer block (all its matrices together): error RMS / weight "
                                    "RMS, one bar per scheme."))};
}

Result<QList<ReportFigure>> distillReportFigures(const distill::ClassLogits& teacher, const std::vector<double>& temperatures)
{
    if (temperatures.empty())
        return QList<ReportFigure>{};
    distill::ExplorerInput input;
    input.teacherLogits = teacher.logits;
    input.studentLogits = teacher.logits;  // no student in a report: only the teacher's charts are used
    input.hardLabel = static_cast<int>(std::max_element(teacher.logits.begin(), teacher.logits.end()) - teacher.logits.begin());
    input.overlayTemperatures = temperatures;
    input.temperature = temperatures.front();
    Result<distill::ExplorerSnapshot> snapshot = distill::exploreTemperatures(input);
    if (!snapshot)
        return snapshot.error();
    const double hottest = *std::max_element(temperatures.begin(), temperatures.end());
    const std::vector<std::pair<double, double>> curve
        = distill::entropyCurve(teacher.logits, 0.1, std::max(20.0, hottest), teacher.logits.size() > 10000 ? 40 : 120);

    auto charts = std::make_unique<ExplorerCharts>();
    charts->display(*snapshot, teacher.labels, curve, static_cast<int>(teacher.logits.size()));
    layOutOffscreen(charts.get(), QSize(1280, 900));
    const QList<QPair<QString, QChartView*>> views = charts->views();
    QList<ReportFigure> figures;
    const QStringList captions = {
        QStringLiteral("Each group is one class, each colour one temperature: p_i(τ) = softmax(z / τ)."),
        QStringLiteral("H(τ) = −Σ p log₂ p of the softened teacher: 0 bits as τ → 0, log₂ n bits as τ → ∞."),
    };
    for (int i = 0; i < std::min<int>(2, static_cast<int>(views.size())); ++i)
        figures.append(figureOf(views[i].second, views[i].first, captions[i]));
    return figures;
}

}  // namespace cstudio::ui
