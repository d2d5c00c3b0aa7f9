// cstudio distill-train: the distillation playground without the GUI. Trains the teacher and
// the two students on the UCI digits and prints the per-epoch curves and the final numbers.
//   cstudio distill-train --tau 4 --alpha 0.7 --epochs 40 --json
#include "app/cli/cli_command.h"
#include "core/distill/distillation_playground.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <cstdio>
#include <unistd.h>

namespace cstudio::cli {
namespace {

using namespace cstudio::distill;

QJsonObject studentJson(const StudentEpoch& student)
{
    return { { QStringLiteral("train_accuracy"), student.trainAccuracy },
        { QStringLiteral("test_accuracy"), student.testAccuracy },
        { QStringLiteral("train_loss"), student.trainLoss },
        { QStringLiteral("test_loss"), student.testLoss } };
}

int runDistillTrain(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Train a small student on the UCI 8x8 digits from hard labels and, side by side, from a "
        "larger teacher's soft labels at temperature tau (loss alpha*tau^2*KL + (1-alpha)*CE)."));
    parser.addHelpOption();
    const PlaygroundConfig defaults;
    auto option = [](const char* name, const char* description, const QString& defaultValue) {
        return QCommandLineOption(QString::fromLatin1(name),
            QStringLiteral("%1 (default %2).").arg(QString::fromUtf8(description), defaultValue),
            QStringLiteral("value"), defaultValue);
    };
    const QCommandLineOption tauOption
        = option("tau", "Temperature of the soft labels", QString::number(defaults.temperature));
    const QCommandLineOption alphaOption
        = option("alpha", "Weight of the soft term, 0..1", QString::number(defaults.alpha));
    const QCommandLineOption epochsOption
        = option("epochs", "Student epochs", QString::number(defaults.epochs));
    const QCommandLineOption trainOption
        = option("train-samples", "Images the students train on", QString::number(defaults.trainSamples));
    const QCommandLineOption hiddenOption = option(
        "student-hidden", "Student hidden units (0 = linear)", QString::number(defaults.studentHidden));
    const QCommandLineOption teacherEpochsOption
        = option("teacher-epochs", "Teacher epochs", QString::number(defaults.teacherEpochs));
    const QCommandLineOption seedOption
        = option("seed", "Seed for split, weights and batches", QString::number(defaults.seed));
    const QCommandLineOption jsonOption(
        QStringLiteral("json"), QStringLiteral("Print JSON instead of text."));
    parser.addOptions({ tauOption, alphaOption, epochsOption, trainOption, hiddenOption, teacherEpochsOption,
        seedOption, jsonOption });
    if (!parser.parse(arguments)) {
        QTextStream(stderr) << "cstudio distill-train: " << parser.errorText() << "\n";
        return kExitUsageError;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return kExitOk;
    }
    PlaygroundConfig config;
    QString badValue;
    auto readDouble = [&](const QCommandLineOption& which, double& target) {
        bool ok = false;
        const double value = parser.value(which).toDouble(&ok);
        if (ok && std::isfinite(value))
            target = value;
        else if (badValue.isEmpty())
            badValue
                = QStringLiteral("--%1 '%2' is not a number").arg(which.names().first(), parser.value(which));
    };
    auto readInt = [&](const QCommandLineOption& which, auto& target) {
        bool ok = false;
        const qlonglong value = parser.value(which).toLongLong(&ok);
        if (ok && value >= 0 && value <= 1000000000)
            target = static_cast<std::remove_reference_t<decltype(target)>>(value);
        else if (badValue.isEmpty())
            badValue = QStringLiteral("--%1 '%2' is not a whole number >= 0")
                           .arg(which.names().first(), parser.value(which));
    };
    readDouble(tauOption, config.temperature);
    readDouble(alphaOption, config.alpha);
    readInt(epochsOption, config.epochs);
    readInt(trainOption, config.trainSamples);
    readInt(hiddenOption, config.studentHidden);
    readInt(teacherEpochsOption, config.teacherEpochs);
    readInt(seedOption, config.seed);
    QTextStream err(stderr);
    if (!badValue.isEmpty()) {
        err << "cstudio distill-train: " << badValue << "\n";
        return kExitUsageError;
    }
    if (auto check = validatePlaygroundConfig(config, 1797); !check) {
        err << "cstudio distill-train: " << check.error().toString() << "\n";
        return kExitUsageError;
    }

