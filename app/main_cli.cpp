// cstudio: the scriptable face of Compression Studio. Every subcommand calls the same core
// functions as the GUI; see app/cli/ for one file per subcommand.
#ifdef CSTUDIO_HAVE_CUDA
#include "gpu/cuda_analysis_engine.h"
#endif
#include "app/cli/cli_command.h"

#include <QCoreApplication>
#include <QTextStream>
#include <algorithm>
#include <cstdio>
#include <memory>
#ifdef CSTUDIO_HAVE_GUI
#include <QApplication>
#endif

namespace cstudio::cli {
std::vector<CliCommand>& cliCommands()
{
    static std::vector<CliCommand> commands;
    return commands;
}
}  // namespace cstudio::cli

namespace {
void printUsage(QTextStream& out)
{
    auto commands = cstudio::cli::cliCommands();
    std::sort(commands.begin(), commands.end(),
              [](const auto& a, const auto& b) { return qstrcmp(a.name, b.name) < 0; });
    out << "Usage: cstudio <command> [options]\n\nCommands:\n";
    for (const auto& command : commands)
        out << QStringLiteral("  %1 %2\n").arg(QString::fromLatin1(command.name), -16).arg(QString::fromUtf8(command.summary));
    out << "\nRun 'cstudio <command> --help' for a command's options.\n";
}
}  // namespace

namespace {
#ifdef CSTUDIO_HAVE_GUI
QtMessageHandler defaultMessageHandler = nullptr;

// The offscreen platform says it cannot resize windows and QStandardPaths notes a missing
// XDG_RUNTIME_DIR: true, harmless for a command that shows no window, and noise on stderr.
void quietOffscreenMessages(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    if (message.contains(QLatin1String("does not support propagateSizeHints")) || message.startsWith(QLatin1String("QStandardPaths: ")))
        return;
    defaultMessageHandler(type, context, message);
}
#endif

// Most commands need QtCore alone; a report with charts or a PDF needs Qt Widgets, and a
// command line must work with no display, so that application draws on the offscreen platform.
std::unique_ptr<QCoreApplication> makeApplication(int& argc, char* argv[])
{
#ifdef CSTUDIO_HAVE_GUI
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    for (const auto& command : cstudio::cli::cliCommands()) {
        if (arguments.size() > 1 && arguments[1] == QLatin1String(command.name) && command.needsGuiApplication
            && command.needsGuiApplication(arguments.mid(2))) {
            if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
                qputenv("QT_QPA_PLATFORM", "offscreen");
            defaultMessageHandler = qInstallMessageHandler(quietOffscreenMessages);
            return std::make_unique<QApplication>(argc, argv);
        }
    }
#endif
    return std::make_unique<QCoreApplication>(argc, argv);
}
}  // namespace

int main(int argc, char* argv[])
{
    const std::unique_ptr<QCoreApplication> application = makeApplication(argc, argv);
    QCoreApplication& app = *application;
#ifdef CSTUDIO_HAVE_CUDA
    cstudio::registerCudaAnalysisEngine();  // static library: no static initializer runs
#endif
    QCoreApplication::setApplicationName(QStringLiteral("cstudio"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CSTUDIO_VERSION));
    QTextStream out(stdout), err(stderr);
    const QStringList arguments = app.arguments();
    if (arguments.size() < 2 || arguments[1] == QLatin1String("--help") || arguments[1] == QLatin1String("-h")) {
        printUsage(arguments.size() < 2 ? err : out);
        return arguments.size() < 2 ? cstudio::cli::kExitUsageError : cstudio::cli::kExitOk;
    }
    if (arguments[1] == QLatin1String("--version")) {
        out << "cstudio " << CSTUDIO_VERSION << "\n";
        return cstudio::cli::kExitOk;
    }
    for (const auto& command : cstudio::cli::cliCommands()) {
        if (arguments[1] == QLatin1String(command.name)) {
            QStringList commandArguments = arguments.mid(2);
            commandArguments.prepend(arguments[0] + QLatin1Char(' ') + arguments[1]);
            return command.run(commandArguments);
        }
    }
    err << "cstudio: unknown command '" << arguments[1] << "'\n\n";
    printUsage(err);
    return cstudio::cli::kExitUsageError;
}
