#include "ui/distill/distillation_page.h"

#include "core/distill/logit_validation.h"
#include "core/distill/softmax.h"
#include "ui/distill/explorer_charts.h"
#include "ui/distill/logit_table_editor.h"
#include "ui/distill/playground_panel.h"
#include "ui/distill/temperature_explorer_panel.h"
#include "ui/widgets/chart_title_fit.h"

#include <QChart>
#include <QChartView>
#include <QFileInfo>
#include <QJsonArray>
#include <QScrollArea>
#include <QTabWidget>
#include <QVBoxLayout>
#include <cmath>

namespace cstudio::ui {

namespace {
constexpr size_t kLargestInlineVocabulary = 1000; // beyond this a session stores the file path

QJsonArray toJson(const std::vector<double>& values)
{
    QJsonArray array;
    for (double v : values)
        array.append(v);
    return array;
}

// A JSON array of finite numbers, or an error naming the key.
Result<std::vector<double>> numbers(const QJsonValue& value, const QString& key)
{
    if (!value.isArray())
        return Error { {}, -1, QStringLiteral("%1 must be a list of numbers").arg(key) };
    std::vector<double> result;
    for (const QJsonValue& entry : value.toArray()) {
        if (!entry.isDouble() || !std::isfinite(entry.toDouble()))
            return Error { {}, -1, QStringLiteral("%1 holds a value that is not a finite number").arg(key) };
        result.push_back(entry.toDouble());
    }
    if (auto check = distill::validateLogits(result, key); !check)
        return check.error();
    return result;
}
} // namespace

DistillationPage::DistillationPage(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    tabs_ = new QTabWidget(this);
    tabs_->setObjectName(QStringLiteral("distillationTabs"));
    explorer_ = new TemperatureExplorerPanel(tabs_);
    playground_ = new PlaygroundPanel(tabs_);
    // Each tab scrolls vertically when the window is short (a projector); never sideways, as
    // the panels stack their columns when narrow.
    auto scrolling = [this](QWidget* panel) {
        auto* scroll = new QScrollArea(tabs_);
        scroll->setWidget(panel);
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        return scroll;
    };
    tabs_->addTab(scrolling(explorer_), tr("Temperature explorer"));
    tabs_->setTabToolTip(0,
        tr("A teacher's softmax at temperature \u03c4: probabilities, entropy, and the losses "
           "and gradient a student would get."));
    tabs_->addTab(scrolling(playground_), tr("Playground: train a student"));
    tabs_->setTabToolTip(1,
        tr("Train a small student on the UCI digits from hard labels and from a teacher's soft "
           "labels, side by side."));
    layout->addWidget(tabs_);
}

QJsonObject DistillationPage::saveState() const
{
    const LogitTableEditor* editor = explorer_->editor();
    const distill::ClassLogits& teacher = editor->teacher();
    QJsonObject state;
    if (teacher.logits.size() > kLargestInlineVocabulary && QFileInfo::exists(teacher.source)) {
        state.insert(QStringLiteral("teacherFile"), teacher.source);
    } else {
        state.insert(QStringLiteral("teacher"),
            QJsonObject { { QStringLiteral("labels"), QJsonArray::fromStringList(teacher.labels) },
                { QStringLiteral("logits"), toJson(teacher.logits) },
                { QStringLiteral("source"), teacher.source } });
        state.insert(QStringLiteral("studentLogits"), toJson(editor->studentLogits()));
    }
    state.insert(QStringLiteral("hardLabel"), teacher.labels.value(editor->hardLabel()));
    if (Result<std::vector<double>> taus
        = distill::parseNumberList(explorer_->overlayText(), QStringLiteral("taus")))
        state.insert(QStringLiteral("taus"), toJson(*taus));
    else
        state.insert(QStringLiteral("taus"), explorer_->overlayText());
    state.insert(QStringLiteral("tau"), explorer_->temperature());
    state.insert(QStringLiteral("alpha"), explorer_->alpha());
    state.insert(QStringLiteral("tab"),
        tabs_->currentIndex() == 1 ? QStringLiteral("playground") : QStringLiteral("explorer"));
    const distill::PlaygroundConfig config = playground_->config();
    state.insert(QStringLiteral("playgroundTau"), config.temperature);
    state.insert(QStringLiteral("playgroundAlpha"), config.alpha);
    state.insert(QStringLiteral("epochs"), config.epochs);
    state.insert(QStringLiteral("trainImages"), config.trainSamples);
    state.insert(QStringLiteral("studentHidden"), config.studentHidden);
    state.insert(QStringLiteral("seed"), static_cast<double>(config.seed));
    return state;
}

void DistillationPage::restoreTeacher(const QJsonObject& sessionState, QStringList* warnings)
{
    // Sessions nest the teacher ({"teacher": {"labels", "logits"}}); lessons send "labels" and
    // "logits" as top-level actions. Both end up here as top-level keys.
    QJsonObject state = sessionState;
    const QJsonObject nested = sessionState.value(QStringLiteral("teacher")).toObject();
    for (auto it = nested.begin(); it != nested.end(); ++it)
        if (!state.contains(it.key()))
            state.insert(it.key(), it.value());
    LogitTableEditor* editor = explorer_->editor();
    auto warn = [warnings](const QString& text) {
        if (warnings)
            warnings->append(text);
    };
    if (state.contains(QStringLiteral("teacherFile"))) {
        const QString path = state.value(QStringLiteral("teacherFile")).toString();
        if (!editor->importFile(path))
            warn(tr("The teacher logits file %1 could not be read; the explorer keeps its current logits.")
                     .arg(path));
    }
    const bool hasLabels = state.contains(QStringLiteral("labels"));
    const bool hasLogits = state.contains(QStringLiteral("logits"));
    if (hasLabels || hasLogits) {
        QStringList labels = hasLabels
            ? state.value(QStringLiteral("labels")).toVariant().toStringList()
            : (pendingLabels_.isEmpty() ? editor->teacher().labels : pendingLabels_);
        std::vector<double> logits = editor->teacher().logits;
        if (hasLogits) {
            Result<std::vector<double>> parsed
                = numbers(state.value(QStringLiteral("logits")), QStringLiteral("logits"));
            if (!parsed) {
                warn(parsed.error().message);
                return;
            }
            logits = std::move(parsed.value());
        }
        if (hasLabels && !hasLogits && static_cast<size_t>(labels.size()) != logits.size()) {
            pendingLabels_ = labels; // a lesson sends "labels" and then "logits" as two actions
        } else {
            if (hasLogits && !hasLabels && static_cast<size_t>(labels.size()) != logits.size())
                labels.clear(); // numbered classes
            Result<distill::ClassLogits> teacher = distill::makeClassLogits(
                labels, std::move(logits), state.value(QStringLiteral("source")).toString(tr("session")));
            if (!teacher) {
                warn(teacher.error().message);
                return;
            }
            pendingLabels_.clear();
            editor->setTeacher(std::move(teacher.value()));
        }
    }
    if (state.contains(QStringLiteral("studentLogits"))) {
        Result<std::vector<double>> student
            = numbers(state.value(QStringLiteral("studentLogits")), QStringLiteral("studentLogits"));
        if (!student || !editor->setStudentLogits(*student))
            warn(student ? tr("studentLogits must have one value per class") : student.error().message);
    }
    if (state.contains(QStringLiteral("hardLabel"))) {
        const QString label = state.value(QStringLiteral("hardLabel")).toString();
        const int index = editor->teacher().labels.indexOf(label);
        if (index < 0 || !editor->setHardLabel(index))
            warn(tr("hardLabel '%1' is not one of the classes").arg(label));
    }
}

void DistillationPage::restoreState(const QJsonObject& state, QStringList* warnings)
{
    auto warn = [warnings](const QString& text) {
        if (warnings)
            warnings->append(text);
    };
    restoreTeacher(state, warnings);
    if (state.contains(QStringLiteral("taus"))) {
        const QJsonValue taus = state.value(QStringLiteral("taus"));
        QStringList parts;
        if (taus.isArray()) {
            for (const QJsonValue& tau : taus.toArray())
                parts.push_back(QString::number(tau.toDouble(), 'g', 6));
        } else {
            parts.push_back(taus.toString());
        }
        explorer_->setOverlayText(parts.join(QStringLiteral(", ")));
        if (!explorer_->errorText().isEmpty())
            warn(explorer_->errorText());
    }
    distill::PlaygroundConfig config = playground_->config();
    auto number = [&](const char* key, auto apply, double minimum, double maximum) {
        const QString name = QString::fromLatin1(key);
        if (!state.contains(name))
            return;
        const double value = state.value(name).toDouble(std::nan(""));
        if (!(value >= minimum && value <= maximum))
            warn(tr("%1 must be a number from %2 to %3").arg(name).arg(minimum).arg(maximum));
        else
            apply(value);
    };
    number(
        "tau",
        [&](double v) {
            explorer_->setTemperature(v);
            config.temperature = v;
        },
        0.1, 20.0);
    number(
        "alpha",
        [&](double v) {
            explorer_->setAlpha(v);
            config.alpha = v;
        },
        0.0, 1.0);
    number(
        "playgroundTau", [&](double v) { config.temperature = v; }, 0.1, 20.0);
    number(
        "playgroundAlpha", [&](double v) { config.alpha = v; }, 0.0, 1.0);
    number(
        "epochs", [&](double v) { config.epochs = static_cast<int>(v); }, 1, 2000);
    number(
        "trainImages", [&](double v) { config.trainSamples = static_cast<int>(v); }, 10, 1200);
    number(
        "studentHidden", [&](double v) { config.studentHidden = static_cast<int>(v); }, 0, 256);
    number(
        "seed", [&](double v) { config.seed = static_cast<quint64>(v); }, 0, 1000000);
    playground_->setConfig(config);
    if (state.contains(QStringLiteral("tab")))
        tabs_->setCurrentIndex(
            state.value(QStringLiteral("tab")).toString() == QLatin1String("playground") ? 1 : 0);
}

bool DistillationPage::applyLessonAction(const QString& action, const QJsonValue& value, QString* error)
{
    if (action == QLatin1String("train")) {
        tabs_->setCurrentIndex(1);
        if (value.toBool(true) && !playground_->isRunning())
            playground_->start();
        return true;
    }
    return StudioPage::applyLessonAction(action, value, error);
}

QList<ExportableChart> DistillationPage::exportableCharts() const
{
    QList<ExportableChart> charts;
    for (const auto& [title, view] : explorer_->charts()->views())
        charts.append({ title, view });
    charts.append({ fittedChartTitle(playground_->accuracyView()->chart()), playground_->accuracyView() });
    charts.append({ fittedChartTitle(playground_->lossView()->chart()), playground_->lossView() });
    return charts;
}

QList<ExportableTable> DistillationPage::exportableTables() const
{
    return { { tr("Teacher and student logits"), explorer_->editor()->tableModel() } };
}

QString DistillationPage::reportSummaryHtml() const
{
    const distill::ClassLogits& teacher = explorer_->editor()->teacher();
    const double tau = explorer_->temperature();
    const std::vector<double> p = distill::softmax(teacher.logits, tau);
    const double bits = distill::entropyBits(p);
    QString html
        = tr("<p>Teacher: %1 (%2 classes). At \u03c4 = %3 its softened distribution has entropy %4 bits, "
             "%5 effective classes.</p>")
              .arg(teacher.source.toHtmlEscaped())
              .arg(teacher.logits.size())
              .arg(tau, 0, 'g', 3)
              .arg(bits, 0, 'f', 3)
              .arg(distill::effectiveClasses(bits), 0, 'f', 2);
    if (const auto& run = playground_->lastRun(); run && !run->epochs.empty()) {
        const distill::EpochRecord& last = run->epochs.back();
        html += tr(
            "<p>Playground (UCI digits, %1 training images per student, %2 test images, \u03c4 = %3, "
            "\u03b1 = %4, %5 epochs): hard-label student %6 %, soft-label student %7 %, teacher %8 % test "
            "accuracy.</p>")
                    .arg(run->studentTrainImages)
                    .arg(run->testImages)
                    .arg(run->config.temperature)
                    .arg(run->config.alpha)
                    .arg(last.epoch)
                    .arg(last.hardLabel.testAccuracy * 100, 0, 'f', 1)
                    .arg(last.softLabel.testAccuracy * 100, 0, 'f', 1)
                    .arg(run->teacherTestAccuracy * 100, 0, 'f', 1);
    }
    return html;
}

} // namespace cstudio::ui
