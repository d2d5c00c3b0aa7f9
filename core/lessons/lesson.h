#pragma once
// A guided lesson, as data: a title and steps; each step names the page it happens on, says in
// one short paragraph what the learner sees, prompts them to try something, and lists the
// actions that set the page up (slider positions, a model, schemes, temperatures). Lessons are
// JSON files in resources/lessons/ (built in) or in the user's lessons folder (a teacher's own);
// see resources/lessons/README.md for the format.
#include <QJsonValue>
#include <QList>
#include <QString>

namespace cstudio {

struct LessonAction {
    QString key;       // a key of the page's saved state, e.g. "bits", "model", "taus"
    QJsonValue value;  // e.g. 4, "Llama 3.1 70B", [1, 2, 5, 10]
};

struct LessonStep {
    QString page;       // the page the step happens on: "Budget", "Weights", "Quant Lab", "Distillation"
    QString title;      // a few words: "The single-GPU moment"
    QString text;       // one short paragraph: what the learner sees and why
    QString tryIt;      // one prompt: what to do with the page now
    QList<LessonAction> actions;
};

struct Lesson {
    QString id;      // the file's base name, e.g. "01_bits_are_memory"
    QString title;   // "Bits are memory"
    QString summary; // one sentence shown in the lesson list
    int order = 0;   // lessons are listed by order, then title
    QString source;  // where it was loaded from (":/lessons/..." or a user file path)
    bool userLesson = false;
    QList<LessonStep> steps;
};

}  // namespace cstudio
