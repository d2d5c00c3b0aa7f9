#pragma once
// Painted under the precision slider: a tick for every catalog format and its short name,
// staggered on three rows so that the crowded 4-bit region stays legible; names that would
// still collide are merged ("g128·NF4-DQ"). Hovering a tick lists the formats there.
#include "core/budget/format_catalog.h"

#include <QWidget>
#include <vector>

class QSlider;

namespace cstudio::ui {

class PrecisionScale : public QWidget {
    Q_OBJECT
public:
    PrecisionScale(QSlider* slider, QWidget* parent = nullptr);
    void setFormats(const std::vector<budget::QuantFormat>* formats);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

private:
    struct Mark {
        int x = 0;
        QString label;
        QString tooltip;
        int row = -1;  // -1: tick only, label did not fit
    };
    std::vector<Mark> layoutMarks() const;
    int xForPosition(int position) const;

    QSlider* slider_;
    const std::vector<budget::QuantFormat>* formats_ = nullptr;
};

}  // namespace cstudio::ui
