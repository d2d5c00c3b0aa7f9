#include "ui/workshop/workshop_controller.h"

#include "core/export/atomic_file.h"
#include "core/lessons/lesson_loader.h"
#include "core/session/session_file.h"
#include "ui/lessons/lessons_panel.h"
#include "ui/main_window.h"
#include "ui/presentation/presentation_mode.h"
#include "ui/session/session_state.h"
#include "ui/studio_page.h"

#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonDocument>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>

namespace cstudio::ui {
namespace {
constexpr int kMaxRecentSessions = 8;
const QString kRecentKey = QStringLiteral("sessions/recent");
const QString kFolderKey = QStringLiteral("export/folder");

}  // namespace

WorkshopController::WorkshopController(MainWindow* window) : QObject(window), window_(window)
{
    createDock();
    presentation_ = new PresentationMode(window_, {window_->findChild<QListWidget*>(QStringLiteral("pageList"))});
    createActions();
    // The dialog does not ask about replacing a file: the suffix may be added after it closes
    // ("report" becomes "report.html"), so askSavePath() asks about the final name instead.
    prompts_.savePath = [this](const QString& caption, const QString& suggested, const QString& filter, QString* selected) {
        return QFileDialog::getSaveFileName(window_, caption, suggested, filter, selected, QFileDialog::DontConfirmOverwrite);
    };
    prompts_.confirmOverwrite = [this](const QString& path) {
        return QMessageBox::question(window_, tr("Replace file?"),
                                     tr("%1 already exists.\nDo you want to replace it?").arg(QDir::toNativeSeparators(path)),
                                     QMessageBox::Yes | QMessageBox::No, QMessageBox::No)
               == QMessageBox::Yes;
    };
}

void WorkshopController::createDock()
{
    lessons_ = new LessonsPanel(window_);
    lessons_->setLibrary(loadLessonLibrary({builtInLessonFolder()}, {userLessonFolder()}));
    lessonsDock_ = new QDockWidget(tr("Lessons"), window_);
    lessonsDock_->setObjectName(QStringLiteral("lessonsDock"));
    lessonsDock_->setWidget(lessons_);
    lessonsDock_->setMinimumWidth(320);
    window_->addDockWidget(Qt::RightDockWidgetArea, lessonsDock_);
    lessonsDock_->hide();  // shown from the Lessons menu; MainWindow's saved layout may show it
}

void WorkshopController::createActions()
{
    QMenuBar* bar = window_->menuBar();
    QMenu* fileMenu = bar->findChild<QMenu*>(QStringLiteral("fileMenu"));
    QMenu* viewMenu = bar->findChild<QMenu*>(QStringLiteral("viewMenu"));

    // File: sessions and exports, above Quit.
    QAction* beforeQuit = fileMenu->actions().isEmpty() ? nullptr : fileMenu->actions().constLast();
    auto* open = new QAction(tr("Open Session…"), this);
    open->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    connect(open, &QAction::triggered, this, &WorkshopController::openSessionDialog);
    auto* save = new QAction(tr("Save Session…"), this);
    save->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    connect(save, &QAction::triggered, this, &WorkshopController::saveSessionAs);
    recentMenu_ = new QMenu(tr("Recent Sessions"), window_);
    recentMenu_->setObjectName(QStringLiteral("recentSessionsMenu"));
    auto* exportChart = new QAction(tr("Export Chart…"), this);
    exportChart->setToolTip(tr("Save a chart of this page as PNG (at a chosen scale) or SVG"));
    connect(exportChart, &QAction::triggered, this, &WorkshopController::exportChartDialog);
    auto* exportTable = new QAction(tr("Export Table…"), this);
    connect(exportTable, &QAction::triggered, this, &WorkshopController::exportTableDialog);
    auto* exportReport = new QAction(tr("Export Report…"), this);
    exportReport->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    connect(exportReport, &QAction::triggered, this, &WorkshopController::exportReportDialog);
    fileMenu->insertAction(beforeQuit, open);
    fileMenu->insertMenu(beforeQuit, recentMenu_);
    fileMenu->insertAction(beforeQuit, save);
    fileMenu->insertSeparator(beforeQuit);
    fileMenu->insertAction(beforeQuit, exportChart);
    fileMenu->insertAction(beforeQuit, exportTable);
    fileMenu->insertAction(beforeQuit, exportReport);
    fileMenu->insertSeparator(beforeQuit);
    updateRecentMenu();

    // View: presentation mode. Its shortcuts live on the window too, so they keep working
    // while the menu bar is hidden.
    auto* present = new QAction(tr("Presentation Mode"), this);
    present->setObjectName(QStringLiteral("presentationAction"));
    present->setCheckable(true);
    present->setShortcut(QKeySequence(Qt::Key_F11));
    present->setToolTip(tr("Full screen, larger fonts and thicker chart lines for a projector (F11 or Esc to leave)"));
    connect(present, &QAction::toggled, presentation_, &PresentationMode::setActive);
    connect(presentation_, &PresentationMode::activeChanged, present, &QAction::setChecked);
    auto* leave = new QAction(tr("Leave Presentation Mode"), this);
    leave->setShortcut(QKeySequence(Qt::Key_Escape));
    leave->setEnabled(false);
    connect(leave, &QAction::triggered, presentation_, [this] { presentation_->setActive(false); });
    viewMenu->addSeparator();
    viewMenu->addAction(present);
    viewMenu->addAction(lessonsDock_->toggleViewAction());
    lessonsDock_->toggleViewAction()->setShortcut(QKeySequence(Qt::Key_F9));
    window_->addAction(present);
    window_->addAction(leave);
    window_->addAction(lessonsDock_->toggleViewAction());

    // Lessons: stepping. PgUp/PgDn step only while presenting (elsewhere they scroll tables);
    // Alt+Left/Right always.
    QMenu* lessonMenu = new QMenu(tr("&Lessons"), window_);
    lessonMenu->setObjectName(QStringLiteral("lessonsMenu"));
    bar->insertMenu(bar->actions().constLast(), lessonMenu);
    auto addStep = [&](const QString& text, QKeySequence key, auto slot) {
        QAction* action = lessonMenu->addAction(text, lessons_, slot);
        action->setShortcut(key);
        window_->addAction(action);
        return action;
    };
    QAction* showLessons = lessonMenu->addAction(tr("Show Lessons"), this, [this] {
        lessonsDock_->show();
        lessonsDock_->raise();
    });
    Q_UNUSED(showLessons);
    lessonMenu->addSeparator();
    addStep(tr("Next Step"), QKeySequence(Qt::ALT | Qt::Key_Right), [this] { lessonsDock_->show(); lessons_->nextStep(); });
    addStep(tr("Previous Step"), QKeySequence(Qt::ALT | Qt::Key_Left), &LessonsPanel::previousStep);
    addStep(tr("Next Lesson"), QKeySequence(Qt::ALT | Qt::Key_Down), [this] { lessonsDock_->show(); lessons_->nextLesson(); });
    addStep(tr("Previous Lesson"), QKeySequence(Qt::ALT | Qt::Key_Up), &LessonsPanel::previousLesson);
    auto* pageDown = new QAction(this);
    pageDown->setShortcut(QKeySequence(Qt::Key_PageDown));
    pageDown->setEnabled(false);
    connect(pageDown, &QAction::triggered, lessons_, &LessonsPanel::nextStep);
    auto* pageUp = new QAction(this);
    pageUp->setShortcut(QKeySequence(Qt::Key_PageUp));
    pageUp->setEnabled(false);
    connect(pageUp, &QAction::triggered, lessons_, &LessonsPanel::previousStep);
    window_->addAction(pageDown);
    window_->addAction(pageUp);
    connect(presentation_, &PresentationMode::activeChanged, this, [this, leave, pageDown, pageUp](bool active) {
        leave->setEnabled(active);
        pageDown->setEnabled(active);
        pageUp->setEnabled(active);
        // The lesson text is what the room reads: a title-less dock, a third of the screen wide.
        lessons_->setPresentationMode(active);
        if (active) {
            lessonsDock_->setTitleBarWidget(new QWidget(lessonsDock_));
            if (lessonsDock_->isVisible())
                window_->resizeDocks({lessonsDock_}, {window_->width() * 33 / 100}, Qt::Horizontal);
        } else {
            QWidget* empty = lessonsDock_->titleBarWidget();
            lessonsDock_->setTitleBarWidget(nullptr);
            delete empty;
        }
    });

    // Page shortcuts (Ctrl+1..9) are View menu actions: keep them alive with the menu hidden.
    for (QAction* action : viewMenu->actions()) {
        if (!action->shortcut().isEmpty())
            window_->addAction(action);
    }
}

Result<void> WorkshopController::saveSession(const QString& path)
{
    SessionDocument session = captureSession(window_->studioPages(), window_->currentPageTitle());
    session.lesson = lessons_->saveState();
    Result<void> written = writeSessionFile(path, session);
    if (written)
        addRecentSession(path);
    return written;
}

Result<QStringList> WorkshopController::openSession(const QString& path)
{
    Result<SessionDocument> session = readSessionFile(path);
    if (!session)
        return session.error();
    QStringList warnings = restoreSession(*session, window_->studioPages());
    lessons_->restoreState(session->lesson, &warnings);
    if (!session->lesson.isEmpty())
        lessonsDock_->show();
    if (!session->currentPage.isEmpty())
        window_->showPage(session->currentPage);
    addRecentSession(path);
    return warnings;
}

QStringList WorkshopController::recentSessions() const { return QSettings().value(kRecentKey).toStringList(); }

void WorkshopController::addRecentSession(const QString& path)
{
    QStringList recent = recentSessions();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    while (recent.size() > kMaxRecentSessions)
        recent.removeLast();
    QSettings().setValue(kRecentKey, recent);
    updateRecentMenu();
}

void WorkshopController::updateRecentMenu()
{
    recentMenu_->clear();
    const QStringList recent = recentSessions();
    for (const QString& path : recent) {
        QAction* action = recentMenu_->addAction(QFileInfo(path).fileName(), this, [this, path] { openSessionReporting(path); });
        action->setToolTip(path);
    }
    if (recent.isEmpty())
        recentMenu_->addAction(tr("No recent sessions"))->setEnabled(false);
    else {
        recentMenu_->addSeparator();
        recentMenu_->addAction(tr("Clear List"), this, [this] {
            QSettings().remove(kRecentKey);
            updateRecentMenu();
        });
    }
}

void WorkshopController::saveSessionAs()
{
    const QString path = askSavePath(tr("Save Session"), suggestedPath(QStringLiteral("session"), QStringLiteral("cstudio")),
                                     tr("Compression Studio session (*.cstudio)"), {QStringLiteral("cstudio")});
    if (path.isEmpty())
        return;
    rememberFolder(path);
    if (Result<void> saved = saveSession(path); !saved)
        return reportFailure(tr("The session could not be saved."), saved.error());
    window_->statusBar()->showMessage(tr("Session saved to %1").arg(QDir::toNativeSeparators(path)), 5000);
}

void WorkshopController::openSessionDialog()
{
    const QString path = QFileDialog::getOpenFileName(window_, tr("Open Session"), suggestedPath({}, {}),
                                                      tr("Compression Studio session (*.cstudio);;All files (*)"));
    if (!path.isEmpty())
        openSessionReporting(path);
}

void WorkshopController::openSessionReporting(const QString& path)
{
    rememberFolder(path);
    Result<QStringList> warnings = openSession(path);
    if (!warnings)
        return reportFailure(tr("The session could not be opened."), warnings.error());
    if (!warnings->isEmpty()) {
        QMessageBox::warning(window_, tr("Session restored with warnings"),
                             tr("The session was restored, except:\n\n• %1").arg(warnings->join(QStringLiteral("\n• "))));
    }
    window_->statusBar()->showMessage(tr("Session %1 restored").arg(QFileInfo(path).fileName()), 5000);
}

QString WorkshopController::suggestedPath(const QString& name, const QString& suffix) const
{
    const QString folder = QSettings().value(kFolderKey, QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)).toString();
    return name.isEmpty() ? folder : QDir(folder).filePath(name + QLatin1Char('.') + suffix);
}

void WorkshopController::rememberFolder(const QString& path) const
{
    QSettings().setValue(kFolderKey, QFileInfo(path).absolutePath());
}

void WorkshopController::reportFailure(const QString& what, const Error& error)
{
    QMessageBox::warning(window_, tr("Compression Studio"), QStringLiteral("%1\n\n%2").arg(what, error.toString()));
}

}  // namespace cstudio::ui
