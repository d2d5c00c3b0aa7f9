// cstudio budget: the hardware bill of a model at several precisions (seed 000's table),
// with KV cache, decode speed bound, cost, fit verdict and the direct answers.
#include "app/cli/budget_report.h"
#include "app/cli/cli_command.h"
#include "core/budget/budget_answers.h"
#include "core/budget/budget_checks.h"
#include "core/budget/budget_estimate.h"
#include "core/budget/budget_math.h"
#include "core/budget/device_catalog.h"
#include "core/budget/format_catalog.h"
#include "core/budget/model_catalog.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <cmath>
#include <optional>

namespace cstudio::cli {
namespace {

using namespace cstudio::budget;

struct UsageError {
    QString message;
};

// "70e9", "70B", "7.2b", "405 000 000 000" -> count; nullopt if not a number.
std::optional<double> parseCount(QString text)
{
    text = text.trimmed().remove(QLatin1Char('_')).remove(QLatin1Char(' '));
    double scale = 1;
    if (!text.isEmpty()) {
        const QChar suffix = text.back().toUpper();
        const double scales[] = {1e3, 1e6, 1e9, 1e12};
        const int index = QStringLiteral("KMBT").indexOf(suffix);
        if (index >= 0) {
            scale = scales[index];
            text.chop(1);
        }
    }
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok)
        return std::nullopt;
    return value * scale;
}

double parseNumber(const QCommandLineParser& parser, const QString& option)
{
    bool ok = false;
    const double value = parser.value(option).toDouble(&ok);
    if (!ok)
        throw UsageError{QStringLiteral("--%1 expects a number, got '%2'").arg(option, parser.value(option))};
    return value;
}

double parseOverhead(const QString& text)
{
    QString number = text.trimmed();
    const bool percent = number.endsWith(QLatin1Char('%'));
    if (percent)
        number.chop(1);
    bool ok = false;
    const double value = number.toDouble(&ok);
    if (!ok)
        throw UsageError{QStringLiteral("--overhead expects a fraction (0.2) or a percentage (20%), got '%1'").arg(text)};
    return percent ? value / 100.0 : value;
}

template <class T>
const std::vector<T>& catalogOrThrow(const Result<std::vector<T>>& catalog)
{
    if (!catalog)
        throw catalog.error();
    return *catalog;
}

struct Precision {
    double bits;
    QString label;  // "32-bit", "GGUF Q4_K"
    const QuantFormat* format = nullptr;
};

QString bitsText(double bits) { return QString::number(bits, 'g', 6); }

std::vector<Precision> parsePrecisions(const QCommandLineParser& parser, const std::vector<QuantFormat>& formats)
{
    std::vector<Precision> precisions;
    auto addFormat = [&](const QString& name) {
        const QuantFormat* format = findFormat(formats, name);
        if (!format)
            throw UsageError{QStringLiteral("unknown format '%1' (see --list-formats)").arg(name)};
        precisions.push_back({format->bitsPerWeight, format->name, format});
    };
    for (const QString& item : parser.value(QStringLiteral("bits")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const double bits = item.trimmed().toDouble(&ok);
        if (!ok) {
            addFormat(item.trimmed());
            continue;
        }
        if (Result<void> check = checkBits(bits); !check)
            throw UsageError{QStringLiteral("--bits: ") + check.error().message};
        precisions.push_back({bits, QStringLiteral("%1-bit").arg(bitsText(bits), 2), nullptr});
    }
    for (const QString& item : parser.values(QStringLiteral("format")))
        for (const QString& name : item.split(QLatin1Char(','), Qt::SkipEmptyParts))
            addFormat(name.trimmed());
    if (precisions.empty())
        for (double bits : {32.0, 16.0, 8.0, 4.0})
            precisions.push_back({bits, QStringLiteral("%1-bit").arg(bitsText(bits), 2), nullptr});
    return precisions;
}

BudgetInput parseInput(const QCommandLineParser& parser)
{
    BudgetInput input;
    const bool hasModel = parser.isSet(QStringLiteral("model"));
    const bool hasParams = parser.isSet(QStringLiteral("params"));
    if (hasModel && hasParams)
        throw UsageError{QStringLiteral("give either --model or --params, not both")};
    if (hasModel) {
        const ModelSpec* model = findModel(catalogOrThrow(builtinModels()), parser.value(QStringLiteral("model")));
        if (!model)
            throw UsageError{QStringLiteral("unknown model '%1' (see --list-models)").arg(parser.value(QStringLiteral("model")))};
        input.model = *model;
    } else if (hasParams) {
        const std::optional<double> params = parseCount(parser.value(QStringLiteral("params")));
        if (!params)
            throw UsageError{QStringLiteral("--params expects a parameter count such as 70e9 or 70B, got '%1'")
                                 .arg(parser.value(QStringLiteral("params")))};
        double active = 0;
        if (parser.isSet(QStringLiteral("active-params"))) {
            const std::optional<double> parsed = parseCount(parser.value(QStringLiteral("active-params")));
            if (!parsed || *parsed <= 0)
                throw UsageError{QStringLiteral("--active-params expects a positive parameter count, got '%1'")
                                     .arg(parser.value(QStringLiteral("active-params")))};
            active = *parsed;
        }
        input.model = customModel(QStringLiteral("custom model"), *params, active);
    } else {
        throw UsageError{QStringLiteral("give --params N (e.g. 70e9) or --model NAME")};
    }

    input.device = genericDevice(kDefaultDeviceMemoryGB);
    if (parser.isSet(QStringLiteral("device"))) {
        const DeviceSpec* device = findDevice(catalogOrThrow(builtinDevices()), parser.value(QStringLiteral("device")));
        if (!device)
            throw UsageError{QStringLiteral("unknown device '%1' (see --list-devices)").arg(parser.value(QStringLiteral("device")))};
        input.device = *device;
    }
    if (parser.isSet(QStringLiteral("gpu-mem"))) {
        input.device.memoryGB = parseNumber(parser, QStringLiteral("gpu-mem"));
        if (!parser.isSet(QStringLiteral("device")))
            input.device.name = QStringLiteral("%1 GB GPU").arg(input.device.memoryGB);
    }
    if (parser.isSet(QStringLiteral("bandwidth")))
        input.device.bandwidthGBs = parseNumber(parser, QStringLiteral("bandwidth"));
    if (parser.isSet(QStringLiteral("price")))
        input.device.pricePerHour = parseNumber(parser, QStringLiteral("price"));
    if (parser.isSet(QStringLiteral("devices"))) {
        const double count = parseNumber(parser, QStringLiteral("devices"));
        if (count != std::floor(count) || count < 1 || count > 100000)
            throw UsageError{QStringLiteral("--devices expects a whole number from 1, got '%1'").arg(parser.value(QStringLiteral("devices")))};
        input.deviceCount = static_cast<int>(count);
    }
    if (parser.isSet(QStringLiteral("overhead")))
        input.overhead = parseOverhead(parser.value(QStringLiteral("overhead")));
    if (parser.isSet(QStringLiteral("context"))) {
        const std::optional<double> context = parseCount(parser.value(QStringLiteral("context")));
        if (!context)
            throw UsageError{QStringLiteral("--context expects a number of tokens, got '%1'").arg(parser.value(QStringLiteral("context")))};
        input.contextTokens = *context;
    }
    if (parser.isSet(QStringLiteral("batch")))
        input.batch = parseNumber(parser, QStringLiteral("batch"));
    if (parser.isSet(QStringLiteral("kv-bits")))
        input.kvBits = parseNumber(parser, QStringLiteral("kv-bits"));
    if (parser.isSet(QStringLiteral("system-ram")))
        input.systemRamGB = parseNumber(parser, QStringLiteral("system-ram"));
    // Same checks as the GUI; a value out of range is a usage error, not a NaN in the table.
    input.bitsPerWeight = 16;
    if (Result<void> check = checkInput(input); !check)
        throw UsageError{check.error().message};
    return input;
}

QJsonValue optionalJson(const std::optional<double>& value) { return value ? QJsonValue(*value) : QJsonValue(); }

int listCatalogs(const QCommandLineParser& parser, QTextStream& out, bool json)
{
    QJsonObject document;
    if (parser.isSet(QStringLiteral("list-models"))) {
        QJsonArray array;
        if (!json)
            out << QStringLiteral("%1 %2 %3 %4 %5 %6\n").arg(QStringLiteral("id"), -20).arg(QStringLiteral("name"), -22)
                       .arg(QStringLiteral("total"), 9).arg(QStringLiteral("active"), 9).arg(QStringLiteral("context"), 8)
                       .arg(QStringLiteral("attention"));
        for (const ModelSpec& model : catalogOrThrow(builtinModels())) {
            array.append(QJsonObject{{QStringLiteral("id"), model.id}, {QStringLiteral("name"), model.name},
                                     {QStringLiteral("total_params"), model.totalParams},
                                     {QStringLiteral("active_params"), model.activeParams},
                                     {QStringLiteral("max_context"), model.maxContext},
                                     {QStringLiteral("attention"), attentionKindName(model.attention.kind)}});
            if (!json)
                out << QStringLiteral("%1 %2 %3 %4 %5 %6\n").arg(model.id, -20).arg(model.name, -22)
                           .arg(QStringLiteral("%1B").arg(model.totalParams / 1e9, 0, 'f', 1), 9)
                           .arg(QStringLiteral("%1B").arg(model.activeParams / 1e9, 0, 'f', 1), 9)
                           .arg(model.maxContext, 8).arg(attentionKindName(model.attention.kind));
        }
        document.insert(QStringLiteral("models"), array);
    }
    if (parser.isSet(QStringLiteral("list-devices"))) {
        QJsonArray array;
        if (!json)
            out << QStringLiteral("%1 %2 %3 %4 %5\n").arg(QStringLiteral("id"), -14).arg(QStringLiteral("name"), -34)
                       .arg(QStringLiteral("memory"), 8).arg(QStringLiteral("bandwidth"), 11).arg(QStringLiteral("price/h"), 8);
        for (const DeviceSpec& device : catalogOrThrow(builtinDevices())) {
            array.append(QJsonObject{{QStringLiteral("id"), device.id}, {QStringLiteral("name"), device.name},
                                     {QStringLiteral("kind"), device.kind}, {QStringLiteral("memory_gb"), device.memoryGB},
                                     {QStringLiteral("bandwidth_gbs"), device.bandwidthGBs},
                                     {QStringLiteral("price_per_hour"), optionalJson(device.pricePerHour)},
                                     {QStringLiteral("price_source"), device.priceSource}});
            if (!json)
                out << QStringLiteral("%1 %2 %3 %4 %5\n").arg(device.id, -14).arg(device.name, -34)
                           .arg(QStringLiteral("%1 GB").arg(device.memoryGB), 8)
                           .arg(QStringLiteral("%1 GB/s").arg(device.bandwidthGBs), 11)
                           .arg(device.pricePerHour ? QStringLiteral("$%1").arg(*device.pricePerHour, 0, 'f', 2) : QStringLiteral("-"), 8);
        }
        document.insert(QStringLiteral("devices"), array);
    }
    if (parser.isSet(QStringLiteral("list-formats"))) {
        QJsonArray array;
        if (!json)
            out << QStringLiteral("%1 %2 %3 %4 %5\n").arg(QStringLiteral("id"), -10).arg(QStringLiteral("name"), -36)
                       .arg(QStringLiteral("bits/w"), 7).arg(QStringLiteral("scheme"), -10).arg(QStringLiteral("where you meet it"));
        for (const QuantFormat& format : catalogOrThrow(builtinFormats())) {
            array.append(QJsonObject{{QStringLiteral("id"), format.id}, {QStringLiteral("name"), format.name},
                                     {QStringLiteral("family"), format.family},
                                     {QStringLiteral("bits_per_weight"), format.bitsPerWeight},
                                     {QStringLiteral("element_bits"), format.elementBits},
                                     {QStringLiteral("scheme"), format.scheme.isEmpty() ? QJsonValue() : QJsonValue(format.scheme)},
                                     {QStringLiteral("bits_derivation"), format.bitsDerivation},
                                     {QStringLiteral("where_you_meet_it"), format.whereYouMeetIt}});
            if (!json)
                out << QStringLiteral("%1 %2 %3 %4 %5\n").arg(format.id, -10).arg(format.name, -36)
                           .arg(format.bitsPerWeight, 7, 'g', 6).arg(format.scheme.isEmpty() ? QStringLiteral("-") : format.scheme, -10)
                           .arg(format.whereYouMeetIt);
        }
        document.insert(QStringLiteral("formats"), array);
    }
    if (json)
        out << QJsonDocument(document).toJson(QJsonDocument::Indented);
    return kExitOk;
}


int runBudget(const QStringList& arguments)
{
    QTextStream out(stdout), err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "The hardware bill of a model by bit width (seed 000): weights = params x bits / 8,\n"
        "GPUs = ceil((weights + KV) x (1 + overhead) / GPU memory); 1 GB = 1e9 bytes.\n"
        "Example: cstudio budget --params 70e9 --bits 32,16,8,4"));
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    parser.addOption(help);
    parser.addOptions({
        {QStringLiteral("params"), QStringLiteral("Total parameter count (70e9, 70B)."), QStringLiteral("N")},
        {QStringLiteral("active-params"), QStringLiteral("Parameters read per token for a MoE model (default: all)."), QStringLiteral("N")},
        {QStringLiteral("model"), QStringLiteral("A catalog model by id or name (see --list-models)."), QStringLiteral("NAME")},
        {QStringLiteral("bits"), QStringLiteral("Comma-separated bit widths or format names (default 32,16,8,4)."), QStringLiteral("LIST")},
        {QStringLiteral("format"), QStringLiteral("Comma-separated catalog formats, e.g. q4_k,nf4 (see --list-formats)."), QStringLiteral("LIST")},
        {QStringLiteral("device"), QStringLiteral("A catalog device by id or name (see --list-devices)."), QStringLiteral("NAME")},
        {QStringLiteral("gpu-mem"), QStringLiteral("Memory per device in GB (default 80)."), QStringLiteral("GB")},
        {QStringLiteral("bandwidth"), QStringLiteral("Memory bandwidth per device in GB/s (for the speed bound)."), QStringLiteral("GBs")},
        {QStringLiteral("price"), QStringLiteral("Price per device-hour in US$ (for cost)."), QStringLiteral("USD")},
        {QStringLiteral("devices"), QStringLiteral("Devices you have, for the fit verdict and max context (default 1)."), QStringLiteral("N")},
        {QStringLiteral("overhead"), QStringLiteral("Runtime overhead, fraction or percent (default 0.2)."), QStringLiteral("X")},
        {QStringLiteral("context"), QStringLiteral("Tokens cached per sequence (default 0)."), QStringLiteral("TOKENS")},
        {QStringLiteral("batch"), QStringLiteral("Concurrent sequences (default 1)."), QStringLiteral("N")},
        {QStringLiteral("kv-bits"), QStringLiteral("KV cache precision in bits (default 16)."), QStringLiteral("BITS")},
        {QStringLiteral("system-ram"), QStringLiteral("System RAM in GB that can take offloaded layers (default 0)."), QStringLiteral("GB")},
        {QStringLiteral("list-models"), QStringLiteral("List the model catalog.")},
        {QStringLiteral("list-devices"), QStringLiteral("List the device catalog.")},
        {QStringLiteral("list-formats"), QStringLiteral("List the format catalog.")},
        {QStringLiteral("json"), QStringLiteral("Print JSON instead of a table.")},
    });
    if (!parser.parse(arguments)) {
        err << "cstudio budget: " << parser.errorText() << "\nRun 'cstudio budget --help' for the options.\n";
        return kExitUsageError;
    }
    if (parser.isSet(help)) {
        // QCommandLineParser names the executable's path; say how this subcommand is called.
        QString text = parser.helpText();
        text.replace(0, text.indexOf(QLatin1Char('\n')), QStringLiteral("Usage: cstudio budget [options]"));
        out << text;
        return kExitOk;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err << "cstudio budget: unexpected argument '" << parser.positionalArguments().front() << "'\n";
        return kExitUsageError;
    }
    const bool json = parser.isSet(QStringLiteral("json"));
    try {
        if (parser.isSet(QStringLiteral("list-models")) || parser.isSet(QStringLiteral("list-devices"))
            || parser.isSet(QStringLiteral("list-formats")))
            return listCatalogs(parser, out, json);

        BudgetReport report;
        report.input = parseInput(parser);
        const std::vector<QuantFormat>& formats = catalogOrThrow(builtinFormats());
        const std::vector<Precision> precisions = parsePrecisions(parser, formats);
        for (const char* option : {"model", "device", "bandwidth", "price", "devices", "context", "batch", "kv-bits", "system-ram", "format"})
            report.seedTableOnly = report.seedTableOnly || parser.isSet(QLatin1String(option));
        report.seedTableOnly = !report.seedTableOnly;
        for (const Precision& precision : precisions) {
            BudgetInput input = report.input;
            input.bitsPerWeight = precision.bits;
            Result<BudgetEstimate> estimate = estimateBudget(input);
            if (!estimate)
                throw UsageError{estimate.error().message};
            Result<MaxContextAnswer> context = maxContext(input);
            if (!context)
                throw UsageError{context.error().message};
            report.rows.push_back({precision.label, precision.format, *estimate, *context});
        }
        if (!report.seedTableOnly) {
            Result<BestFormatAnswer> best = bestFormat(formats, report.input, report.input.device.memoryGB * report.input.deviceCount);
            if (best)
                report.bestFormat = *best;
        }
        if (json)
            out << QJsonDocument(budgetJson(report)).toJson(QJsonDocument::Indented);
        else
            writeBudgetText(out, report);
        return kExitOk;
    } catch (const UsageError& error) {
        err << "cstudio budget: " << error.message << "\n";
        return kExitUsageError;
    } catch (const Error& error) {
        err << "cstudio budget: " << error.toString() << "\n";
        return kExitFileError;
    }
}

const CliCommandRegistration registration({"budget", "Memory, GPUs, KV cache, speed and cost of a model by bit width",
                                            runBudget});

}  // namespace

}  // namespace cstudio::cli
