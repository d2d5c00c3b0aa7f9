#pragma once
// Each `cstudio` subcommand lives in its own file under app/cli/ and registers itself here
// with a static CliCommandRegistration, so main_cli.cpp never lists them by hand.
#include <QStringList>
#include <functional>
#include <vector>

namespace cstudio::cli {

// Exit codes shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFileError = 1;   // a file could not be read or is malformed
inline constexpr int kExitUsageError = 2;  // bad arguments

struct CliCommand {
    const char* name;
    const char* summary;
    // arguments: the program name followed by everything after the subcommand's name,
    // ready for QCommandLineParser::parse().
    std::function<int(const QStringList& arguments)> run;
    // Whether these arguments need a QApplication (charts and PDF are drawn by Qt Widgets and
    // Qt Charts, which need one); main() then makes one on the "offscreen" platform unless
    // QT_QPA_PLATFORM names another. Null or false: a QCoreApplication, as every other command.
    std::function<bool(const QStringList& arguments)> needsGuiApplication = {};
};

std::vector<CliCommand>& cliCommands();

struct CliCommandRegistration {
    explicit CliCommandRegistration(CliCommand command) { cliCommands().push_back(std::move(command)); }
};

}  // namespace cstudio::cli
