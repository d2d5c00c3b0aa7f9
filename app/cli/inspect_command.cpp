// cstudio inspect: what a weights file holds. A summary (parameters, bytes, dtype mix, layers,
// width) and every tensor with its layer, role, shape, dtype, parameters and bytes; as text or
// JSON. Reads headers only: no tensor data is touched.
#include "app/cli/cli_command.h"
#include "core/formats/demo_model.h"
#include "core/formats/model_summary.h"
#include "core/formats/weights_loader.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

namespace cstudio::cli {
namespace {

QJsonObject toJson(const TensorSource& source, const ModelSummary& summary)
{
    QJsonArray mix;
    for (const DtypeShare& share : summary.dtypeMix)
        mix.append(QJsonObject{{QStringLiteral("dtype"), share.dtype},
                               {QStringLiteral("tensors"), share.tensors},
                               {QStringLiteral("parameters"), share.parameters},
                               {QStringLiteral("bytes"), share.bytes}});
    QJsonArray tensors;
    for (const TensorInfo& info : source.tensors()) {
        QJsonArray shape;
        for (qint64 extent : info.shape)
            shape.append(extent);
        tensors.append(QJsonObject{{QStringLiteral("name"), info.name},
                                   {QStringLiteral("layer"), info.layer},
                                   {QStringLiteral("role"), info.role},
                                   {QStringLiteral("shape"), shape},
                                   {QStringLiteral("dtype"), info.dtype},
                                   {QStringLiteral("parameters"), info.elementCount},
                                   {QStringLiteral("bytes"), info.byteSize},
                                   {QStringLiteral("decoded"), info.decodable}});
    }
    QJsonObject metadata;
    for (const auto& [key, value] : source.metadata())
        metadata.insert(key, value);
    return QJsonObject{{QStringLiteral("name"), summary.name},
                       {QStringLiteral("tensor_count"), summary.tensorCount},
                       {QStringLiteral("parameters"), summary.parameters},
                       {QStringLiteral("bytes"), summary.bytes},
                       {QStringLiteral("bits_per_parameter"), summary.bitsPerParameter()},
                       {QStringLiteral("layers"), summary.layerCount},
                       {QStringLiteral("hidden_size"), summary.hiddenSize},
                       {QStringLiteral("dtype_mix"), mix},
                       {QStringLiteral("metadata"), metadata},
                       {QStringLiteral("tensors"), tensors}};
}

void printText(QTextStream& out, const TensorSource& source, const ModelSummary& summary)
{
    out << summary.name << "\n";
    out << QStringLiteral("  parameters  %1 (%2)\n").arg(formatCount(summary.parameters)).arg(summary.parameters);
    out << QStringLiteral("  size        %1 (%2 bytes, %3 bits per parameter)\n")
               .arg(formatBytes(summary.bytes)).arg(summary.bytes).arg(summary.bitsPerParameter(), 0, 'f', 2);
    out << QStringLiteral("  tensors     %1\n").arg(summary.tensorCount);
    out << QStringLiteral("  layers      %1\n").arg(summary.layerCount);
    if (summary.hiddenSize > 0)
        out << QStringLiteral("  hidden size %1\n").arg(summary.hiddenSize);
    out << "  dtype mix  ";
    for (const DtypeShare& share : summary.dtypeMix)
        out << QStringLiteral(" %1 %2% (%3 %4)").arg(share.dtype)
                   .arg(summary.parameters ? 100.0 * double(share.parameters) / double(summary.parameters) : 0.0, 0, 'f', 1)
                   .arg(share.tensors).arg(share.tensors == 1 ? QStringLiteral("tensor") : QStringLiteral("tensors"));
    out << "\n";
    const auto metadata = source.metadata();
    if (!metadata.empty()) {
        out << "\nMetadata\n";
        for (const auto& [key, value] : metadata)
            out << "  " << key << " = " << (value.size() > 100 ? value.left(100) + QStringLiteral("…") : value) << "\n";
    }
    int nameWidth = 4;
    for (const TensorInfo& info : source.tensors())
        nameWidth = std::max(nameWidth, int(info.name.size()));
    out << "\n" << QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n")
                       .arg(QStringLiteral("name"), -nameWidth).arg(QStringLiteral("layer"), 5).arg(QStringLiteral("role"), -11)
                       .arg(QStringLiteral("shape"), -20).arg(QStringLiteral("dtype"), -7).arg(QStringLiteral("params"), 12)
                       .arg(QStringLiteral("bytes"), 12);
    for (const TensorInfo& info : source.tensors())
        out << QStringLiteral("%1  %2  %3  %4  %5  %6  %7%8\n")
                   .arg(info.name, -nameWidth)
                   .arg(info.layer >= 0 ? QString::number(info.layer) : QStringLiteral("-"), 5)
                   .arg(info.role, -11).arg(formatShape(info.shape), -20).arg(info.dtype, -7)
                   .arg(info.elementCount, 12).arg(info.byteSize, 12)
                   .arg(info.decodable ? QString() : QStringLiteral("  (not decoded)"));
}

int runInspect(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Lists the tensors of a weights file (.safetensors, sharded folder "
                                                    "or index.json, .gguf, .npy, .npz) with a summary."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("Weights file or folder."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON instead of text."));
    const QCommandLineOption demo(QStringLiteral("demo"), QStringLiteral("Inspect the built-in demo model."));
    parser.addOptions({json, demo});
    QTextStream out(stdout), err(stderr);
    if (!parser.parse(arguments)) {
        err << "cstudio inspect: " << parser.errorText() << "\n";
        return kExitUsageError;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return kExitOk;
    }
    const QStringList files = parser.positionalArguments();
    if (files.size() + (parser.isSet(demo) ? 1 : 0) != 1) {
        err << "cstudio inspect: give exactly one FILE, or --demo\n";
        return kExitUsageError;
    }
    auto source = openWeights(parser.isSet(demo) ? kDemoModelPath : files.first());
    if (!source) {
        err << "cstudio inspect: " << source.error().toString() << "\n";
        return kExitFileError;
    }
    const ModelSummary summary = summarizeModel(*source.value());
    if (parser.isSet(json))
        out << QJsonDocument(toJson(*source.value(), summary)).toJson(QJsonDocument::Indented);
    else
        printText(out, *source.value(), summary);
    return kExitOk;
}

const CliCommandRegistration registration{
    {"inspect", "List a weights file's tensors with shapes, dtypes, layers and a summary", &runInspect}};

}  // namespace
}  // namespace cstudio::cli
