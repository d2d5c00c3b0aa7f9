// BudgetPage as a StudioPage: its session/lesson state, its charts and table for exports, and
// its paragraph in the report. Kept apart from budget_page.cpp, which builds and updates the page.
#include "core/budget/format_catalog.h"
#include "ui/budget/budget_charts.h"
#include "ui/budget/budget_controls.h"
#include "ui/budget/budget_page.h"
#include "ui/budget/precision_slider.h"

#include <QStandardItemModel>
#include <algorithm>

namespace cstudio::ui {
namespace {

// By id, name or short name ignoring case, else the one format whose name contains `text`.
const budget::QuantFormat* findFormatLoosely(const std::vector<budget::QuantFormat>& formats, const QString& text)
{
    const budget::QuantFormat* contained = nullptr;
    int matches = 0;
    for (const budget::QuantFormat& format : formats) {
        if (format.id.compare(text, Qt::CaseInsensitive) == 0 || format.name.compare(text, Qt::CaseInsensitive) == 0
            || format.shortName.compare(text, Qt::CaseInsensitive) == 0)
            return &format;
        if (format.name.contains(text, Qt::CaseInsensitive)) {
            contained = &format;
            ++matches;
        }
    }
    return matches == 1 ? contained : nullptr;
}

QStandardItem* numberItem(double value, int decimals)
{
    auto* item = new QStandardItem(QString::number(value, 'f', decimals));
    item->setData(value, Qt::UserRole);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

}  // namespace

QJsonObject BudgetPage::saveState() const
{
    QJsonObject state = controls_->saveState();
    state.insert(QStringLiteral("bits"), slider_->bits());
    const auto& here = slider_->formatsAtBits();
    if (!here.empty()) {
        const bool requested = std::any_of(here.begin(), here.end(), [this](const budget::QuantFormat* f) { return f->id == formatRequest_.second; });
        state.insert(QStringLiteral("format"), requested ? formatRequest_.first : here.front()->name);
    }
    return state;
}

void BudgetPage::restoreState(const QJsonObject& state, QStringList* warnings)
{
    controls_->restoreState(state, warnings);
    if (state.contains(QStringLiteral("format"))) {
        const QString name = state.value(QStringLiteral("format")).toString();
        if (const budget::QuantFormat* format = findFormatLoosely(formats_, name)) {
            slider_->setBits(format->bitsPerWeight);
            formatRequest_ = {name, format->id};
        }
        else if (warnings)
            warnings->append(tr("Budget: no format '%1' in the catalog").arg(name));
    } else if (state.contains(QStringLiteral("bits"))) {
        const double bits = state.value(QStringLiteral("bits")).toDouble(-1);
        if (bits >= PrecisionSlider::kMinBits && bits <= PrecisionSlider::kMaxBits)
            slider_->setBits(bits);
        else if (warnings)
            warnings->append(tr("Budget: bits must be a number from 1 to 32"));
    }
}

QList<ExportableChart> BudgetPage::exportableCharts() const
{
    QList<ExportableChart> charts;
    for (const auto& [title, view] : charts_->views())
        charts.append({title, view});
    return charts;
}

QList<ExportableTable> BudgetPage::exportableTables() const { return {{tr("Memory by precision"), table_}}; }

void BudgetPage::fillTable(const std::vector<BudgetChartRow>& rows)
{
    table_->clear();
    table_->setHorizontalHeaderLabels({tr("Precision"), tr("Bits/weight"), tr("Weights (GB)"), tr("KV cache (GB)"),
                                       tr("Total + overhead (GB)"), tr("Devices"), tr("Decode bound (tok/s)"),
                                       tr("US$ / M tokens")});
    for (const BudgetChartRow& row : rows) {
        const budget::BudgetEstimate& e = row.estimate;
        QString label = row.label;
        if (&row == &rows.front())
            label = slider_->formatsAtBits().empty() ? tr("Slider: %1 bits").arg(e.bitsPerWeight)
                                                     : tr("Slider: %1").arg(slider_->formatsAtBits().front()->name);
        auto* tokens = e.tokensPerSecond ? numberItem(*e.tokensPerSecond, 1) : new QStandardItem(tr("—"));
        auto* cost = e.costPerMillionTokens ? numberItem(*e.costPerMillionTokens, 3) : new QStandardItem(tr("—"));
        table_->appendRow({new QStandardItem(label), numberItem(e.bitsPerWeight, 4), numberItem(e.weightsGB, 2),
                           numberItem(e.kvGB, 3), numberItem(e.requiredGB, 2), numberItem(e.devicesNeeded, 0), tokens, cost});
    }
}

QString BudgetPage::reportSummaryHtml() const
{
    if (!error_.isEmpty())
        return tr("<p>The Budget page's input is invalid: %1</p>").arg(error_.toHtmlEscaped());
    const budget::BudgetInput input = controls_->input();
    const budget::BudgetEstimate& e = estimate_;
    QString html = tr("<p><b>%1</b> at <b>%2 bits</b> per weight on %3 × <b>%4</b> (%5 GB each), %6% overhead: "
                      "weights <b>%7 GB</b>, KV cache %8 GB at %9 tokens × %10, <b>%11 device(s)</b> needed, "
                      "%12× smaller than 16-bit.</p>")
                       .arg(input.model.name.toHtmlEscaped())
                       .arg(e.bitsPerWeight)
                       .arg(input.deviceCount)
                       .arg(input.device.name.toHtmlEscaped())
                       .arg(input.device.memoryGB)
                       .arg(input.overhead * 100)
                       .arg(e.weightsGB, 0, 'f', 1)
                       .arg(e.kvGB, 0, 'f', 2)
                       .arg(input.contextTokens)
                       .arg(input.batch)
                       .arg(e.devicesNeeded)
                       .arg(e.timesSmallerThan16Bit, 0, 'f', 2);
    html += tr("<p>%1.").arg(e.verdict.text.toHtmlEscaped());
    if (e.tokensPerSecond)
        html += tr(" Decode bound: %1 tokens/s.").arg(*e.tokensPerSecond, 0, 'f', 1);
    if (e.costPerMillionTokens)
        html += tr(" Cost: US$%1 per million tokens at that bound.").arg(*e.costPerMillionTokens, 0, 'f', 2);
    html += QStringLiteral("</p>");
    return html;
}

}  // namespace cstudio::ui
