#include "ui/lessons/lessons_panel.h"

#include "ui/main_window.h"
#include "ui/studio_page.h"

#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QUrl>
#include <QVBoxLayout>

namespace cstudio::ui {

LessonsPanel::LessonsPanel(MainWindow* window, QWidget* parent) : QWidget(parent), window_(window)
{
    setObjectName(QStringLiteral("lessonsPanel"));
    auto* layout = new QVBoxLayout(this);
    lessonPicker_ = new QComboBox(this);
    lessonPicker_->setObjectName(QStringLiteral("lessonPicker"));
    lessonPicker_->setToolTip(tr("Lessons from resources/lessons and from your own lessons folder"));
    progress_ = new QLabel(this);
    title_ = new QLabel(this);
    title_->setWordWrap(true);
    text_ = new QLabel(this);
    text_->setObjectName(QStringLiteral("lessonText"));
    text_->setWordWrap(true);
    text_->setTextFormat(Qt::PlainText);
    text_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    tryIt_ = new QLabel(this);
    tryIt_->setObjectName(QStringLiteral("lessonTryIt"));
    tryIt_->setWordWrap(true);
    tryIt_->setTextFormat(Qt::RichText);
    tryIt_->setFrameShape(QFrame::StyledPanel);
    tryIt_->setMargin(8);
    tryIt_->setAutoFillBackground(true);
    QPalette tryPalette = tryIt_->palette();
    tryPalette.setColor(QPalette::Window, tryPalette.color(QPalette::AlternateBase));
    tryIt_->setPalette(tryPalette);
    problemsLabel_ = new QLabel(this);
    problemsLabel_->setWordWrap(true);
    // Colours by palette, not style sheet: a style sheet would stop the presentation font.
    QPalette warning = problemsLabel_->palette();
    warning.setColor(QPalette::WindowText, QColor(0xb3, 0x59, 0x00));
    problemsLabel_->setPalette(warning);
    loadErrors_ = new QLabel(this);
    loadErrors_->setWordWrap(true);
    QPalette error = loadErrors_->palette();
    error.setColor(QPalette::WindowText, QColor(0xb0, 0x00, 0x20));
    loadErrors_->setPalette(error);

    back_ = new QPushButton(tr("← Back"), this);
    back_->setToolTip(tr("Previous step (PgUp in presentation mode, Alt+Left)"));
    next_ = new QPushButton(tr("Next →"), this);
    next_->setToolTip(tr("Next step (PgDn in presentation mode, Alt+Right)"));
    next_->setDefault(true);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(back_);
    buttons->addStretch();
    buttons->addWidget(next_);
    auto* folder = folder_ = new QPushButton(tr("Your lessons folder…"), this);
    folder->setToolTip(tr("Add a lesson without rebuilding: put a .json file here (same format as "
                          "resources/lessons/) and restart the studio.\n%1")
                           .arg(userLessonFolder()));
    connect(folder, &QPushButton::clicked, this, [] {
        QDir().mkpath(userLessonFolder());
        QDesktopServices::openUrl(QUrl::fromLocalFile(userLessonFolder()));
    });

    layout->addWidget(lessonPicker_);
    layout->addWidget(progress_);
    layout->addWidget(title_);
    layout->addWidget(text_);
    layout->addWidget(tryIt_);
    layout->addWidget(problemsLabel_);
    layout->addStretch(1);
    layout->addLayout(buttons);
    layout->addWidget(loadErrors_);
    layout->addWidget(folder);

    connect(lessonPicker_, &QComboBox::currentIndexChanged, this, [this](int index) { startLesson(index); });
    connect(back_, &QPushButton::clicked, this, &LessonsPanel::previousStep);
    connect(next_, &QPushButton::clicked, this, &LessonsPanel::nextStep);
    applyFonts();
}

void LessonsPanel::setLibrary(const LessonLibrary& library)
{
    lessons_ = library.lessons;
    {
        const QSignalBlocker blocker(lessonPicker_);
        lessonPicker_->clear();
        for (int i = 0; i < lessons_.size(); ++i) {
            const Lesson& lesson = lessons_[i];
            lessonPicker_->addItem(QStringLiteral("%1. %2%3").arg(i + 1).arg(lesson.title,
                                                                     lesson.userLesson ? tr(" (yours)") : QString()));
            lessonPicker_->setItemData(i, lesson.summary, Qt::ToolTipRole);
        }
        lessonPicker_->setCurrentIndex(-1);
    }
    QStringList errors;
    for (const Error& error : library.errors)
        errors.append(error.toString());
    loadErrors_->setText(errors.isEmpty() ? QString()
                                          : tr("Some lesson files could not be used:\n%1").arg(errors.join(QLatin1Char('\n'))));
    loadErrors_->setVisible(!errors.isEmpty());
    lesson_ = -1;
    step_ = 0;
    showStep();
}

bool LessonsPanel::startLesson(int index, int step)
{
    if (index < 0 || index >= lessons_.size())
        return false;
    lesson_ = index;
    sequentialFrom_ = -1;  // a fresh start applies every step up to `step`
    {
        const QSignalBlocker blocker(lessonPicker_);
        lessonPicker_->setCurrentIndex(index);
    }
    goToStep(step);
    return true;
}

bool LessonsPanel::startLesson(const QString& id, int step)
{
    for (int i = 0; i < lessons_.size(); ++i) {
        if (lessons_[i].id == id)
            return startLesson(i, step);
    }
    return false;
}

void LessonsPanel::goToStep(int step)
{
    if (lesson_ < 0)
        return;
    const int previous = step_;
    step_ = qBound(0, step, static_cast<int>(lessons_[lesson_].steps.size()) - 1);
    const LessonStep& current = lessons_[lesson_].steps[step_];
    problems_.clear();
    if (!window_->showPage(current.page)) {
        problems_.append(tr("This step happens on the %1 page, which this version of the studio does not have.")
                             .arg(current.page));
    } else if (!window_->studioPage(current.page) && !current.actions.isEmpty()) {
        problems_.append(tr("The %1 page cannot be driven by lessons yet; set it up by hand.").arg(current.page));
    } else {
        const bool sequential = step_ == previous + 1 && sequentialFrom_ == lesson_;
        for (int s = sequential ? step_ : 0; s <= step_; ++s) {
            if (lessons_[lesson_].steps[s].page == current.page)
                applyStepActions(lessons_[lesson_].steps[s]);
        }
    }
    sequentialFrom_ = lesson_;
    showStep();
    Q_EMIT stepChanged(lesson_, step_);
}

void LessonsPanel::applyStepActions(const LessonStep& step)
{
    StudioPage* page = window_->studioPage(step.page);
    if (!page)
        return;
    for (const LessonAction& action : step.actions) {
        QString error;
        if (!page->applyLessonAction(action.key, action.value, &error))
            problems_.append(tr("Could not set %1: %2").arg(action.key, error.isEmpty() ? tr("the page refused it") : error));
    }
}

void LessonsPanel::setPresentationMode(bool presenting)
{
    folder_->setVisible(!presenting);
}

void LessonsPanel::nextStep()
{
    if (lesson_ < 0)
        startLesson(0);
    else if (step_ + 1 < lessons_[lesson_].steps.size())
        goToStep(step_ + 1);
    else if (lesson_ + 1 < lessons_.size())
        startLesson(lesson_ + 1);
}

void LessonsPanel::previousStep()
{
    if (lesson_ < 0)
        return;
    if (step_ > 0)
        goToStep(step_ - 1);
    else if (lesson_ > 0)
        startLesson(lesson_ - 1, static_cast<int>(lessons_[lesson_ - 1].steps.size()) - 1);
}

void LessonsPanel::nextLesson()
{
    startLesson(qMin(lesson_ + 1, static_cast<int>(lessons_.size()) - 1));
}

void LessonsPanel::previousLesson()
{
    startLesson(qMax(lesson_ - 1, 0));
}

QJsonObject LessonsPanel::saveState() const
{
    if (lesson_ < 0)
        return {};
    return QJsonObject{{QStringLiteral("id"), lessons_[lesson_].id}, {QStringLiteral("step"), step_}};
}

void LessonsPanel::restoreState(const QJsonObject& state, QStringList* warnings)
{
    const QString id = state.value(QStringLiteral("id")).toString();
    if (id.isEmpty())
        return;
    // Only the panel moves: the pages' own state was restored from the session already, and
    // re-applying the step's actions would overwrite what the user changed after it.
    for (int i = 0; i < lessons_.size(); ++i) {
        if (lessons_[i].id == id) {
            lesson_ = i;
            const QSignalBlocker blocker(lessonPicker_);
            lessonPicker_->setCurrentIndex(i);
            step_ = qBound(0, state.value(QStringLiteral("step")).toInt(), static_cast<int>(lessons_[i].steps.size()) - 1);
            sequentialFrom_ = i;
            showStep();
            return;
        }
    }
    if (warnings)
        warnings->append(tr("The session was on lesson \"%1\", which is not installed here.").arg(id));
}

void LessonsPanel::showStep()
{
    const bool open = lesson_ >= 0;
    back_->setEnabled(open && (step_ > 0 || lesson_ > 0));
    next_->setEnabled(!lessons_.isEmpty() && (!open || step_ + 1 < lessons_[lesson_].steps.size() || lesson_ + 1 < lessons_.size()));
    if (!open) {
        progress_->setText(lessons_.isEmpty() ? tr("No lessons found.") : tr("%n lesson(s). Pick one, or press Next to start.", nullptr, static_cast<int>(lessons_.size())));
        title_->clear();
        text_->clear();
        tryIt_->hide();
        problemsLabel_->hide();
        return;
    }
    const Lesson& lesson = lessons_[lesson_];
    const LessonStep& step = lesson.steps[step_];
    next_->setText(step_ + 1 < lesson.steps.size() ? tr("Next →") : tr("Next lesson →"));
    progress_->setText(tr("Step %1 of %2 · %3 page").arg(step_ + 1).arg(lesson.steps.size()).arg(step.page));
    title_->setText(step.title);
    text_->setText(step.text);
    tryIt_->setText(QStringLiteral("<b>%1</b> %2").arg(tr("Try it:"), step.tryIt.toHtmlEscaped()));
    tryIt_->show();
    problemsLabel_->setText(problems_.join(QLatin1Char('\n')));
    problemsLabel_->setVisible(!problems_.isEmpty());
}

void LessonsPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        applyFonts();
}

void LessonsPanel::applyFonts()
{
    // Relative to the panel's font, so presentation mode's larger application font carries over.
    QFont titleFont = font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.35);
    titleFont.setBold(true);
    title_->setFont(titleFont);
    QFont textFont = font();
    textFont.setPointSizeF(textFont.pointSizeF() * 1.1);
    text_->setFont(textFont);
    tryIt_->setFont(textFont);
}

}  // namespace cstudio::ui
