#pragma once
// Presentation mode, for a projector: the window goes full screen, menus, status bar and the
// page list are hidden, the application font grows by kFontScale and every chart's fonts and
// line widths grow with it. F11 or Esc returns the window exactly as it was. Charts a page
// builds while presenting are caught by a periodic re-walk (idempotent: each chart remembers
// its own base fonts and pens).
#include <QFont>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QWidget>

class QMainWindow;
class QTimer;

namespace cstudio::ui {

class PresentationMode : public QObject {
    Q_OBJECT
public:
    static constexpr double kFontScale = 1.4;
    static constexpr double kLineScale = 2.5;

    // `chrome`: widgets hidden while presenting (the page list, tool bars); the menu bar and the
    // status bar of `window` are hidden too.
    PresentationMode(QMainWindow* window, QList<QWidget*> chrome);
    ~PresentationMode() override;

    bool isActive() const { return active_; }
    void setActive(bool active);
    void toggle() { setActive(!active_); }

    // Scales (factor > 1) or restores (factor == 1) the fonts and pens of every chart under `root`.
    static void scaleCharts(QWidget* root, double fontFactor, double lineFactor);

Q_SIGNALS:
    void activeChanged(bool active);

private:
    QMainWindow* window_;
    QList<QPointer<QWidget>> chrome_;
    QList<bool> chromeWasVisible_;
    QTimer* rewalk_;
    bool active_ = false;
    bool wasFullScreen_ = false;
    bool wasMaximized_ = false;
    bool menuBarWasVisible_ = true;
    bool statusBarWasVisible_ = true;
    QFont applicationFont_;
    QRect normalGeometry_;
};

}  // namespace cstudio::ui
