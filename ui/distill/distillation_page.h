#pragma once
// The Distillation page: "seeing dark knowledge". Two tabs: the temperature explorer (teacher
// softmax across τ, student losses and gradient) and the playground (train a student from
// hard vs soft labels on real digits). As a StudioPage it saves and restores its settings in
// sessions, takes lesson actions (lessons 06 and 07: labels, logits, taus, tau, alpha,
// train) and offers its charts to exports and reports.
#include "ui/studio_page.h"

#include <QWidget>

class QTabWidget;

namespace cstudio::ui {

class PlaygroundPanel;
class TemperatureExplorerPanel;

class DistillationPage : public QWidget, public StudioPage {
    Q_OBJECT
public:
    explicit DistillationPage(QWidget* parent = nullptr);

    TemperatureExplorerPanel* explorer() const { return explorer_; }
    PlaygroundPanel* playground() const { return playground_; }

    // Keys: teacher {labels, logits} (or teacherFile for a large imported vocabulary; lessons
    // may send labels and logits at the top level), studentLogits, hardLabel, taus, tau,
    // alpha, tab ("explorer" | "playground"), and the playground's playgroundTau,
    // playgroundAlpha, epochs, trainImages, studentHidden, seed.
    // "tau" and "alpha" set both tabs (a lesson's "tau": 4 is meant for whichever is shown).
    QJsonObject saveState() const override;
    void restoreState(const QJsonObject& state, QStringList* warnings) override;
    // Adds the command "train": true (starts the playground and shows its tab).
    bool applyLessonAction(const QString& action, const QJsonValue& value, QString* error) override;
    QList<ExportableChart> exportableCharts() const override;
    QList<ExportableTable> exportableTables() const override;
    QString reportSummaryHtml() const override;

private:
    void restoreTeacher(const QJsonObject& state, QStringList* warnings);

    QTabWidget* tabs_ = nullptr;
    TemperatureExplorerPanel* explorer_ = nullptr;
    PlaygroundPanel* playground_ = nullptr;
    QStringList pendingLabels_; // a lesson's "labels" waiting for its "logits"
};

} // namespace cstudio::ui
