#pragma once
// The Distillation page: "seeing dark knowledge". Two tabs: the temperature explorer (teacher
// softmax across τ, student losses and gradient) and the playground (train a student from
// hard vs soft labels on real digits).
#include <QWidget>

class QTabWidget;

namespace cstudio::ui {

class PlaygroundPanel;
class TemperatureExplorerPanel;

class DistillationPage : public QWidget {
    Q_OBJECT
public:
    explicit DistillationPage(QWidget* parent = nullptr);

    TemperatureExplorerPanel* explorer() const { return explorer_; }
    PlaygroundPanel* playground() const { return playground_; }

private:
    QTabWidget* tabs_ = nullptr;
    TemperatureExplorerPanel* explorer_ = nullptr;
    PlaygroundPanel* playground_ = nullptr;
};

}  // namespace cstudio::ui
