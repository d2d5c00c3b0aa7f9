#pragma once
// Lays a box layout's items side by side while the width it gets holds them side by side, and
// one above the other when it does not: the same page reads on a wide desktop, beside the
// Lessons dock, and on a 1280×720 projector with presentation mode's larger fonts. The host's
// minimum width becomes that of the stacked arrangement, so a narrow window can reach it.
#include <QBoxLayout>
#include <QObject>
#include <functional>

namespace cstudio::ui {

class WidthAdaptiveArrangement : public QObject {
    Q_OBJECT
public:
    // `layout` is `host`'s layout (or nested in it); `stacked` is its direction when narrow
    // (TopToBottom, or BottomToTop to put the first item last). `onChange(stacked)` runs after
    // each switch, for changes the direction alone does not make (a grid's columns).
    WidthAdaptiveArrangement(QWidget* host, QBoxLayout* layout, QBoxLayout::Direction stacked = QBoxLayout::TopToBottom,
                             std::function<void(bool stacked)> onChange = {});

    bool isStacked() const { return stacked_; }

    // Stack also below this width (at the host's font when it was built; it grows with the
    // font), for items that fit side by side but are no longer legible there (charts).
    void setLegibleSideBySideWidth(int width);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void update();

    QWidget* host_;
    QBoxLayout* layout_;
    QBoxLayout::Direction stackedDirection_;
    std::function<void(bool)> onChange_;
    bool stacked_ = false;
    bool updating_ = false;
    int legibleWidth_ = 0;
    int minimumSet_ = -1;
    double basePoints_ = 0;
};

}  // namespace cstudio::ui
