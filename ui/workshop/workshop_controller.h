#pragma once
// Wires the workshop features into the main window without the window knowing their details:
// the Lessons dock, presentation mode (F11), sessions (save, open, recent) and exports (chart,
// table, report) in the File menu, and the keyboard navigation between lessons, steps and pages.
#include "core/result.h"

#include <QObject>
#include <QStringList>
#include <functional>

class QAction;
class QDockWidget;
class QMenu;

namespace cstudio::ui {

class LessonsPanel;
class MainWindow;
class PresentationMode;

// The questions the save and export commands ask. The defaults are Qt's file dialog and a
// question box; tests put answers in their place.
struct SavePrompts {
    // The file to write, or empty when cancelled; `selectedFilter` receives the chosen filter.
    std::function<QString(const QString& caption, const QString& suggestedPath, const QString& filter, QString* selectedFilter)> savePath;
    // Whether to replace `path`, which exists.
    std::function<bool(const QString& path)> confirmOverwrite;
};

class WorkshopController : public QObject {
    Q_OBJECT
public:
    explicit WorkshopController(MainWindow* window);

    LessonsPanel* lessonsPanel() const { return lessons_; }
    QDockWidget* lessonsDock() const { return lessonsDock_; }
    PresentationMode* presentation() const { return presentation_; }

    // Saves every page's state and the lesson position to `path` (atomically).
    Result<void> saveSession(const QString& path);
    // Restores what the session holds; the warnings say what could not be restored.
    Result<QStringList> openSession(const QString& path);
    QStringList recentSessions() const;

    SavePrompts& savePrompts() { return prompts_; }

    // The GUI commands (dialogs); public so menus and tests share them.
    void saveSessionAs();
    void openSessionDialog();
    void exportChartDialog();
    void exportTableDialog();
    void exportReportDialog();

private:
    void createDock();
    void createActions();
    void addRecentSession(const QString& path);
    void updateRecentMenu();
    void openSessionReporting(const QString& path);
    QString suggestedPath(const QString& name, const QString& suffix) const;
    // Asks for a file to write (the suffix completed from the filter), and whether to replace it
    // when it exists; empty when the user cancels or declines.
    QString askSavePath(const QString& caption, const QString& suggested, const QString& filter, const QStringList& suffixes);
    void rememberFolder(const QString& path) const;
    void reportFailure(const QString& what, const Error& error);
    void layOutEveryChart();

    MainWindow* window_;
    LessonsPanel* lessons_ = nullptr;
    QDockWidget* lessonsDock_ = nullptr;
    PresentationMode* presentation_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    SavePrompts prompts_;
};

}  // namespace cstudio::ui
