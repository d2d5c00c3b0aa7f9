#include "core/report/quant_report_section.h"

#include <algorithm>

namespace cstudio {
namespace {
QString number(double value, int significant = 4) { return QString::number(value, 'g', significant); }
}  // namespace

ReportTable quantSchemeTable(const AnalysisResult& result)
{
    ReportTable table;
    table.title = QStringLiteral("Schemes over the whole model");
    table.columns = {QStringLiteral("Scheme"),    QStringLiteral("Bits/weight"),  QStringLiteral("Size (MB)"),
                     QStringLiteral("RMSE"),      QStringLiteral("Relative RMSE"), QStringLiteral("Max |error|"),
                     QStringLiteral("SQNR (dB)"), QStringLiteral("Cosine")};
    for (const SchemeMetrics& scheme : result.model) {
        if (!scheme.applicable) {
            table.rows.append({scheme.scheme, QStringLiteral("—"), QStringLiteral("—"), scheme.note, {}, {}, {}, {}});
            continue;
        }
        table.rows.append({scheme.scheme, number(scheme.bitsPerWeight, 5), QString::number(scheme.bytes / 1e6, 'f', 2),
                           number(scheme.error.rmse()), number(scheme.error.relativeRmse()), number(scheme.error.maxAbsError),
                           QString::number(scheme.error.sqnrDb(), 'f', 2), QString::number(scheme.error.cosine(), 'f', 6)});
    }
    table.caption = QStringLiteral("%1 tensors of %2 analysed on %3 in %4 s. RMSE = sqrt(mean (w' − w)²); relative RMSE = "
                                   "RMSE / RMS(w); SQNR = 10 log10(Σw² / Σ(w' − w)²). Bits per weight include scales.")
                        .arg(result.tensors.size())
                        .arg(result.sourceName, result.device, QString::number(result.seconds, 'f', 2));
    return table;
}

ReportTable quantLayerTable(const AnalysisResult& result)
{
    ReportTable table;
    table.title = QStringLiteral("Relative RMSE by layer");
    table.columns = {QStringLiteral("Layer"), QStringLiteral("Parameters")};
    for (const Scheme& scheme : result.schemes)
        table.columns.append(scheme.name);
    for (const LayerAnalysis& layer : result.layers) {
        QStringList cells = {layer.layer < 0 ? QStringLiteral("outside blocks") : QString::number(layer.layer),
                             QString::number(layer.params)};
        for (const SchemeMetrics& scheme : layer.results)
            cells.append(scheme.applicable ? number(scheme.error.relativeRmse()) : QStringLiteral("—"));
        table.rows.append(cells);
    }
    table.caption = QStringLiteral("Each cell: the layer's tensors together. Layers with a larger value lose more to the "
                                   "scheme: candidates for more bits in a mixed-precision plan.");
    return table;
}

ReportSection quantReportSection(const AnalysisResult& result)
{
    ReportSection section;
    section.title = QStringLiteral("Quantization");
    const auto applicable = [](const SchemeMetrics& s) { return s.applicable; };
    const auto best = std::min_element(result.model.begin(), result.model.end(), [&](const SchemeMetrics& a, const SchemeMetrics& b) {
        if (applicable(a) != applicable(b))
            return applicable(a);
        return a.error.relativeRmse() < b.error.relativeRmse();
    });
    if (best != result.model.end() && best->applicable)
        section.summaryHtml = QStringLiteral("%1 schemes on <b>%2</b>: the lowest error is <b>%3</b> (%4 bits per weight, "
                                             "relative RMSE %5, SQNR %6 dB).")
                                  .arg(result.model.size())
                                  .arg(result.sourceName.toHtmlEscaped(), best->scheme.toHtmlEscaped(), number(best->bitsPerWeight, 5),
                                       number(best->error.relativeRmse()), QString::number(best->error.sqnrDb(), 'f', 1));
    section.tables.append(quantSchemeTable(result));
    section.tables.append(quantLayerTable(result));
    return section;
}

}  // namespace cstudio
