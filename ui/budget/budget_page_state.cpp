// The Budget page's part in sessions, lessons and reports (ui/studio_page.h): its controls as
// JSON, its four charts and its precision table for export, and its report section.
#include "core/report/report_table_model.h"
#include "ui/budget/budget_charts.h"
#include "ui/budget/budget_controls.h"
#include "ui/budget/budget_page.h"
#include "ui/budget/precision_slider.h"
#include "ui/widgets/chart_title_fit.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGraphicsScene>
#include <QSpinBox>
#include <algorithm>
#include <type_traits>

namespace cstudio::ui {
namespace {

// Sets a spin box from a state number, saying what was wrong when it is not one or is out of range.
template <class Spin>
void restoreSpin(Spin* spin, const QJsonObject& state, const QString& key, double scale, QStringList* warnings)
{
    if (!state.contains(key))
        return;
    const QJsonValue value = state.value(key);
    const double number = value.toDouble() / scale;
    if (!value.isDouble() || number < spin->minimum() || number > spin->maximum()) {
        warnings->append(QObject::tr("\"%1\" must be a number from %2 to %3, not %4")
                             .arg(key)
                             .arg(spin->minimum() * scale)
                             .arg(spin->maximum() * scale)
                             .arg(value.isDouble() ? QString::number(value.toDouble()) : value.toVariant().toString()));
        return;
    }
    if constexpr (std::is_same_v<Spin, QSpinBox>)
        spin->setValue(qRound(number));
    else
        spin->setValue(number);
}

void restoreCombo(QComboBox* combo, const QJsonObject& state, const QString& key, const QString& what, QStringList* warnings)
{
    if (!state.contains(key))
        return;
    const QVariant wanted = state.value(key).toVariant();
    const int index = combo->findData(wanted);
    if (index < 0) {
        warnings->append(QObject::tr("the %1 \"%2\" is not in the catalog; the page keeps %3")
                             .arg(what, wanted.toString(), combo->currentText()));
        return;
    }
    combo->setCurrentIndex(index);
}

QChartView* viewOf(QChart* chart)
{
    if (!chart || !chart->scene())
        return nullptr;
    for (QGraphicsView* view : chart->scene()->views()) {
        if (auto* chartView = qobject_cast<QChartView*>(view))
            return chartView;
    }
    return nullptr;
}

}  // namespace

QJsonObject BudgetControls::saveState() const
{
    return {{QStringLiteral("model"), modelCombo_->currentData().toString()},
            {QStringLiteral("params"), totalParams_->value() * 1e9},
            {QStringLiteral("activeParams"), activeParams_->value() * 1e9},
            {QStringLiteral("device"), deviceCombo_->currentData().toString()},
            {QStringLiteral("deviceMemoryGB"), deviceMemory_->value()},
            {QStringLiteral("deviceBandwidthGBs"), deviceBandwidth_->value()},
            {QStringLiteral("devicePricePerHour"), devicePrice_->value()},
            {QStringLiteral("deviceCount"), deviceCount_->value()},
            {QStringLiteral("overheadPercent"), overhead_->value()},
            {QStringLiteral("context"), context_->value()},
            {QStringLiteral("batch"), batch_->value()},
            {QStringLiteral("kvBits"), kvBits_->currentData().toDouble()},
            {QStringLiteral("systemRamGB"), systemRam_->value()}};
}

void BudgetControls::restoreState(const QJsonObject& state, QStringList* warnings)
{
    // Model before its parameter counts and device before its figures: a count or a figure that
    // differs from the catalog entry makes a custom model or device, as editing it by hand does.
    restoreCombo(modelCombo_, state, QStringLiteral("model"), tr("model"), warnings);
    restoreSpin(totalParams_, state, QStringLiteral("params"), 1e9, warnings);
    restoreSpin(activeParams_, state, QStringLiteral("activeParams"), 1e9, warnings);
    restoreCombo(deviceCombo_, state, QStringLiteral("device"), tr("device"), warnings);
    restoreSpin(deviceMemory_, state, QStringLiteral("deviceMemoryGB"), 1, warnings);
    restoreSpin(deviceBandwidth_, state, QStringLiteral("deviceBandwidthGBs"), 1, warnings);
    restoreSpin(devicePrice_, state, QStringLiteral("devicePricePerHour"), 1, warnings);
    restoreSpin(deviceCount_, state, QStringLiteral("deviceCount"), 1, warnings);
    restoreSpin(overhead_, state, QStringLiteral("overheadPercent"), 1, warnings);
    restoreSpin(context_, state, QStringLiteral("context"), 1, warnings);
    restoreSpin(batch_, state, QStringLiteral("batch"), 1, warnings);
    restoreCombo(kvBits_, state, QStringLiteral("kvBits"), tr("KV precision"), warnings);
    restoreSpin(systemRam_, state, QStringLiteral("systemRamGB"), 1, warnings);
}

QJsonObject BudgetPage::saveState() const
{
    QJsonObject state = controls_->saveState();
    state.insert(QStringLiteral("bits"), slider_->bits());
    const int format = formatCombo_->currentIndex();
    if (format >= 0 && format < static_cast<int>(formats_.size()) && std::abs(formats_[format].bitsPerWeight - slider_->bits()) < 1e-9)
        state.insert(QStringLiteral("format"), formats_[format].id);
    return state;
}

void BudgetPage::restoreState(const QJsonObject& state, QStringList* warnings)
{
    controls_->restoreState(state, warnings);
    if (state.contains(QStringLiteral("format"))) {
        const QString id = state.value(QStringLiteral("format")).toString();
        const auto format = std::find_if(formats_.begin(), formats_.end(), [&](const budget::QuantFormat& f) { return f.id == id; });
        if (format == formats_.end()) {
            warnings->append(tr("the format \"%1\" is not in the catalog").arg(id));
        } else {
            // Pick the combo entry first: formats sharing a width (INT4 g64 and MXFP4) keep the pick.
            formatCombo_->setCurrentIndex(static_cast<int>(format - formats_.begin()));
            slider_->setBits(format->bitsPerWeight);
            syncPrecisionWidgets();
        }
    }
    if (state.contains(QStringLiteral("bits"))) {
        const double bits = state.value(QStringLiteral("bits")).toDouble();
        if (!state.value(QStringLiteral("bits")).isDouble() || bits < PrecisionSlider::kMinBits || bits > PrecisionSlider::kMaxBits)
            warnings->append(tr("\"bits\" must be a number from %1 to %2").arg(PrecisionSlider::kMinBits).arg(PrecisionSlider::kMaxBits));
        else
            slider_->setBits(bits);
    }
}

QList<ExportableChart> BudgetPage::exportableCharts() const
{
    QList<ExportableChart> charts;
    for (QChart* chart : {charts_->memoryChart(), charts_->devicesChart(), charts_->speedChart(), charts_->costChart()}) {
        if (QChartView* view = viewOf(chart))
            charts.append({fittedChartTitle(chart).isEmpty() ? view->objectName() : fittedChartTitle(chart), view});
    }
    return charts;
}

QList<BudgetPrecision> BudgetPage::reportPrecisions() const
{
    const auto& here = slider_->formatsAtBits();
    const QString selected = here.empty() ? tr("%1-bit").arg(QString::number(slider_->bits(), 'g', 6)) : here.front()->name;
    QList<BudgetPrecision> precisions{{tr("%1 (selected)").arg(selected), slider_->bits()}};
    for (const budget::QuantFormat* format : chartFormats_)
        precisions.append({format->name, format->bitsPerWeight});
    return precisions;
}

QList<ExportableTable> BudgetPage::exportableTables() const
{
    Result<ReportTable> table = budgetPrecisionTable(controls_->input(), reportPrecisions());
    if (!table)
        return {};
    precisionTable_->setTable(*table);
    return {{table->title, precisionTable_}};
}

QString BudgetPage::reportSummaryHtml() const
{
    const QList<BudgetPrecision> precisions = reportPrecisions();
    Result<ReportSection> section = budgetReportSection(controls_->input(), precisions.front(), precisions);
    return section ? section->summaryHtml : tr("Invalid input: %1").arg(section.error().message.toHtmlEscaped());
}

}  // namespace cstudio::ui
