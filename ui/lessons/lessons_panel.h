#pragma once
// The Lessons panel: pick a lesson, read one short paragraph a step and a "try it" prompt, and
// step through with Back/Next (PgUp/PgDn in presentation mode). Each step switches the window
// to its page and applies its actions to the real page through StudioPage, so the learner
// sees the slider move, the model load, the temperature change.
#include "core/lessons/lesson_loader.h"

#include <QJsonObject>
#include <QStringList>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;

namespace cstudio::ui {

class MainWindow;

class LessonsPanel : public QWidget {
    Q_OBJECT
public:
    explicit LessonsPanel(MainWindow* window, QWidget* parent = nullptr);

    void setLibrary(const LessonLibrary& library);
    const QList<Lesson>& lessons() const { return lessons_; }
    int currentLesson() const { return lesson_; }
    int currentStep() const { return step_; }

    // Starting a lesson at a step, or going back, applies the actions of every step up to it,
    // so the pages are as the step expects; Next applies only the next step's actions.
    bool startLesson(int index, int step = 0);
    bool startLesson(const QString& id, int step = 0);
    void goToStep(int step);
    void nextStep();      // past the last step: the next lesson's first step
    void previousStep();  // before the first step: the previous lesson's last step
    void nextLesson();
    void previousLesson();

    // Called by presentation mode: hides what a room does not need (the lessons-folder button).
    void setPresentationMode(bool presenting);

    // What the last step could not do (a page this build lacks, an action a page refused).
    QStringList lastStepProblems() const { return problems_; }

    // {"id": ..., "step": N} for a session, empty when no lesson is open.
    QJsonObject saveState() const;
    void restoreState(const QJsonObject& state, QStringList* warnings);

Q_SIGNALS:
    void stepChanged(int lesson, int step);

protected:
    void changeEvent(QEvent* event) override;

private:
    void showStep();
    void applyFonts();
    void applyStepActions(const LessonStep& step);


    MainWindow* window_;
    QList<Lesson> lessons_;
    int lesson_ = -1;
    int step_ = 0;
    int sequentialFrom_ = -1;  // the lesson whose step_ was last shown: Next from it is sequential
    QStringList problems_;

    QComboBox* lessonPicker_;
    QLabel* progress_;
    QLabel* title_;
    QLabel* text_;
    QLabel* tryIt_;
    QLabel* problemsLabel_;
    QLabel* loadErrors_;
    QPushButton* folder_;
    QPushButton* back_;
    QPushButton* next_;
};

}  // namespace cstudio::ui
