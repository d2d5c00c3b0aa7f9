#include "app/cli/quant_cli_support.h"

#include "app/cli/cli_command.h"
#include "core/analysis/analysis_engine.h"
#include "core/formats/demo_model.h"
#include "core/formats/weights_loader.h"

#include <QElapsedTimer>
#include <cstdio>
#include <unistd.h>

namespace cstudio::cli {

void addAnalysisOptions(QCommandLineParser& parser)
{
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("Weights: .safetensors, .gguf, .npy/.npz, or a folder (or use --demo)."));
    parser.addOption({QStringLiteral("demo"), QStringLiteral("Use the built-in demo model instead of a file.")});
    parser.addOption({QStringLiteral("schemes"),
                      QStringLiteral("Comma-separated schemes, e.g. int8:tensor,int4:g64,nf4,q4_k (default: int8:ch,int4:g64,nf4,q4_k)."),
                      QStringLiteral("list")});
    parser.addOption({QStringLiteral("threads"), QStringLiteral("Worker threads (default: all cores)."), QStringLiteral("n")});
    parser.addOption({{QStringLiteral("engine"), QStringLiteral("device")},
                      QStringLiteral("Analysis engine: cpu or cuda (default: the GPU when one is present, else the CPU)."),
                      QStringLiteral("id")});
    parser.addOption({QStringLiteral("include-1d"), QStringLiteral("Also quantize 1-D tensors (norms, biases).")});
}

QString formatBytes(double bytes)
{
    const char* units[] = {"B", "KB", "MB", "GB", "TB"};
    int unit = 0;
    while (bytes >= 1000.0 && unit < 4) {
        bytes /= 1000.0;
        ++unit;
    }
    return QStringLiteral("%1 %2").arg(bytes, 0, 'f', unit == 0 ? 0 : 2).arg(QLatin1String(units[unit]));
}

std::optional<AnalysisRun> runAnalysisFromOptions(const QCommandLineParser& parser, QTextStream& err, int& exitCode,
                                                  bool keepGroupErrors, bool errorHistograms)
{
    const QStringList files = parser.positionalArguments();
    const bool demo = parser.isSet(QStringLiteral("demo"));
    if (demo == (files.size() == 1) || files.size() > 1) {
        err << "error: give exactly one weights FILE, or --demo\n";
        exitCode = kExitUsageError;
        return std::nullopt;
    }
    const QString schemeText = parser.isSet(QStringLiteral("schemes")) ? parser.value(QStringLiteral("schemes"))
                                                                       : QStringLiteral("int8:ch,int4:g64,nf4,q4_k");
    auto schemes = parseSchemeList(schemeText);
    if (!schemes) {
        err << "error: --schemes: " << schemes.error().message << "\n";
        exitCode = kExitUsageError;
        return std::nullopt;
    }
    AnalysisRequest request;
    request.schemes = std::move(schemes.value());
    request.includeOneDimensional = parser.isSet(QStringLiteral("include-1d"));
    request.keepGroupErrors = keepGroupErrors;
    request.errorHistograms = errorHistograms;
    if (parser.isSet(QStringLiteral("threads"))) {
        bool ok = false;
        request.threads = parser.value(QStringLiteral("threads")).toInt(&ok);
        if (!ok || request.threads < 1 || request.threads > 1024) {
            err << "error: --threads expects a whole number from 1 to 1024, got '" << parser.value(QStringLiteral("threads")) << "'\n";
            exitCode = kExitUsageError;
            return std::nullopt;
        }
    }
    auto engine = createAnalysisEngine(parser.value(QStringLiteral("engine")));
    if (!engine) {
        err << "error: --engine: " << engine.error().message << "\n";
        exitCode = kExitUsageError;
        return std::nullopt;
    }

    AnalysisRun run;
    if (demo) {
        run.source = makeDemoModel();
    } else {
        auto opened = openWeights(files.front());
        if (!opened) {
            err << "error: " << opened.error().toString() << "\n";
            exitCode = kExitFileError;
            return std::nullopt;
        }
        run.source = opened.value();
    }

    JobControl control;
    const bool terminal = isatty(fileno(stderr));
    if (terminal) {
        control.onProgress = [&err](double fraction, const QString& message) {
            const int width = 30, filled = static_cast<int>(fraction * width);
            err << "\r[" << QString(filled, QLatin1Char('#')) << QString(width - filled, QLatin1Char(' ')) << "] "
                << QString::number(fraction * 100.0, 'f', 0) << "% " << message << "   ";
            err.flush();
        };
    }
    auto result = engine.value()->run(*run.source, request, control);
    if (terminal) {
        err << "\r" << QString(70, QLatin1Char(' ')) << "\r";
        err.flush();
    }
    if (!result) {
        err << "error: " << result.error().toString() << "\n";
        exitCode = kExitFileError;
        return std::nullopt;
    }
    if (result->tensors.empty()) {
        err << "error: " << run.source->displayName() << ": no tensor to analyse (only 1-D or undecodable tensors; try --include-1d)\n";
        exitCode = kExitFileError;
        return std::nullopt;
    }
    run.result = std::move(result.value());
    return run;
}

}  // namespace cstudio::cli
