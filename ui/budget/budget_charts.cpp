#include "ui/budget/budget_charts.h"
#include "ui/widgets/chart_title_fit.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QEvent>
#include <QGridLayout>
#include <QLineSeries>
#include <QStackedBarSeries>
#include <QToolTip>
#include <QValueAxis>
#include <cmath>

namespace cstudio::ui {
namespace {

// Mid-tone colours that read on light and dark backgrounds alike.
const QColor kWeightsColor(0x3b, 0x82, 0xc4);
const QColor kKvColor(0xe3, 0x9b, 0x2d);
const QColor kCapacityColor(0xd0, 0x47, 0x3d);
const QColor kDevicesColor(0x7b, 0x68, 0xc8);
const QColor kSpeedColor(0x2e, 0x9d, 0x5b);
const QColor kCostColor(0xc0, 0x6c, 0x2a);

// A "nice" axis maximum: 1, 2 or 5 times a power of ten above `value`.
double niceCeiling(double value)
{
    if (!(value > 0) || !std::isfinite(value))
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (value <= step * magnitude)
            return step * magnitude;
    return 10 * magnitude;
}

QString number(double value, int decimals) { return QString::number(value, 'f', decimals); }

}  // namespace

BudgetCharts::BudgetCharts(QWidget* parent) : QWidget(parent)
{
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(6);
    memory_ = makeChart(QStringLiteral("memoryChart"), tr("Memory by precision"), tr("GB"), true,
                        {tr("Weights"), tr("KV cache"), tr("Overhead")});
    capacity_ = new QLineSeries(memory_.view->chart());
    capacity_->setName(tr("Capacity"));
    memory_.view->chart()->addSeries(capacity_);
    capacity_->attachAxis(memory_.categories);
    capacity_->attachAxis(memory_.values);
    devices_ = makeChart(QStringLiteral("devicesChart"), tr("Devices needed"), tr("devices"), false, {tr("Devices needed")});
    speed_ = makeChart(QStringLiteral("speedChart"), tr("Decode bound (tokens/s)"), tr("tokens/s"), false, {tr("Upper bound, all sequences")});
    cost_ = makeChart(QStringLiteral("costChart"), tr("US$ per million tokens"), tr("US$ / M tokens"), false,
                      {tr("At the speed bound")});
    // Connected once the charts sit in their members: the handlers keep pointers to them.
    for (BarChart* chart : {&memory_, &devices_, &speed_, &cost_})
        connectTooltips(*chart);
    // Memory is the page's main chart: the full width on top, the other three below it.
    grid->addWidget(memory_.view, 0, 0, 1, 3);
    grid->addWidget(devices_.view, 1, 0);
    grid->addWidget(speed_.view, 1, 1);
    grid->addWidget(cost_.view, 1, 2);
    grid->setRowStretch(0, 1);
    grid->setRowStretch(1, 1);
    applyPalette();
}

BudgetCharts::BarChart BudgetCharts::makeChart(const QString& objectName, const QString& title, const QString& valueTitle,
                                               bool stacked, const QStringList& setNames)
{
    BarChart chart;
    auto* qchart = new QChart;
    qchart->setAnimationOptions(QChart::NoAnimation);  // redraws must keep up with the slider
    qchart->legend()->setAlignment(Qt::AlignTop);
    qchart->setMargins(QMargins(2, 2, 2, 2));
    chart.series = stacked ? static_cast<QAbstractBarSeries*>(new QStackedBarSeries) : new QBarSeries;
    chart.series->setBarWidth(0.7);
    for (const QString& name : setNames) {
        auto* set = new QBarSet(name);
        chart.series->append(set);
        chart.sets.push_back(set);
        chart.tooltips.emplace_back();
    }
    qchart->addSeries(chart.series);
    chart.categories = new QBarCategoryAxis;
    chart.categories->setLabelsAngle(-90);
    QFont labelFont = font();
    labelFont.setPointSizeF(labelFont.pointSizeF() * (stacked ? 0.85 : 0.72));
    chart.categories->setLabelsFont(labelFont);
    chart.values = new QValueAxis;
    // The small charts carry their unit in the title: an axis title would take the width
    // their 13 category labels need.
    if (stacked)
        chart.values->setTitleText(valueTitle);
    chart.values->setLabelFormat(QStringLiteral("%.4g"));
    qchart->addAxis(chart.categories, Qt::AlignBottom);
    qchart->addAxis(chart.values, Qt::AlignLeft);
    chart.series->attachAxis(chart.categories);
    chart.series->attachAxis(chart.values);
    if (setNames.size() == 1)
        qchart->legend()->hide();
    else
        qchart->legend()->setAlignment(Qt::AlignRight);
    chart.view = new QChartView(qchart, this);
    chart.view->setObjectName(objectName);
    // Bars are axis-aligned rectangles: without antialiasing they stay crisp and a redraw
    // during a slider drag costs a fraction as much. Text keeps its own antialiasing.
    chart.view->setRenderHint(QPainter::Antialiasing, false);
    chart.view->setMinimumSize(200, 200);
    setFittedChartTitle(chart.view, title);
    return chart;
}

void BudgetCharts::connectTooltips(BarChart& chart)
{
    const std::vector<QBarSet*> sets = chart.sets;
    const std::vector<QStringList>* tooltips = &chart.tooltips;
    connect(chart.series, &QAbstractBarSeries::hovered, this, [sets, tooltips](bool status, int index, QBarSet* set) {
        if (!status) {
            QToolTip::hideText();
            return;
        }
        for (std::size_t i = 0; i < sets.size(); ++i)
            if (sets[i] == set && index < (*tooltips)[i].size())
                QToolTip::showText(QCursor::pos(), (*tooltips)[i][index]);
    });
}

void BudgetCharts::setRows(const std::vector<BudgetChartRow>& rows, const BudgetChartContext& context)
{
    context_ = context;
    labels_.clear();
    QStringList smallLabels;
    smallIndex_.assign(rows.size(), -1);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        labels_ << rows[i].label;
        if (i == 0 || rows[i].inSmallCharts) {  // row 0, the slider's precision, is everywhere
            smallIndex_[i] = static_cast<int>(smallLabels.size());
            smallLabels << rows[i].label;
        }
    }
    for (BarChart* chart : {&memory_, &devices_, &speed_, &cost_}) {
        const QStringList& categories = chart == &memory_ ? labels_ : smallLabels;
        chart->categories->clear();
        chart->categories->append(categories);
        for (std::size_t s = 0; s < chart->sets.size(); ++s) {
            QBarSet* set = chart->sets[s];
            set->remove(0, set->count());
            set->append(QList<qreal>(categories.size(), 0.0));
            chart->tooltips[s] = QStringList(QList<QString>(categories.size()));
        }
    }
    for (std::size_t i = 0; i < rows.size(); ++i)
        fillRow(static_cast<int>(i), rows[i]);
    // Category 0 is the slider's precision: drawn in each set's selected (darker) colour.
    for (BarChart* chart : {&memory_, &devices_, &speed_, &cost_})
        for (QBarSet* set : chart->sets)
            set->selectBar(0);
    capacity_->setName(context.capacityLabel);
    capacity_->replace(QList<QPointF>{{-0.5, context.capacityGB}, {rows.size() - 0.5, context.capacityGB}});
    setFittedChartTitle(speed_.view, context.hasBandwidth ? tr("Decode bound (tokens/s)") : tr("Decode bound: bandwidth unknown"));
    setFittedChartTitle(cost_.view, context.hasPrice ? tr("US$ per million tokens") : tr("US$ per M tokens: no price"));
    rescale();
}

