#include "ui/widgets/font_scaled_width.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLayout>
#include <QWidget>
#include <cmath>

namespace cstudio::ui {
namespace {

class FontScaledWidth : public QObject {
public:
    FontScaledWidth(QWidget* column, int baseWidth)
        : QObject(column), column_(column), baseWidth_(baseWidth), basePoints_(column->font().pointSizeF())
    {
        column->installEventFilter(this);
        apply(true);
    }

    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (watched == column_ && (event->type() == QEvent::FontChange || event->type() == QEvent::Show))
            apply(true);
        // A child's minimum grew after the font change (a list box sized to its entries).
        if (watched == column_ && event->type() == QEvent::LayoutRequest)
            apply(false);
        return QObject::eventFilter(watched, event);
    }

private:
    void apply(bool fontChanged)
    {
        const double growth = basePoints_ > 0 ? column_->font().pointSizeF() / basePoints_ : 1.0;
        int width = static_cast<int>(std::lround(baseWidth_ * growth));
        if (QLayout* layout = column_->layout()) {
            if (fontChanged)
                layout->invalidate();  // the children's new fonts change its minimum
            width = std::max(width, layout->minimumSize().width());
        }
        if (column_->minimumWidth() != width || column_->maximumWidth() != width)
            column_->setFixedWidth(width);
    }

    QWidget* column_;
    int baseWidth_;
    double basePoints_;
};

}  // namespace

void scaleFixedWidthWithFont(QWidget* column, int baseWidth) { new FontScaledWidth(column, baseWidth); }

QWidget* holdAtLeft(QWidget* column)
{
    auto* holder = new QWidget(column->parentWidget());
    auto* row = new QHBoxLayout(holder);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(column);
    row->addStretch(1);
    return holder;
}

}  // namespace cstudio::ui
