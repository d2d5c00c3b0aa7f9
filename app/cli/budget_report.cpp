#include "app/cli/budget_report.h"

#include "core/budget/format_catalog.h"

#include <QJsonArray>
#include <QLocale>

namespace cstudio::cli {
namespace {

using namespace cstudio::budget;

QJsonValue optionalJson(const std::optional<double>& value) { return value ? QJsonValue(*value) : QJsonValue(); }

QString gb(double value) { return QString::number(value, 'f', 1); }

QString verdictKind(FitKind kind)
{
    switch (kind) {
    case FitKind::FitsOnDevices: return QStringLiteral("fits");
    case FitKind::FitsWithOffload: return QStringLiteral("fits_with_offload");
    case FitKind::DoesNotFit: return QStringLiteral("does_not_fit");
    }
    return {};
}

QString modelLine(const BudgetInput& input)
{
    const ModelSpec& model = input.model;
    QString line = QStringLiteral("Model: %1, %2 B parameters").arg(model.name).arg(model.totalParams / 1e9, 0, 'f', 2);
    if (model.activeParams < model.totalParams)
        line += QStringLiteral(" (%1 B active per token)").arg(model.activeParams / 1e9, 0, 'f', 2);
    if (model.hasShape())
        line += QStringLiteral(", %1").arg(attentionKindName(model.attention.kind));
    return line;
}

QString deviceLine(const BudgetInput& input)
{
    const DeviceSpec& device = input.device;
    QString line = QStringLiteral("Device: %1, %2 GB").arg(device.name).arg(device.memoryGB);
    if (device.bandwidthGBs > 0)
        line += QStringLiteral(", %1 GB/s").arg(device.bandwidthGBs);
    if (device.pricePerHour)
        line += QStringLiteral(", $%1/h").arg(*device.pricePerHour, 0, 'f', 2)
                + (device.priceSource.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(device.priceSource));
    line += QStringLiteral("; overhead %1%").arg(input.overhead * 100, 0, 'g', 4);
    return line;
}

}  // namespace

void writeBudgetText(QTextStream& out, const BudgetReport& report)
{
    const BudgetInput& input = report.input;
    int labelWidth = 2;
    for (const BudgetReportRow& row : report.rows)
        labelWidth = std::max(labelWidth, static_cast<int>(row.label.size()));
    if (!report.seedTableOnly) {
        out << modelLine(input) << "\n" << deviceLine(input) << "\n";
        if (input.model.hasShape())
            out << QStringLiteral("KV cache: %1 tokens x batch %2 at %3-bit = %4\n")
                       .arg(QLocale(QLocale::English).toString(static_cast<qint64>(input.contextTokens)))
                       .arg(input.batch)
                       .arg(input.kvBits)
                       .arg(report.rows.empty() ? QString() : report.rows.front().estimate.kv.formula);
        out << "\n";
    }
    for (const BudgetReportRow& row : report.rows) {
        const BudgetEstimate& e = row.estimate;
        // Seed 000: f"{bits:>2}-bit: {m:6.1f} GB  ->  {gpus(m)} GPU(s)"
        out << QStringLiteral("%1: %2 GB  ->  %3 GPU(s)")
                   .arg(row.label, labelWidth)
                   .arg(gb(e.totalGB), 6)
                   .arg(e.devicesNeeded);
        if (!report.seedTableOnly) {
            if (e.kvGB > 0)
                out << QStringLiteral("   weights %1 + KV %2 GB").arg(gb(e.weightsGB), gb(e.kvGB));
            if (e.stepsPerSecond)
                out << QStringLiteral("   <= %1 tok/s").arg(*e.tokensPerSecond, 0, 'f', 1);
            if (e.costPerHour)
                out << QStringLiteral("   $%1/h").arg(*e.costPerHour, 0, 'f', 2);
            if (e.costPerMillionTokens)
                out << QStringLiteral("   $%1/M tok").arg(*e.costPerMillionTokens, 0, 'f', 2);
        }
        out << "\n";
    }
    if (report.seedTableOnly)
        return;
    out << QStringLiteral("\nOn your %1 x %2 + %3 GB system RAM:\n")
               .arg(input.deviceCount)
               .arg(input.device.name)
               .arg(input.systemRamGB);
    for (const BudgetReportRow& row : report.rows)
        out << QStringLiteral("  %1: %2; max context: %3\n")
                   .arg(row.label, labelWidth)
                   .arg(row.estimate.verdict.text, row.maxContext.text);
    if (report.bestFormat)
        out << QStringLiteral("Best catalog format for %1 GB at this context: %2\n")
                   .arg(input.device.memoryGB * input.deviceCount)
                   .arg(report.bestFormat->text);
    if (report.rows.front().estimate.stepsPerSecond)
        out << "\ntok/s is an upper bound: aggregate bandwidth of the GPUs needed / (active weight bytes + KV bytes) per decode step.\n";
}

QJsonObject budgetJson(const BudgetReport& report)
{
    const BudgetInput& input = report.input;
    QJsonObject model{{QStringLiteral("id"), input.model.id},
                      {QStringLiteral("name"), input.model.name},
                      {QStringLiteral("total_params"), input.model.totalParams},
                      {QStringLiteral("active_params"), input.model.activeParams}};
    if (input.model.hasShape())
        model.insert(QStringLiteral("attention"), attentionKindName(input.model.attention.kind));
    QJsonObject device{{QStringLiteral("id"), input.device.id},
                       {QStringLiteral("name"), input.device.name},
                       {QStringLiteral("memory_gb"), input.device.memoryGB},
                       {QStringLiteral("bandwidth_gbs"), input.device.bandwidthGBs},
                       {QStringLiteral("price_per_hour"), optionalJson(input.device.pricePerHour)},
                       {QStringLiteral("count"), input.deviceCount}};
    QJsonArray rows;
    for (const BudgetReportRow& row : report.rows) {
        const BudgetEstimate& e = row.estimate;
        rows.append(QJsonObject{
            {QStringLiteral("label"), row.label},
            {QStringLiteral("format"), row.format ? QJsonValue(row.format->id) : QJsonValue()},
            {QStringLiteral("bits"), e.bitsPerWeight},
            {QStringLiteral("weights_gb"), e.weightsGB},
            {QStringLiteral("active_weights_gb"), e.activeWeightsGB},
            {QStringLiteral("kv_gb"), e.kvGB},
            {QStringLiteral("total_gb"), e.totalGB},
            {QStringLiteral("required_gb"), e.requiredGB},
            {QStringLiteral("gpus"), e.devicesNeeded},
            {QStringLiteral("times_smaller_than_16bit"), e.timesSmallerThan16Bit},
            {QStringLiteral("tokens_per_second"), optionalJson(e.tokensPerSecond)},
            {QStringLiteral("tokens_per_second_per_sequence"), optionalJson(e.stepsPerSecond)},
            {QStringLiteral("cost_per_hour"), optionalJson(e.costPerHour)},
            {QStringLiteral("cost_per_month"), optionalJson(e.costPerMonth)},
            {QStringLiteral("cost_per_million_tokens"), optionalJson(e.costPerMillionTokens)},
            {QStringLiteral("verdict"), QJsonObject{{QStringLiteral("kind"), verdictKind(e.verdict.kind)},
                                                    {QStringLiteral("text"), e.verdict.text},
                                                    {QStringLiteral("devices_used"), e.verdict.devicesUsed},
                                                    {QStringLiteral("offload_gb"), e.verdict.offloadGB},
                                                    {QStringLiteral("shortfall_gb"), e.verdict.shortfallGB}}},
            {QStringLiteral("max_context_tokens"), row.maxContext.weightsFit && !row.maxContext.unlimited
                                                        ? QJsonValue(row.maxContext.tokens) : QJsonValue()},
            {QStringLiteral("max_context"), row.maxContext.text},
        });
    }
    QJsonObject document{{QStringLiteral("model"), model},
                         {QStringLiteral("device"), device},
                         {QStringLiteral("overhead"), input.overhead},
                         {QStringLiteral("context"), input.contextTokens},
                         {QStringLiteral("batch"), input.batch},
                         {QStringLiteral("kv_bits"), input.kvBits},
                         {QStringLiteral("system_ram_gb"), input.systemRamGB},
                         {QStringLiteral("kv_formula"), report.rows.empty() ? QString() : report.rows.front().estimate.kv.formula},
                         {QStringLiteral("rows"), rows}};
    if (report.bestFormat)
        document.insert(QStringLiteral("best_format"),
                        QJsonObject{{QStringLiteral("id"), report.bestFormat->format ? QJsonValue(report.bestFormat->format->id) : QJsonValue()},
                                    {QStringLiteral("required_gb"), report.bestFormat->requiredGB},
                                    {QStringLiteral("text"), report.bestFormat->text}});
    return document;
}

}  // namespace cstudio::cli