void BudgetCharts::updateSelected(const BudgetChartRow& row)
{

    // The category's label stays: renaming a category re-lays out the whole chart (about
    // 1.3 ms per chart), while changing a bar's value redraws only that bar.
    if (labels_.isEmpty())
        return;
    fillRow(0, row);
    rescale();
}

void BudgetCharts::fillRow(int index, const BudgetChartRow& row)
{
    const budget::BudgetEstimate& e = row.estimate;
    const double overheadGB = e.requiredGB - e.totalGB;
    memory_.sets[0]->replace(index, e.weightsGB);
    memory_.sets[1]->replace(index, e.kvGB);
    memory_.sets[2]->replace(index, overheadGB);
    memory_.tooltips[0][index] = tr("%1: weights %2 GB = parameters × %3 bits / 8").arg(row.label, number(e.weightsGB, 1)).arg(e.bitsPerWeight);
    memory_.tooltips[1][index] = tr("%1: KV cache %2 GB = %3").arg(row.label, number(e.kvGB, 2), e.kv.formula);
    memory_.tooltips[2][index] = tr("%1: runtime overhead %2 GB = (weights + KV) × %3%").arg(row.label, number(overheadGB, 1)).arg(context_.overhead * 100);
    if (index < 0 || index >= static_cast<int>(smallIndex_.size()) || smallIndex_[index] < 0)
        return;
    index = smallIndex_[index];
    devices_.sets[0]->replace(index, e.devicesNeeded);
    devices_.tooltips[0][index] = tr("%1: %2 devices = ceil(%3 GB × (1 + %4%) / device memory)")
                                      .arg(row.label).arg(e.devicesNeeded).arg(number(e.totalGB, 1)).arg(context_.overhead * 100);
    speed_.sets[0]->replace(index, e.tokensPerSecond.value_or(0));
    speed_.tooltips[0][index] = e.tokensPerSecond
                                    ? tr("%1: ≤ %2 tokens/s = %3 devices' bandwidth / (%4 GB active weights + %5 GB KV) × batch")
                                          .arg(row.label, number(*e.tokensPerSecond, 1)).arg(e.devicesNeeded)
                                          .arg(number(e.activeWeightsGB, 2), number(e.kvGB, 2))
                                    : tr("%1: device bandwidth unknown").arg(row.label);
    cost_.sets[0]->replace(index, e.costPerMillionTokens.value_or(0));
    cost_.tooltips[0][index] = e.costPerMillionTokens
                                   ? tr("%1: $%2 per million tokens = $%3/h / (%4 tokens/s × 3600) × 10⁶")
                                         .arg(row.label, number(*e.costPerMillionTokens, 3), number(*e.costPerHour, 2),
                                              number(e.tokensPerSecond.value_or(0), 1))
                                   : tr("%1: no price or speed for this device").arg(row.label);
}

