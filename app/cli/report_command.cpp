// cstudio report: the analysis report as one self-contained HTML file or a PDF: the Budget
// section (seed 000's table for a model and device), the Quantization section of a weights FILE
// for the chosen schemes, and the Distillation section (seed 002's temperature table) — the same
// sections the GUI's File > Export Report writes, built by the same core functions, with the
// pages' own charts drawn offscreen and the GUI's PDF writer (ui/export).
#include "app/cli/cli_command.h"
#include "core/analysis/analysis_engine.h"
#include "core/budget/device_catalog.h"
#include "core/budget/format_catalog.h"
#include "core/budget/model_catalog.h"
#include "core/distill/class_logits.h"
#include "core/distill/logit_validation.h"
#include "core/export/atomic_file.h"
#include "core/formats/weights_loader.h"
#include "core/quant/scheme.h"
#include "core/report/budget_report_section.h"
#include "core/report/distill_report_section.h"
#include "core/report/quant_report_section.h"
#include "core/report/report_document.h"

#ifdef CSTUDIO_HAVE_GUI
#include "ui/export/report_charts.h"
#include "ui/export/report_export.h"

#include <QApplication>
#endif

#include <QCommandLineParser>
#include <QDateTime>
#include <QFileInfo>
#include <QTextStream>
#include <cmath>

