// cstudio analyze: quantization error of every selected scheme on a model's weights, per model,
// per layer and (with --json) per tensor and per group.
#include "app/cli/cli_command.h"
#include "app/cli/quant_cli_support.h"
#include "core/analysis/analysis_json.h"

#include <QJsonDocument>
#include <cmath>

namespace cstudio::cli {
namespace {

QString sqnrText(double db)
{
    return std::isfinite(db) ? QString::number(db, 'f', 2) : QStringLiteral("exact");
}

void printModelTable(QTextStream& out, const AnalysisResult& r)
{
    out << QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8\n")
               .arg(QStringLiteral("scheme"), -16).arg(QStringLiteral("bits/w"), 7).arg(QStringLiteral("size"), 10)
               .arg(QStringLiteral("RMSE"), 11).arg(QStringLiteral("rel RMSE"), 9).arg(QStringLiteral("max|err|"), 10)
               .arg(QStringLiteral("SQNR dB"), 8).arg(QStringLiteral("cosine"), 9);
    QStringList notes;  // below the table, so its rows stay one line each
    for (const auto& m : r.model) {
        out << QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8")
                   .arg(m.scheme, -16).arg(m.bitsPerWeight, 7, 'f', 3).arg(formatBytes(static_cast<double>(m.bytes)), 10)
                   .arg(m.error.rmse(), 11, 'e', 4).arg(QString::number(m.error.relativeRmse() * 100.0, 'f', 3) + QLatin1Char('%'), 9)
                   .arg(m.error.maxAbsError, 10, 'e', 3).arg(sqnrText(m.error.sqnrDb()), 8).arg(m.error.cosine(), 9, 'f', 6);
        if (!m.note.isEmpty()) {
            notes << QStringLiteral("[%1] %2: %3").arg(notes.size() + 1).arg(m.scheme, m.note);
            out << QStringLiteral("  [%1]").arg(notes.size());
        }
        out << "\n";
    }
    for (const QString& note : notes)
        out << note << "\n";
}

void printLayerTable(QTextStream& out, const AnalysisResult& r)
{
    out << "\nrelative RMSE by layer (%):\n" << QStringLiteral("%1").arg(QStringLiteral("layer"), -7);
    for (const auto& s : r.schemes)
        out << QStringLiteral("  %1").arg(s.name, 12);
    out << "\n";
    for (const auto& layer : r.layers) {
        out << QStringLiteral("%1").arg(layer.layer < 0 ? QStringLiteral("other") : QString::number(layer.layer), -7);
        for (const auto& m : layer.results)
            out << QStringLiteral("  %1").arg(m.params > 0 ? QString::number(m.error.relativeRmse() * 100.0, 'f', 3) : QStringLiteral("n/a"), 12);
        out << "\n";
    }
}

void printGroupDistribution(QTextStream& out, const AnalysisResult& r)
{
    out << "\nper-group RMSE distribution (from the group histograms, 1/4-octave bins):\n"
        << QStringLiteral("%1  %2  %3  %4  %5  %6\n").arg(QStringLiteral("scheme"), -16).arg(QStringLiteral("groups"), 10)
               .arg(QStringLiteral("median"), 10).arg(QStringLiteral("p99"), 10).arg(QStringLiteral("zero"), 6).arg(QStringLiteral("NaN/Inf"), 8);
    for (const auto& m : r.model)
        out << QStringLiteral("%1  %2  %3  %4  %5  %6\n").arg(m.scheme, -16).arg(m.error.groupCount, 10)
                   .arg(m.groupRmseHistogram.quantile(0.5), 10, 'e', 2).arg(m.groupRmseHistogram.quantile(0.99), 10, 'e', 2)
                   .arg(m.error.zeroGroups, 6).arg(m.error.nonFiniteGroups, 8);
}

int runAnalyze(const QStringList& arguments)
{
    QTextStream out(stdout), err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Quantization error of each scheme on a model's weights."));
    parser.addHelpOption();
    addAnalysisOptions(parser);
    parser.addOption({QStringLiteral("json"), QStringLiteral("Write JSON (schemes[], layers[], tensors[]) to stdout.")});
    parser.addOption({QStringLiteral("per-group"), QStringLiteral("Include every group's RMSE (JSON) or the group distribution (text).")});
    parser.addOption({QStringLiteral("error-histograms"),
                      QStringLiteral("With --json: also count every weight's |error| in 1/4-octave bins (error_histogram; slower).")});
    if (!parser.parse(arguments)) {
        err << "error: " << parser.errorText() << "\n";
        return kExitUsageError;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText() << "\nSchemes: " << standardSchemeNames().join(QStringLiteral(", "))
            << "\n  int<b>/uint<b> take :tensor, :ch, :g<N> and :mse (e.g. int4:g128:mse).\n";
        return kExitOk;
    }
    int exitCode = kExitOk;
    const bool json = parser.isSet(QStringLiteral("json"));
    auto run = runAnalysisFromOptions(parser, err, exitCode, parser.isSet(QStringLiteral("per-group")) && json,
                                      parser.isSet(QStringLiteral("error-histograms")) && json);
    if (!run)
        return exitCode;
    const AnalysisResult& r = run->result;
    if (parser.isSet(QStringLiteral("json"))) {
        out << QJsonDocument(analysisToJson(r, parser.isSet(QStringLiteral("per-group")))).toJson(QJsonDocument::Indented);
        return kExitOk;
    }
    qint64 params = 0;
    for (const auto& t : r.tensors)
        params += t.params;
    out << r.sourceName << ": " << r.tensors.size() << " tensors, " << QString::number(static_cast<double>(params) / 1e6, 'f', 2)
        << " M weights analysed (" << r.skippedTensors.size() << " skipped), " << r.device << ", "
        << QString::number(r.seconds, 'f', 2) << " s\n\n";
    printModelTable(out, r);
    printLayerTable(out, r);
    if (parser.isSet(QStringLiteral("per-group")))
        printGroupDistribution(out, r);
    out << "\nRMSE = sqrt(mean (w'-w)^2); rel RMSE = RMSE / RMS(w); SQNR = 10 log10(sum w^2 / sum (w'-w)^2).\n";
    return kExitOk;
}

const CliCommandRegistration registration{{"analyze", "Quantization error of schemes on a model's weights", runAnalyze}};

}  // namespace
}  // namespace cstudio::cli