void BudgetCharts::rescale()
{
    auto maxOf = [](const BarChart& chart, bool stacked) {
        double top = 0;
        const int count = chart.sets.empty() ? 0 : chart.sets.front()->count();
        for (int i = 0; i < count; ++i) {
            double value = 0;
            for (QBarSet* set : chart.sets)
                value = stacked ? value + set->at(i) : std::max(value, set->at(i));
            top = std::max(top, value);
        }
        return top;
    };
    // Setting an unchanged range still re-lays out the axis: only touch ranges that move.
    auto setTop = [](QValueAxis* axis, double top) {
        if (axis->max() != top || axis->min() != 0)
            axis->setRange(0, top);
    };
    setTop(memory_.values, niceCeiling(std::max(maxOf(memory_, true), context_.capacityGB) * 1.05));
    const double devicesTop = std::max(1.0, std::ceil(maxOf(devices_, false)));
    if (devices_.values->max() != devicesTop) {
        setTop(devices_.values, devicesTop);
        devices_.values->setTickCount(static_cast<int>(std::min(devicesTop, 10.0)) + 1);
        devices_.values->setLabelFormat(QStringLiteral("%d"));
    }
    setTop(speed_.values, niceCeiling(maxOf(speed_, false) * 1.05));
    setTop(cost_.values, niceCeiling(maxOf(cost_, false) * 1.05));
}

void BudgetCharts::applyPalette()
{
    const QPalette colors = palette();
    const bool dark = colors.color(QPalette::Window).lightness() < 128;
    for (BarChart* chart : {&memory_, &devices_, &speed_, &cost_}) {
        QChart* qchart = chart->view->chart();
        qchart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
        qchart->setBackgroundVisible(false);
        chart->view->setBackgroundBrush(colors.brush(QPalette::Window));
        QFont titleFont = font();
        titleFont.setBold(true);
        titleFont.setPointSizeF(titleFont.pointSizeF() * 1.05);
        qchart->setTitleFont(titleFont);
        qchart->setTitleBrush(colors.brush(QPalette::WindowText));
        qchart->legend()->setLabelColor(colors.color(QPalette::WindowText));
        for (QAbstractAxis* axis : qchart->axes()) {
            axis->setLabelsColor(colors.color(QPalette::WindowText));
            axis->setTitleBrush(colors.brush(QPalette::WindowText));
            axis->setGridLineColor(colors.color(QPalette::Mid));
            axis->setLinePenColor(colors.color(QPalette::Mid));
        }
    }
    memory_.sets[0]->setColor(kWeightsColor);
    memory_.sets[1]->setColor(kKvColor);
    QColor overhead = colors.color(QPalette::Mid);
    overhead.setAlpha(160);
    memory_.sets[2]->setColor(overhead);
    for (QBarSet* set : memory_.sets)
        set->setBorderColor(Qt::transparent);
    devices_.sets[0]->setColor(kDevicesColor);
    speed_.sets[0]->setColor(kSpeedColor);
    cost_.sets[0]->setColor(kCostColor);
    for (BarChart* chart : {&memory_, &devices_, &speed_, &cost_})
        for (QBarSet* set : chart->sets)
            set->setSelectedColor(dark ? set->color().lighter(140) : set->color().darker(150));
    QPen capacityPen(kCapacityColor, 2.5, Qt::DashLine);
    capacity_->setPen(capacityPen);
}

void BudgetCharts::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        applyPalette();
    QWidget::changeEvent(event);
}

QChart* BudgetCharts::memoryChart() const { return memory_.view->chart(); }
QChart* BudgetCharts::devicesChart() const { return devices_.view->chart(); }
QChart* BudgetCharts::speedChart() const { return speed_.view->chart(); }
QChart* BudgetCharts::costChart() const { return cost_.view->chart(); }

}  // namespace cstudio::ui
