#pragma once
// The Distillation page: "seeing dark knowledge". Two tabs: the temperature explorer (teacher
// softmax across τ, student losses and gradient) and the playground (train a student from
// hard vs soft labels on real digits).
#include "core/report/report_table_model.h"
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

    // StudioPage (ui/distill/distillation_page_state.cpp): the explorer's and the playground's
    // state keys plus "tab" ("explorer" or "playground"); the lesson command {"train": true}
    // starts the playground.
    QJsonObject saveState() const override;
    void restoreState(const QJsonObject& state, QStringList* warnings) override;
    bool applyLessonAction(const QString& action, const QJsonValue& value, QString* error) override;
    QList<ExportableChart> exportableCharts() const override;
    QList<ExportableTable> exportableTables() const override;
    QString reportSummaryHtml() const override;

private:
    QTabWidget* tabs_ = nullptr;
    TemperatureExplorerPanel* explorer_ = nullptr;
    PlaygroundPanel* playground_ = nullptr;
    ReportTableModel* temperatureTable_ = nullptr;  // what exportableTables() offers, filled on demand
};

}  // namespace cstudio::ui
