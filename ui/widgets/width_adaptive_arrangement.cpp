#include "ui/widgets/width_adaptive_arrangement.h"

#include <QEvent>
#include <QLayoutItem>
#include <QWidget>
#include <algorithm>

namespace cstudio::ui {

WidthAdaptiveArrangement::WidthAdaptiveArrangement(QWidget* host, QBoxLayout* layout, QBoxLayout::Direction stacked,
                                                   std::function<void(bool)> onChange)
    : QObject(host), host_(host), layout_(layout), stackedDirection_(stacked), onChange_(std::move(onChange)),
      basePoints_(host->font().pointSizeF())
{
    host->installEventFilter(this);
    update();
}

void WidthAdaptiveArrangement::setLegibleSideBySideWidth(int width)
{
    legibleWidth_ = width;
    update();
}

bool WidthAdaptiveArrangement::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == host_ && (event->type() == QEvent::Resize || event->type() == QEvent::LayoutRequest || event->type() == QEvent::FontChange
                             || event->type() == QEvent::Show))
        update();
    return QObject::eventFilter(watched, event);
}

void WidthAdaptiveArrangement::update()
{
    if (updating_)
        return;
    updating_ = true;
    // Minimum widths of the two arrangements, from the items' own minimums (fonts included).
    int sideBySide = 0, stacked = 0, visibleItems = 0;
    for (int i = 0; i < layout_->count(); ++i) {
        QLayoutItem* item = layout_->itemAt(i);
        if (item->isEmpty())
            continue;
        const int width = item->minimumSize().width();
        sideBySide += width;
        stacked = std::max(stacked, width);
        ++visibleItems;
    }
    const QMargins margins = layout_->contentsMargins();
    sideBySide += std::max(0, visibleItems - 1) * std::max(0, layout_->spacing()) + margins.left() + margins.right();
    stacked += margins.left() + margins.right();
    // The layout may sit inside the host with margins of its own around it. The host's own
    // layout has none beyond its contents margins (counted above): its geometry may still be
    // the previous size's here (a Resize reaches this filter before the layout), and a frame
    // read from it would ratchet the host's minimum up to the old width.
    const int frame = layout_ == host_->layout() ? 0 : host_->width() - layout_->geometry().width();
    const int available = layout_->geometry().isValid() && frame >= 0 ? host_->width() - frame : host_->width();
    // The host's minimum with this layout stacked. In a column of other items (a chart above
    // a row of figures) the widest of those counts too.
    int minimum = stacked + std::max(0, frame);
    auto* column = qobject_cast<QBoxLayout*>(host_->layout());
    if (column && column != layout_ && (column->direction() == QBoxLayout::TopToBottom || column->direction() == QBoxLayout::BottomToTop)) {
        int widest = stacked;
        for (int i = 0; i < column->count(); ++i) {
            QLayoutItem* item = column->itemAt(i);
            if (item->layout() != layout_ && !item->isEmpty())
                widest = std::max(widest, item->minimumSize().width());
        }
        const QMargins outer = column->contentsMargins();
        minimum = widest + outer.left() + outer.right();
    }
    // Several arrangements may share a host (rows of a grid): each lowers the minimum only
    // from the value it set itself, so the host keeps the largest of their needs.
    if (host_->minimumWidth() != minimum && (host_->minimumWidth() == minimumSet_ || host_->minimumWidth() < minimum)) {
        host_->setMinimumWidth(minimum);
        minimumSet_ = minimum;
    }
    const double fontGrowth = basePoints_ > 0 ? host_->font().pointSizeF() / basePoints_ : 1.0;
    const bool stack = available < std::max<double>(sideBySide, legibleWidth_ * fontGrowth);
    if (stack != stacked_ || layout_->direction() != (stack ? stackedDirection_ : QBoxLayout::LeftToRight)) {
        stacked_ = stack;
        layout_->setDirection(stack ? stackedDirection_ : QBoxLayout::LeftToRight);
        if (onChange_)
            onChange_(stack);
    }
    updating_ = false;
}

}  // namespace cstudio::ui
