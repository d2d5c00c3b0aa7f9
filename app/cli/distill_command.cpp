// cstudio distill: seed 002's dark-knowledge table for any teacher logits, with the
// distillation losses of a student when one is given.
//   cstudio distill --logits 9,6.5,4,2.5,1,-4 --labels cat,kitten,lynx,dog,loaf,carburetor --tau 1,2,5,10
#include "app/cli/cli_command.h"
#include "core/distill/logit_import.h"
#include "core/distill/logit_validation.h"
#include "core/distill/temperature_table.h"
#include "core/distill/top_classes.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

namespace cstudio::cli {
namespace {

using namespace cstudio::distill;

int usageError(const QString& message)
{
    QTextStream(stderr) << "cstudio distill: " << message << "\n";
    return kExitUsageError;
}

QJsonObject lossesJson(const DistillationLosses& losses)
{
    QJsonArray gradient;
    for (double g : losses.gradient)
        gradient.append(g);
    return { { QStringLiteral("kl"), losses.forwardKl }, { QStringLiteral("reverse_kl"), losses.reverseKl },
        { QStringLiteral("ce"), losses.crossEntropy }, { QStringLiteral("loss"), losses.hintonLoss },
        { QStringLiteral("gradient"), gradient } };
}

void printText(QTextStream& out, const std::vector<TemperatureRow>& rows, const ClassLogits& teacher, int top,
    const std::optional<StudentSettings>& student)
{
    const int classes = static_cast<int>(teacher.logits.size());
    const bool truncate = classes > top;
    const std::vector<int> shown = topIndices(teacher.logits, truncate ? top : classes);
    for (const TemperatureRow& row : rows) {
        if (!truncate) {
            out << formatSeedRow(row, teacher.labels) << "\n";
            continue;
        }
        // A large vocabulary: the top classes by teacher logit and the rest as one entry.
        TemperatureRow shortRow = row;
        QStringList labels;
        shortRow.probabilities.clear();
        for (int index : shown) {
            shortRow.probabilities.push_back(row.probabilities[index]);
            labels.push_back(teacher.labels[index]);
        }
        shortRow.probabilities.push_back(restProbability(row.probabilities, shown));
        labels.push_back(QStringLiteral("(other %1)").arg(classes - top));
        out << formatSeedRow(shortRow, labels) << "\n";
    }
    if (!student)
        return;
    out << QStringLiteral(
        "\nstudent losses (nats; alpha=%1, hard label: %2; loss = alpha*tau^2*KL + (1-alpha)*CE)\n")
               .arg(student->alpha)
               .arg(teacher.labels[student->hardLabel]);
    out << QStringLiteral("%1 %2 %3 %4 %5\n")
               .arg(QStringLiteral("tau"), 6)
               .arg(QStringLiteral("KL(T||S)"), 10)
               .arg(QStringLiteral("KL(S||T)"), 10)
               .arg(QStringLiteral("CE"), 10)
               .arg(QStringLiteral("loss"), 10);
    for (const TemperatureRow& row : rows)
        out << QStringLiteral("%1 %2 %3 %4 %5\n")
                   .arg(row.temperature, 6, 'g', 4)
                   .arg(row.losses->forwardKl, 10, 'f', 6)
                   .arg(row.losses->reverseKl, 10, 'f', 6)
                   .arg(row.losses->crossEntropy, 10, 'f', 6)
                   .arg(row.losses->hintonLoss, 10, 'f', 6);
}

int runDistill(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Soften a teacher's logits at temperatures tau: probabilities, entropy (bits) and, with a "
        "student, KL, cross-entropy and the Hinton loss alpha*tau^2*KL + (1-alpha)*CE."));
    parser.addHelpOption();
    const QCommandLineOption logitsOption(
        QStringLiteral("logits"), QStringLiteral("Teacher logits, comma-separated."), QStringLiteral("list"));
    const QCommandLineOption fileOption(QStringLiteral("file"),
        QStringLiteral("Read teacher logits from a .csv, .json or .npy file."), QStringLiteral("path"));
    const QCommandLineOption labelsOption(
        QStringLiteral("labels"), QStringLiteral("Class names, comma-separated."), QStringLiteral("list"));
    const QCommandLineOption tauOption(QStringLiteral("tau"),
        QStringLiteral("Temperatures (default 1,2,5,10)."), QStringLiteral("list"),
        QStringLiteral("1,2,5,10"));
    const QCommandLineOption studentOption(QStringLiteral("student"),
        QStringLiteral("Student logits, comma-separated: adds the losses."), QStringLiteral("list"));
    const QCommandLineOption alphaOption(QStringLiteral("alpha"),
        QStringLiteral("Weight of the soft (KL) term, 0..1 (default 0.5)."), QStringLiteral("alpha"),
        QStringLiteral("0.5"));
    const QCommandLineOption hardLabelOption(QStringLiteral("hard-label"),
        QStringLiteral("True class (name or index) for the CE term; default: "
                       "the teacher's top class."),
        QStringLiteral("class"));
    const QCommandLineOption topOption(QStringLiteral("top"),
        QStringLiteral("Print at most this many classes, the rest as one (default 20)."), QStringLiteral("k"),
        QStringLiteral("20"));
    const QCommandLineOption jsonOption(
        QStringLiteral("json"), QStringLiteral("Print JSON instead of text."));
    parser.addOptions({ logitsOption, fileOption, labelsOption, tauOption, studentOption, alphaOption,
        hardLabelOption, topOption, jsonOption });
    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return kExitOk;
    }
    if (!parser.positionalArguments().isEmpty())
        return usageError(
            QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));
    if (parser.isSet(logitsOption) == parser.isSet(fileOption))
        return usageError(QStringLiteral("give the teacher logits with exactly one of --logits or --file"));

    ClassLogits teacher;
    if (parser.isSet(fileOption)) {
        Result<ClassLogits> imported = importLogits(parser.value(fileOption));
        if (!imported) {
            QTextStream(stderr) << "cstudio distill: " << imported.error().toString() << "\n";
            return kExitFileError;
        }
        teacher = std::move(imported.value());
    } else {
        Result<std::vector<double>> logits
            = parseNumberList(parser.value(logitsOption), QStringLiteral("--logits"));
        if (!logits)
            return usageError(logits.error().toString());
        teacher.logits = std::move(logits.value());
    }
    QStringList labels = teacher.labels;
    if (parser.isSet(labelsOption)) {
        Result<QStringList> parsed = parseLabelList(parser.value(labelsOption), QStringLiteral("--labels"));
        if (!parsed)
            return usageError(parsed.error().toString());
        labels = parsed.value();
    }
    Result<ClassLogits> bundled = makeClassLogits(labels, teacher.logits);
    if (!bundled)
        return usageError(bundled.error().toString());
    teacher.labels = bundled->labels;

    Result<std::vector<double>> taus = parseNumberList(parser.value(tauOption), QStringLiteral("--tau"));
    if (!taus)
        return usageError(taus.error().toString());
    bool topOk = false;
    const int top = parser.value(topOption).toInt(&topOk);
    if (!topOk || top < 1)
        return usageError(
            QStringLiteral("--top '%1' is not a positive whole number").arg(parser.value(topOption)));

    std::optional<StudentSettings> student;
    if (parser.isSet(studentOption)) {
        Result<std::vector<double>> logits
            = parseNumberList(parser.value(studentOption), QStringLiteral("--student"));
        if (!logits)
            return usageError(logits.error().toString());
        bool alphaOk = false;
        const double alpha = parser.value(alphaOption).toDouble(&alphaOk);
        if (!alphaOk)
            return usageError(QStringLiteral("--alpha '%1' is not a number").arg(parser.value(alphaOption)));
        int hardLabel = argmax(teacher.logits);
        if (parser.isSet(hardLabelOption)) {
            const QString value = parser.value(hardLabelOption);
            bool isIndex = false;
            hardLabel = teacher.labels.indexOf(value);
            if (hardLabel < 0)
                hardLabel = value.toInt(&isIndex);
            if (hardLabel < 0 || (!isIndex && teacher.labels.indexOf(value) < 0))
                return usageError(
                    QStringLiteral("--hard-label '%1' is neither a class name nor an index").arg(value));
        }
        student = StudentSettings { std::move(logits.value()), hardLabel, alpha };
    } else if (parser.isSet(alphaOption) || parser.isSet(hardLabelOption)) {
        return usageError(QStringLiteral("--alpha and --hard-label need --student"));
    }

    Result<std::vector<TemperatureRow>> rows = temperatureTable(teacher.logits, *taus, student);
    if (!rows)
        return usageError(rows.error().toString());

    QTextStream out(stdout);
    if (!parser.isSet(jsonOption)) {
        printText(out, *rows, teacher, top, student);
        return kExitOk;
    }
    QJsonArray jsonRows;
    for (const TemperatureRow& row : *rows) {
        QJsonArray probs;
        for (double p : row.probabilities)
            probs.append(p);
        QJsonObject object { { QStringLiteral("tau"), row.temperature },
            { QStringLiteral("entropy_bits"), row.entropyBits },
            { QStringLiteral("effective_classes"), row.effectiveClasses },
            { QStringLiteral("probs"), probs } };
        if (row.losses) {
            const QJsonObject losses = lossesJson(*row.losses);
            for (auto it = losses.begin(); it != losses.end(); ++it)
                object.insert(it.key(), it.value());
        }
        jsonRows.append(object);
    }
    QJsonObject document { { QStringLiteral("labels"), QJsonArray::fromStringList(teacher.labels) },
        { QStringLiteral("rows"), jsonRows } };
    if (student) {
        document.insert(QStringLiteral("alpha"), student->alpha);
        document.insert(QStringLiteral("hard_label"), teacher.labels[student->hardLabel]);
    }
    out << QJsonDocument(document).toJson(QJsonDocument::Indented);
    return kExitOk;
}

const CliCommandRegistration registration { { "distill",
    "Teacher softmax at temperatures tau, entropy and student losses", runDistill } };

} // namespace
} // namespace cstudio::cli
