// cstudio plan: a per-tensor mixed-precision plan under a memory budget, beside each uniform scheme.
#include "app/cli/cli_command.h"
#include "app/cli/quant_cli_support.h"
#include "core/analysis/mixed_precision_planner.h"

#include <QJsonDocument>

namespace cstudio::cli {
namespace {

int runPlan(const QStringList& arguments)
{
    QTextStream out(stdout), err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Choose a scheme per tensor to minimise total squared error within a budget."));
    parser.addHelpOption();
    addAnalysisOptions(parser);
    parser.addOption({QStringLiteral("budget-gb"), QStringLiteral("Budget for the whole model in GB (1e9 bytes)."), QStringLiteral("gb")});
    parser.addOption({QStringLiteral("budget-bits"), QStringLiteral("Budget as average bits per quantized weight."), QStringLiteral("bits")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Write the plan as JSON to stdout.")});
    parser.addOption({QStringLiteral("llama-quantize"), QStringLiteral("Print llama-quantize --tensor-type overrides for the GGUF choices.")});
    if (!parser.parse(arguments)) {
        err << "error: " << parser.errorText() << "\n";
        return kExitUsageError;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return kExitOk;
    }
    const bool gb = parser.isSet(QStringLiteral("budget-gb")), bits = parser.isSet(QStringLiteral("budget-bits"));
    if (gb == bits) {
        err << "error: give exactly one of --budget-gb or --budget-bits\n";
        return kExitUsageError;
    }
    bool ok = false;
    const QString budgetText = parser.value(gb ? QStringLiteral("budget-gb") : QStringLiteral("budget-bits"));
    const double value = budgetText.toDouble(&ok);
    if (!ok || !(value > 0)) {
        err << "error: --" << (gb ? "budget-gb" : "budget-bits") << " expects a positive number, got '" << budgetText << "'\n";
        return kExitUsageError;
    }
    int exitCode = kExitOk;
    auto run = runAnalysisFromOptions(parser, err, exitCode);
    if (!run)
        return exitCode;
    auto plan = planMixedPrecision(run->result, gb ? PlanBudget::gigabytes(value) : PlanBudget::bitsPerWeight(value));
    if (!plan) {
        err << "error: " << plan.error().message << "\n";
        return kExitUsageError;
    }
    if (parser.isSet(QStringLiteral("json"))) {
        out << QJsonDocument(planToJson(*plan)).toJson(QJsonDocument::Indented);
        return kExitOk;
    }
    if (parser.isSet(QStringLiteral("llama-quantize"))) {
        const QStringList args = llamaQuantizeArguments(*plan);
        if (args.isEmpty())
            err << "note: no GGUF scheme was chosen, so there are no llama-quantize overrides\n";
        for (int i = 0; i + 1 < args.size(); i += 2)
            out << args[i] << ' ' << args[i + 1] << "\n";
        return kExitOk;
    }
    out << "budget " << formatBytes(static_cast<double>(plan->budgetBytes)) << " (unquantized tensors kept as stored: "
        << formatBytes(static_cast<double>(plan->fixedBytes)) << ")\n\n";
    out << QStringLiteral("%1  %2  %3  %4  %5\n").arg(QStringLiteral(""), -28).arg(QStringLiteral("size"), 10)
               .arg(QStringLiteral("bits/w"), 7).arg(QStringLiteral("rel RMSE"), 9).arg(QStringLiteral("fits"), 4);
    auto row = [&](const PlanSummary& s) {
        out << QStringLiteral("%1  %2  %3  %4  %5\n").arg(s.label, -28).arg(formatBytes(static_cast<double>(s.bytes)), 10)
                   .arg(s.bitsPerWeight, 7, 'f', 3).arg(QString::number(s.relativeRmse * 100.0, 'f', 3) + QLatin1Char('%'), 9)
                   .arg(s.fitsBudget ? QStringLiteral("yes") : QStringLiteral("no"), 4);
    };
    row(plan->plan);
    for (const auto& u : plan->uniform)
        row(u);
    out << "\nper tensor:\n";
    for (const auto& c : plan->choices)
        out << QStringLiteral("  %1  %2  %3\n").arg(c.tensorName, -48).arg(c.scheme, -14)
                   .arg(QString::number(c.relativeRmse * 100.0, 'f', 3) + QLatin1Char('%'), 9);
    return kExitOk;
}

const CliCommandRegistration registration{{"plan", "Mixed-precision plan (scheme per tensor) under a memory budget", runPlan}};

}  // namespace
}  // namespace cstudio::cli
