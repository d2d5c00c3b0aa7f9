#pragma once
// The studio's window: a page list on the left (Budget, Weights, Quant Lab, Distillation...),
// the current page on the right, menus, shortcuts and a status bar. Pages own their widgets;
// the window only wires them together and keeps the layout between runs.
#include <QMainWindow>

class QListWidget;
class QStackedWidget;

namespace cstudio::ui {

class ModelSession;
class StudioPage;
class WorkshopController;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    // Shows the page whose title is `title` ("Budget", "Weights"...); false if there is none.
    bool showPage(const QString& title);
    QWidget* page(const QString& title) const;
    ModelSession* modelSession() const { return modelSession_; }

    // The pages that take part in lessons, sessions and exports (see ui/studio_page.h), in
    // page order; studioPage() is null for a page that does not implement StudioPage.
    StudioPage* studioPage(const QString& title) const;
    QList<QPair<QString, StudioPage*>> studioPages() const;
    QString currentPageTitle() const;
    QStringList pageTitles() const;
    WorkshopController* workshop() const { return workshop_; }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void addPage(const QString& title, const QString& description, QWidget* page);
    void createPages();
    void createMenus();
    void restoreLayout();
    void showAnalysisEngine();

    QListWidget* pageList_ = nullptr;
    QStackedWidget* pageStack_ = nullptr;
    ModelSession* modelSession_ = nullptr;
    WorkshopController* workshop_ = nullptr;
};

}  // namespace cstudio::ui