    // A progress line on a terminal only; nothing when stderr is piped.
    const bool showProgress = isatty(fileno(stderr));
    JobControl control;
    if (showProgress)
        control.onProgress = [&err](double fraction, const QString& message) {
            err << QStringLiteral("\r[%1%] %2   ").arg(qRound(fraction * 100), 3).arg(message) << Qt::flush;
        };
    QElapsedTimer timer;
    timer.start();
    Result<PlaygroundResult> result = runDistillationPlayground(config, control);
    if (showProgress)
        err << "\r" << QString(60, QLatin1Char(' ')) << "\r" << Qt::flush;
    if (!result) {
        err << "cstudio distill-train: " << result.error().toString() << "\n";
        return kExitFileError;
    }
    const double seconds = timer.elapsed() / 1000.0;
    const EpochRecord& last = result->epochs.back();
    QTextStream out(stdout);
    if (parser.isSet(jsonOption)) {
        QJsonArray epochs;
        for (const EpochRecord& record : result->epochs)
            epochs.append(QJsonObject { { QStringLiteral("epoch"), record.epoch },
                { QStringLiteral("hard"), studentJson(record.hardLabel) },
                { QStringLiteral("soft"), studentJson(record.softLabel) } });
        const QJsonObject document { { QStringLiteral("tau"), config.temperature },
            { QStringLiteral("alpha"), config.alpha },
            { QStringLiteral("seed"), QString::number(config.seed) },
            { QStringLiteral("teacher_train_images"), result->teacherTrainImages },
            { QStringLiteral("student_train_images"), result->studentTrainImages },
            { QStringLiteral("test_images"), result->testImages },
            { QStringLiteral("teacher_parameters"), result->teacherParameters },
            { QStringLiteral("student_parameters"), result->studentParameters },
            { QStringLiteral("teacher_test_accuracy"), result->teacherTestAccuracy },
            { QStringLiteral("teacher_train_accuracy"), result->teacherTrainAccuracy },
            { QStringLiteral("epochs"), epochs },
            { QStringLiteral("final"),
                QJsonObject { { QStringLiteral("hard"), studentJson(last.hardLabel) },
                    { QStringLiteral("soft"), studentJson(last.softLabel) } } },
            { QStringLiteral("seconds"), seconds } };
        out << QJsonDocument(document).toJson(QJsonDocument::Indented);
        return kExitOk;
    }
    out << QStringLiteral("UCI digits: teacher 64-%1-10 (%2 parameters) on %3 images; students 64-%4-10 (%5 "
                          "parameters) on %6 images; %7 test images\n")
               .arg(config.teacherHidden)
               .arg(result->teacherParameters)
               .arg(result->teacherTrainImages)
               .arg(config.studentHidden)
               .arg(result->studentParameters)
               .arg(result->studentTrainImages)
               .arg(result->testImages);
    out << QStringLiteral("teacher test accuracy %1%\n").arg(result->teacherTestAccuracy * 100, 0, 'f', 1);
    out << QStringLiteral(
        "epoch | hard labels: train acc  test acc  test CE | soft labels (tau=%1, alpha=%2): "
        "train acc  test acc  test CE\n")
               .arg(config.temperature)
               .arg(config.alpha);
    for (const EpochRecord& record : result->epochs)
        out << QStringLiteral("%1 | %2% %3% %4 | %5% %6% %7\n")
                   .arg(record.epoch, 5)
                   .arg(record.hardLabel.trainAccuracy * 100, 22, 'f', 1)
                   .arg(record.hardLabel.testAccuracy * 100, 8, 'f', 1)
                   .arg(record.hardLabel.testLoss, 8, 'f', 4)
                   .arg(record.softLabel.trainAccuracy * 100, 40, 'f', 1)
                   .arg(record.softLabel.testAccuracy * 100, 8, 'f', 1)
                   .arg(record.softLabel.testLoss, 8, 'f', 4);
    out << QStringLiteral(
        "final test accuracy: hard-label student %1%, soft-label student %2%, teacher %3% (%4 s)\n")
               .arg(last.hardLabel.testAccuracy * 100, 0, 'f', 1)
               .arg(last.softLabel.testAccuracy * 100, 0, 'f', 1)
               .arg(result->teacherTestAccuracy * 100, 0, 'f', 1)
               .arg(seconds, 0, 'f', 2);
    return kExitOk;
}

const CliCommandRegistration registration { { "distill-train",
    "Distillation playground: hard- vs soft-label student on UCI digits", runDistillTrain } };

} // namespace
} // namespace cstudio::cli
