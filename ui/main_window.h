#pragma once
// The studio's window: a page list on the left (Budget, Weights, Quant Lab, Distillation...),
// the current page on the right, menus, shortcuts and a status bar. Pages own their widgets;
// the window only wires them together and keeps the layout between runs.
#include <QMainWindow>

class QListWidget;
class QStackedWidget;

namespace cstudio::ui {

class ModelSession;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    // Shows the page whose title is `title` ("Budget", "Weights"...); false if there is none.
    bool showPage(const QString& title);
    QWidget* page(const QString& title) const;
    ModelSession* modelSession() const { return modelSession_; }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void addPage(const QString& title, const QString& description, QWidget* page);
    void createPages();
    void createMenus();
    void restoreLayout();

    QListWidget* pageList_ = nullptr;
    QStackedWidget* pageStack_ = nullptr;
    ModelSession* modelSession_ = nullptr;
};

}  // namespace cstudio::ui
