#include "core/report/budget_report_section.h"

namespace cstudio {
namespace {
QString fixed(double value, int decimals) { return QString::number(value, 'f', decimals); }
}  // namespace

Result<ReportTable> budgetPrecisionTable(const budget::BudgetInput& base, const QList<BudgetPrecision>& precisions)
{
    ReportTable table;
    table.title = QStringLiteral("Memory, devices, speed and cost by precision");
    table.columns = {QStringLiteral("Precision"),          QStringLiteral("Bits/weight"),
                     QStringLiteral("Weights (GB)"),       QStringLiteral("KV cache (GB)"),
                     QStringLiteral("With overhead (GB)"), QStringLiteral("Devices needed"),
                     QStringLiteral("Decode bound (tok/s)"), QStringLiteral("Cost ($/M tokens)")};
    for (const BudgetPrecision& precision : precisions) {
        budget::BudgetInput input = base;
        input.bitsPerWeight = precision.bitsPerWeight;
        Result<budget::BudgetEstimate> estimate = budget::estimateBudget(input);
        if (!estimate)
            return estimate.error();
        const budget::BudgetEstimate& e = *estimate;
        table.rows.append({precision.label, QString::number(e.bitsPerWeight, 'g', 6), fixed(e.weightsGB, 1), fixed(e.kvGB, 2),
                           fixed(e.requiredGB, 1), QString::number(e.devicesNeeded),
                           e.tokensPerSecond ? fixed(*e.tokensPerSecond, 1) : QStringLiteral("—"),
                           e.costPerMillionTokens ? fixed(*e.costPerMillionTokens, 3) : QStringLiteral("—")});
    }
    table.caption = QStringLiteral(
                        "%1 (%2 B parameters, %3 B active) on %4 (%5 GB, %6 GB/s). Weights = N × bits / 8; devices = "
                        "ceil((weights + KV) × (1 + %7%) / device memory); KV at %8 tokens × batch %9, %10-bit; decode "
                        "bound = devices × bandwidth / (active weights + KV) per step. 1 GB = 10^9 bytes.")
                        .arg(base.model.name, QString::number(base.model.totalParams / 1e9, 'g', 4),
                             QString::number((base.model.activeParams > 0 ? base.model.activeParams : base.model.totalParams) / 1e9, 'g', 4),
                             base.device.name, QString::number(base.device.memoryGB), QString::number(base.device.bandwidthGBs),
                             QString::number(base.overhead * 100, 'g', 4), QString::number(base.contextTokens, 'f', 0),
                             QString::number(base.batch, 'f', 0), QString::number(base.kvBits, 'g', 3));
    return table;
}

Result<ReportSection> budgetReportSection(const budget::BudgetInput& base, const BudgetPrecision& selected,
                                          const QList<BudgetPrecision>& precisions)
{
    budget::BudgetInput input = base;
    input.bitsPerWeight = selected.bitsPerWeight;
    Result<budget::BudgetEstimate> estimate = budget::estimateBudget(input);
    if (!estimate)
        return estimate.error();
    Result<ReportTable> table = budgetPrecisionTable(base, precisions);
    if (!table)
        return table.error();
    ReportSection section;
    section.title = QStringLiteral("Budget");
    const budget::BudgetEstimate& e = *estimate;
    section.summaryHtml =
        QStringLiteral("<b>%1</b> at <b>%2</b> (%3 bits per weight): weights <b>%4 GB</b>, KV cache %5 GB, %6 GB with "
                       "overhead: <b>%7 × %8</b>%9. %10")
            .arg(base.model.name.toHtmlEscaped(), selected.label.toHtmlEscaped(), QString::number(e.bitsPerWeight, 'g', 6),
                 QString::number(e.weightsGB, 'f', 1), QString::number(e.kvGB, 'f', 2), QString::number(e.requiredGB, 'f', 1))
            .arg(e.devicesNeeded)
            .arg(base.device.name.toHtmlEscaped(),
                 e.tokensPerSecond ? QStringLiteral(", decode at most %1 tokens/s").arg(*e.tokensPerSecond, 0, 'f', 0) : QString(),
                 e.verdict.text.toHtmlEscaped());
    section.tables.append(*table);
    return section;
}

}  // namespace cstudio
