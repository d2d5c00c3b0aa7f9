#pragma once
// What `cstudio analyze` and `cstudio plan` share: the model/scheme/engine options, opening the
// weights, and running the analysis with a progress bar on a terminal (quiet when piped).
#include "core/analysis/analysis_types.h"
#include "core/formats/tensor_source.h"

#include <QCommandLineParser>
#include <QTextStream>
#include <memory>
#include <optional>

namespace cstudio::cli {

void addAnalysisOptions(QCommandLineParser& parser);

struct AnalysisRun {
    std::shared_ptr<TensorSource> source;
    AnalysisResult result;
};

// Parses the shared options, opens the model and runs the analysis (every group's RMSE and the
// per-element error histograms only when asked: they cost time). On failure prints the message
// and returns nullopt with `exitCode` set (kExitUsageError or kExitFileError).
std::optional<AnalysisRun> runAnalysisFromOptions(const QCommandLineParser& parser, QTextStream& err, int& exitCode,
                                                  bool keepGroupErrors = false, bool errorHistograms = false);

QString formatBytes(double bytes);

}  // namespace cstudio::cli
