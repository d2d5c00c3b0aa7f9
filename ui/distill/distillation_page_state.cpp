// The Distillation page's part in sessions, lessons and reports (ui/studio_page.h): the
// teacher and student logits, τ, α and the overlay temperatures, the playground's settings,
// its charts, and seed 002's temperature table for export.
#include "core/distill/logit_validation.h"
#include "core/report/distill_report_section.h"
#include "ui/distill/distillation_page.h"
#include "ui/distill/logit_table_editor.h"
#include "ui/distill/playground_panel.h"
#include "ui/distill/temperature_explorer_panel.h"

#include <QChart>
#include <QChartView>
#include <QDoubleSpinBox>
#include <QJsonArray>
#include <QLineEdit>
#include <QSlider>
#include <QSpinBox>
#include <QTabWidget>

namespace cstudio::ui {
namespace {

QJsonArray numbersToJson(const std::vector<double>& numbers)
{
    QJsonArray array;
    for (double number : numbers)
        array.append(number);
    return array;
}

// A JSON list of finite numbers, or an error naming the key.
Result<std::vector<double>> numbersFromJson(const QJsonValue& value, const QString& key)
{
    if (!value.isArray() || value.toArray().isEmpty())
        return Error{{}, -1, QStringLiteral("\"%1\" must be a non-empty list of numbers").arg(key)};
    std::vector<double> numbers;
    for (const QJsonValue& item : value.toArray()) {
        if (!item.isDouble())
            return Error{{}, -1, QStringLiteral("\"%1\" must hold numbers only").arg(key)};
        numbers.push_back(item.toDouble());
    }
    return numbers;
}

void restoreSpin(QDoubleSpinBox* spin, const QJsonObject& state, const QString& key, QStringList* warnings)
{
    if (!state.contains(key))
        return;
    const double value = state.value(key).toDouble(-1);
    if (!state.value(key).isDouble() || value < spin->minimum() || value > spin->maximum())
        warnings->append(QObject::tr("\"%1\" must be a number from %2 to %3").arg(key).arg(spin->minimum()).arg(spin->maximum()));
    else
        spin->setValue(value);
}

void restoreSpin(QSpinBox* spin, const QJsonObject& state, const QString& key, QStringList* warnings)
{
    if (!state.contains(key))
        return;
    const double value = state.value(key).toDouble(-1);
    if (!state.value(key).isDouble() || value < spin->minimum() || value > spin->maximum())
        warnings->append(QObject::tr("\"%1\" must be a whole number from %2 to %3").arg(key).arg(spin->minimum()).arg(spin->maximum()));
    else
        spin->setValue(qRound(value));
}

}  // namespace

bool LogitTableEditor::setStudentLogits(std::vector<double> logits)
{
    if (logits.size() != teacher_.logits.size())
        return false;
    student_ = std::move(logits);
    rebuildTable();
    Q_EMIT logitsChanged();
    return true;
}

bool LogitTableEditor::setHardLabel(int classIndex)
{
    if (classIndex < 0 || classIndex >= static_cast<int>(teacher_.logits.size()))
        return false;
    hardLabelClass_ = classIndex;
    rebuildTable();
    Q_EMIT logitsChanged();
    return true;
}

QJsonObject TemperatureExplorerPanel::saveState() const
{
    const distill::ClassLogits& teacher = editor_->teacher();
    QJsonObject state{{QStringLiteral("teacher"), QJsonObject{{QStringLiteral("labels"), QJsonArray::fromStringList(teacher.labels)},
                                                               {QStringLiteral("logits"), numbersToJson(teacher.logits)},
                                                               {QStringLiteral("source"), teacher.source}}},
                      {QStringLiteral("studentLogits"), numbersToJson(editor_->studentLogits())},
                      {QStringLiteral("hardLabel"), teacher.labels.value(editor_->hardLabel())},
                      {QStringLiteral("tau"), temperatureSpin_->value()},
                      {QStringLiteral("alpha"), alphaSpin_->value()}};
    if (Result<std::vector<double>> overlay = distill::parseNumberList(overlayEdit_->text(), tr("overlay temperatures")))
        state.insert(QStringLiteral("taus"), numbersToJson(*overlay));
    return state;
}

void TemperatureExplorerPanel::restoreState(const QJsonObject& state, QStringList* warnings)
{
    if (state.contains(QStringLiteral("teacher"))) {
        const QJsonObject teacher = state.value(QStringLiteral("teacher")).toObject();
        QStringList labels;
        for (const QJsonValue& label : teacher.value(QStringLiteral("labels")).toArray())
            labels.append(label.toString());
        Result<std::vector<double>> logits = numbersFromJson(teacher.value(QStringLiteral("logits")), QStringLiteral("teacher.logits"));
        Result<distill::ClassLogits> classes = logits ? distill::makeClassLogits(
                                                          labels, *logits, teacher.value(QStringLiteral("source")).toString(tr("a lesson or session")))
                                                      : Result<distill::ClassLogits>(logits.error());
        if (classes)
            editor_->setTeacher(*classes);
        else
            warnings->append(tr("the teacher logits were not restored: %1").arg(classes.error().message));
    }
    if (state.contains(QStringLiteral("studentLogits"))) {
        Result<std::vector<double>> student = numbersFromJson(state.value(QStringLiteral("studentLogits")), QStringLiteral("studentLogits"));
        if (!student || !editor_->setStudentLogits(*student))
            warnings->append(tr("the student logits were not restored: %1")
                                 .arg(student ? tr("%1 logits for %2 classes").arg(student->size()).arg(editor_->teacher().logits.size())
                                              : student.error().message));
    }
    if (state.contains(QStringLiteral("hardLabel"))) {
        const QString label = state.value(QStringLiteral("hardLabel")).toString();
        if (!editor_->setHardLabel(static_cast<int>(editor_->teacher().labels.indexOf(label))))
            warnings->append(tr("the hard label \"%1\" is not one of the classes").arg(label));
    }
    if (state.contains(QStringLiteral("taus"))) {
        Result<std::vector<double>> taus = numbersFromJson(state.value(QStringLiteral("taus")), QStringLiteral("taus"));
        if (!taus) {
            warnings->append(taus.error().message);
        } else {
            QStringList texts;
            for (double tau : *taus)
                texts.append(QString::number(tau, 'g', 6));
            overlayEdit_->setText(texts.join(QStringLiteral(", ")));
            refresh();
        }
    }
    restoreSpin(alphaSpin_, state, QStringLiteral("alpha"), warnings);
    if (state.contains(QStringLiteral("tau"))) {
        const double tau = state.value(QStringLiteral("tau")).toDouble(-1);
        if (tau < temperatureSpin_->minimum() || tau > temperatureSpin_->maximum())
            warnings->append(tr("\"tau\" must be from %1 to %2").arg(temperatureSpin_->minimum()).arg(temperatureSpin_->maximum()));
        else
            setTemperature(tau);
    }
}

QJsonObject PlaygroundPanel::saveState() const
{
    return {{QStringLiteral("playgroundTau"), temperature_->value()}, {QStringLiteral("playgroundAlpha"), alpha_->value()},
            {QStringLiteral("epochs"), epochs_->value()},            {QStringLiteral("trainImages"), trainImages_->value()},
            {QStringLiteral("studentHidden"), studentHidden_->value()}, {QStringLiteral("seed"), seed_->value()}};
}

void PlaygroundPanel::restoreState(const QJsonObject& state, QStringList* warnings)
{
    restoreSpin(temperature_, state, QStringLiteral("playgroundTau"), warnings);
    restoreSpin(alpha_, state, QStringLiteral("playgroundAlpha"), warnings);
    restoreSpin(epochs_, state, QStringLiteral("epochs"), warnings);
    restoreSpin(trainImages_, state, QStringLiteral("trainImages"), warnings);
    restoreSpin(studentHidden_, state, QStringLiteral("studentHidden"), warnings);
    restoreSpin(seed_, state, QStringLiteral("seed"), warnings);
}

QJsonObject DistillationPage::saveState() const
{
    QJsonObject state = explorer_->saveState();
    const QJsonObject playground = playground_->saveState();
    for (auto it = playground.begin(); it != playground.end(); ++it)
        state.insert(it.key(), it.value());
    state.insert(QStringLiteral("tab"), tabs_->currentWidget() == playground_ ? QStringLiteral("playground") : QStringLiteral("explorer"));
    return state;
}

void DistillationPage::restoreState(const QJsonObject& state, QStringList* warnings)
{
    explorer_->restoreState(state, warnings);
    playground_->restoreState(state, warnings);
    if (state.contains(QStringLiteral("tab"))) {
        const QString tab = state.value(QStringLiteral("tab")).toString();
        if (tab == QLatin1String("playground"))
            tabs_->setCurrentWidget(playground_);
        else if (tab == QLatin1String("explorer"))
            tabs_->setCurrentWidget(explorer_);
        else
            warnings->append(tr("\"tab\" must be \"explorer\" or \"playground\", not \"%1\"").arg(tab));
    }
}

bool DistillationPage::applyLessonAction(const QString& action, const QJsonValue& value, QString* error)
{
    if (action != QLatin1String("train"))
        return StudioPage::applyLessonAction(action, value, error);
    if (!value.isBool()) {
        if (error)
            *error = tr("\"train\" must be true (start) or false (stop)");
        return false;
    }
    tabs_->setCurrentWidget(playground_);
    if (value.toBool() && !playground_->isRunning())
        playground_->start();
    else if (!value.toBool() && playground_->isRunning())
        playground_->stop();
    return true;
}

QList<ExportableChart> DistillationPage::exportableCharts() const
{
    QList<ExportableChart> charts;
    QList<QChartView*> views = explorer_->findChildren<QChartView*>();
    views.append(playground_->chartViews());
    for (QChartView* view : views) {
        if (view && view->chart())
            charts.append({view->chart()->title().isEmpty() ? view->objectName() : view->chart()->title(), view});
    }
    return charts;
}

namespace {
std::vector<double> overlayTemperatures(const QJsonObject& state)
{
    std::vector<double> taus;
    for (const QJsonValue& tau : state.value(QStringLiteral("taus")).toArray())
        taus.push_back(tau.toDouble());
    return taus.empty() ? std::vector<double>{1, 2, 5, 10} : taus;
}
}  // namespace

QList<ExportableTable> DistillationPage::exportableTables() const
{
    const distill::StudentSettings student{explorer_->editor()->studentLogits(), explorer_->editor()->hardLabel(),
                                           explorer_->saveState().value(QStringLiteral("alpha")).toDouble()};
    Result<ReportSection> section = distillReportSection(explorer_->editor()->teacher(), overlayTemperatures(explorer_->saveState()), student);
    if (!section)
        return {};
    temperatureTable_->setTable(section->tables.front());
    return {{section->tables.front().title, temperatureTable_}};
}

QString DistillationPage::reportSummaryHtml() const
{
    Result<ReportSection> section = distillReportSection(explorer_->editor()->teacher(), overlayTemperatures(explorer_->saveState()));
    return section ? section->summaryHtml : tr("Invalid logits: %1").arg(section.error().message.toHtmlEscaped());
}

}  // namespace cstudio::ui