namespace cstudio::cli {
namespace {

struct UsageError {
    QString message;
};

double parseNumber(const QString& text, const QString& option)
{
    bool ok = false;
    const double value = text.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(value))
        throw UsageError{QStringLiteral("--%1 expects a number, got '%2'").arg(option, text)};
    return value;
}

// "70e9", "70B", "8b" -> a parameter count.
double parseCount(QString text)
{
    text = text.trimmed();
    double scale = 1;
    const int suffix = text.isEmpty() ? -1 : static_cast<int>(QStringLiteral("KMBT").indexOf(text.back().toUpper()));
    if (suffix >= 0) {
        scale = std::pow(1e3, suffix + 1);
        text.chop(1);
    }
    const double value = parseNumber(text, QStringLiteral("params")) * scale;
    if (value <= 0)
        throw UsageError{QStringLiteral("--params must be positive")};
    return value;
}

budget::BudgetInput budgetInput(const QCommandLineParser& parser)
{
    budget::BudgetInput input;
    if (parser.isSet(QStringLiteral("model"))) {
        const auto& models = budget::builtinModels();
        if (!models)
            throw UsageError{models.error().toString()};
        const budget::ModelSpec* model = budget::findModel(*models, parser.value(QStringLiteral("model")));
        if (!model)
            throw UsageError{QStringLiteral("--model: no catalog model '%1' (see cstudio budget --help)").arg(parser.value(QStringLiteral("model")))};
        input.model = *model;
    } else {
        const double params = parser.isSet(QStringLiteral("params")) ? parseCount(parser.value(QStringLiteral("params"))) : 70e9;
        input.model = budget::customModel(QStringLiteral("%1B-parameter model").arg(params / 1e9, 0, 'g', 4), params);
    }
    if (parser.isSet(QStringLiteral("gpu-mem"))) {
        const double memory = parseNumber(parser.value(QStringLiteral("gpu-mem")), QStringLiteral("gpu-mem"));
        if (memory <= 0)
            throw UsageError{QStringLiteral("--gpu-mem must be positive")};
        input.device = budget::genericDevice(memory);
    } else {
        const auto& devices = budget::builtinDevices();
        if (!devices)
            throw UsageError{devices.error().toString()};
        const budget::DeviceSpec* device = budget::findDevice(*devices, parser.value(QStringLiteral("device")));
        if (!device)
            throw UsageError{QStringLiteral("--device: no catalog device '%1'").arg(parser.value(QStringLiteral("device")))};
        input.device = *device;
    }
    QString overhead = parser.value(QStringLiteral("overhead")).trimmed();
    const bool percent = overhead.endsWith(QLatin1Char('%'));
    if (percent)
        overhead.chop(1);
    input.overhead = parseNumber(overhead, QStringLiteral("overhead")) / (percent ? 100.0 : 1.0);
    input.contextTokens = parseNumber(parser.value(QStringLiteral("context")), QStringLiteral("context"));
    return input;
}

QList<BudgetPrecision> precisions(const QCommandLineParser& parser)
{
    QList<BudgetPrecision> list;
    for (const QString& bits : parser.value(QStringLiteral("bits")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const double value = parseNumber(bits, QStringLiteral("bits"));
        list.append({QStringLiteral("%1-bit").arg(QString::number(value, 'g', 6)), value});
    }
    if (parser.isSet(QStringLiteral("formats"))) {
        const auto& formats = budget::builtinFormats();
        if (!formats)
            throw UsageError{formats.error().toString()};
        for (const QString& id : parser.value(QStringLiteral("formats")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const budget::QuantFormat* format = budget::findFormat(*formats, id.trimmed());
            if (!format)
                throw UsageError{QStringLiteral("--formats: no catalog format '%1'").arg(id)};
            list.append({format->name, format->bitsPerWeight});
        }
    }
    if (list.isEmpty())
        throw UsageError{QStringLiteral("--bits or --formats must name at least one precision")};
    return list;
}

distill::ClassLogits teacher(const QCommandLineParser& parser)
{
    Result<std::vector<double>> logits = distill::parseNumberList(parser.value(QStringLiteral("logits")), QStringLiteral("--logits"));
    if (!logits)
        throw UsageError{logits.error().message};
    const QStringList labels = parser.value(QStringLiteral("labels")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    Result<distill::ClassLogits> classes = distill::makeClassLogits(
        parser.isSet(QStringLiteral("logits")) && !parser.isSet(QStringLiteral("labels")) ? QStringList() : labels, *logits,
        parser.isSet(QStringLiteral("logits")) ? QStringLiteral("--logits") : QStringLiteral("seed 002's cat photo"));
    if (!classes)
        throw UsageError{classes.error().message};
    return *classes;
}

bool isPdf(const QString& path) { return QFileInfo(path).suffix().compare(QLatin1String("pdf"), Qt::CaseInsensitive) == 0; }

// The value of --out and whether --no-charts is given, read before the application exists (it
// decides which application main() makes); the real parse comes later.
bool reportNeedsGuiApplication(const QStringList& arguments)
{
    bool charts = true, pdf = false;
    for (int i = 0; i < arguments.size(); ++i) {
        const QString& argument = arguments[i];
        if (argument == QLatin1String("--no-charts"))
            charts = false;
        else if (argument == QLatin1String("--out") && i + 1 < arguments.size())
            pdf = isPdf(arguments[i + 1]);
        else if (argument.startsWith(QLatin1String("--out=")))
            pdf = isPdf(argument.mid(6));
    }
    return charts || pdf;
}

// Charts need Qt Widgets, which main() starts only in a build with the GUI.
bool canDrawCharts()
{
#ifdef CSTUDIO_HAVE_GUI
    return qobject_cast<QApplication*>(QCoreApplication::instance()) != nullptr;
#else
    return false;
#endif
}

#ifdef CSTUDIO_HAVE_GUI
// Appends `figures` to the section, or turns a failure into a usage error (the inputs at fault).
void addFigures(ReportSection& section, const Result<QList<ReportFigure>>& figures)
{
    if (!figures)
        throw UsageError{figures.error().message};
    section.figures.append(*figures);
}
#endif

int runReport(const QStringList& arguments)
{
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Write an analysis report as one self-contained HTML file or a PDF: budget, quantization of FILE (when given) "
        "and distillation sections, with their tables and charts.\n"
        "Example: cstudio report demo: --schemes int8:ch,int4:g64,nf4 --out report.html (or report.pdf)"));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Weights to analyse (.safetensors, .gguf, .npy, .npz, a "
                                                                        "model folder, or demo: for the built-in demo model)."),
                                 QStringLiteral("[FILE]"));
    parser.addOptions({
        {QStringLiteral("out"), QStringLiteral("The report to write (.html or .pdf)."), QStringLiteral("path")},
        {QStringLiteral("title"), QStringLiteral("The report's title."), QStringLiteral("text"), QStringLiteral("Compression Studio report")},
        {QStringLiteral("schemes"), QStringLiteral("Quantization schemes for FILE (default int8:ch,int4:g64,nf4,q4_k)."),
         QStringLiteral("list"), QStringLiteral("int8:ch,int4:g64,nf4,q4_k")},
        {QStringLiteral("params"), QStringLiteral("Budget: parameter count (70e9, 8B); default 70e9."), QStringLiteral("count")},
        {QStringLiteral("model"), QStringLiteral("Budget: a catalog model id (llama-3.1-70b...)."), QStringLiteral("id")},
        {QStringLiteral("device"), QStringLiteral("Budget: a catalog device id (default h100-sxm)."), QStringLiteral("id"), QStringLiteral("h100-sxm")},
        {QStringLiteral("gpu-mem"), QStringLiteral("Budget: a generic device of this many GB instead."), QStringLiteral("GB")},
        {QStringLiteral("overhead"), QStringLiteral("Budget: runtime overhead, 0.2 or 20% (default 20%)."), QStringLiteral("x"), QStringLiteral("0.2")},
        {QStringLiteral("context"), QStringLiteral("Budget: KV cache tokens (default 0, as seed 000)."), QStringLiteral("tokens"), QStringLiteral("0")},
        {QStringLiteral("bits"), QStringLiteral("Budget: bit widths (default 32,16,8,4)."), QStringLiteral("list"), QStringLiteral("32,16,8,4")},
        {QStringLiteral("formats"), QStringLiteral("Budget: catalog formats to add (q4_k,nf4_dq...)."), QStringLiteral("list")},
        {QStringLiteral("logits"), QStringLiteral("Distillation: teacher logits (default seed 002's 9,6.5,4,2.5,1,-4)."),
         QStringLiteral("list"), QStringLiteral("9,6.5,4,2.5,1,-4")},
        {QStringLiteral("labels"), QStringLiteral("Distillation: class names."), QStringLiteral("list"),
         QStringLiteral("cat,kitten,lynx,dog,loaf,carburetor")},
        {QStringLiteral("tau"), QStringLiteral("Distillation: temperatures (default 1,2,5,10)."), QStringLiteral("list"), QStringLiteral("1,2,5,10")},
        {QStringLiteral("no-distill"), QStringLiteral("Leave the distillation section out.")},
        {QStringLiteral("no-budget"), QStringLiteral("Leave the budget section out.")},
        {QStringLiteral("no-charts"), QStringLiteral("Tables only (an HTML report then needs no graphics libraries at run time).")},
    });
    if (!parser.parse(arguments)) {
        err << "cstudio report: " << parser.errorText() << "\n";
        return kExitUsageError;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return kExitOk;
    }
    const QString out = parser.value(QStringLiteral("out"));
    const QString suffix = QFileInfo(out).suffix().toLower();
    if (out.isEmpty()) {
        err << "cstudio report: --out report.html is required\n";
        return kExitUsageError;
    }
    const bool pdf = suffix == QLatin1String("pdf");
#ifndef CSTUDIO_HAVE_GUI
    if (pdf) {
        err << "cstudio report: this build has no Qt GUI libraries, so it writes HTML only; write report.html and "
               "print it from a browser.\n";
        return kExitUsageError;
    }
#endif
    if (!pdf && suffix != QLatin1String("html") && suffix != QLatin1String("htm")) {
        err << "cstudio report: --out must end in .html or .pdf, not '" << out << "'\n";
        return kExitUsageError;
    }
    [[maybe_unused]] const bool charts = !parser.isSet(QStringLiteral("no-charts")) && canDrawCharts();
    if (parser.positionalArguments().size() > 1) {
        err << "cstudio report: one FILE at most\n";
        return kExitUsageError;
    }

    ReportDocument report;
    report.title = parser.value(QStringLiteral("title"));
    report.subtitle = QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    try {
        if (!parser.isSet(QStringLiteral("no-budget"))) {
            const budget::BudgetInput input = budgetInput(parser);
            const QList<BudgetPrecision> list = precisions(parser);
            Result<ReportSection> section = budgetReportSection(input, list.back(), list);
            if (!section)
                throw UsageError{section.error().message};
#ifdef CSTUDIO_HAVE_GUI
            if (charts) {
                QList<BudgetPrecision> chartOrder = list;  // the summary's precision first: drawn as the selected one
                chartOrder.move(chartOrder.size() - 1, 0);
                addFigures(*section, ui::budgetReportFigures(input, chartOrder));
            }
#endif
            report.sections.append(*section);
        }
        if (!parser.positionalArguments().isEmpty()) {
            Result<std::vector<Scheme>> schemes = parseSchemeList(parser.value(QStringLiteral("schemes")));
            if (!schemes)
                throw UsageError{QStringLiteral("--schemes: %1").arg(schemes.error().message)};
            const QString file = parser.positionalArguments().front();
            Result<std::shared_ptr<TensorSource>> source = openWeights(file);
            if (!source) {
                err << "cstudio report: " << source.error().toString() << "\n";
                return kExitFileError;
            }
            AnalysisRequest request;
            request.schemes = *schemes;
            Result<AnalysisResult> result = analyzeWeights(**source, request);
            if (!result) {
                err << "cstudio report: " << result.error().toString() << "\n";
                return kExitFileError;
            }
            report.subtitle = QStringLiteral("%1 · %2").arg((*source)->displayName(), report.subtitle);
            ReportSection section = quantReportSection(*result);
#ifdef CSTUDIO_HAVE_GUI
            if (charts)
                section.figures.append(ui::quantReportFigures(*result));
#endif
            report.sections.append(section);
        }
        if (!parser.isSet(QStringLiteral("no-distill"))) {
            Result<std::vector<double>> taus = distill::parseNumberList(parser.value(QStringLiteral("tau")), QStringLiteral("--tau"));
            if (!taus)
                throw UsageError{taus.error().message};
            const distill::ClassLogits classes = teacher(parser);
            Result<ReportSection> section = distillReportSection(classes, *taus);
            if (!section)
                throw UsageError{section.error().message};
#ifdef CSTUDIO_HAVE_GUI
            if (charts)
                addFigures(*section, ui::distillReportFigures(classes, *taus));
#endif
            report.sections.append(*section);
        }
    } catch (const UsageError& error) {
        err << "cstudio report: " << error.message << "\n";
        return kExitUsageError;
    }
    if (report.sections.isEmpty()) {
        err << "cstudio report: every section was left out\n";
        return kExitUsageError;
    }
#ifdef CSTUDIO_HAVE_GUI
    const Result<void> written = pdf ? ui::exportReportPdf(report, out) : writeFileAtomically(out, renderReportHtml(report).toUtf8());
#else
    const Result<void> written = writeFileAtomically(out, renderReportHtml(report).toUtf8());
#endif
    if (!written) {
        err << "cstudio report: " << written.error().toString() << "\n";
        return kExitFileError;
    }
    return kExitOk;
}

const CliCommandRegistration registration{
    {"report", "Write an HTML or PDF report: budget, quantization of a FILE, distillation", runReport, reportNeedsGuiApplication}};

}  // namespace
}  // namespace cstudio::cli
