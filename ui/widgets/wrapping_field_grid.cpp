#include "ui/widgets/wrapping_field_grid.h"

#include <QEvent>
#include <QGridLayout>
#include <algorithm>

namespace cstudio::ui {
namespace {

// The width a layout gives a widget at least: its explicit minimum, else its minimum size hint.
int minimumWidthOf(const QWidget* widget)
{
    if (widget->isHidden())
        return 0;
    return widget->minimumWidth() > 0 ? widget->minimumWidth() : std::max(0, widget->minimumSizeHint().width());
}

}  // namespace

WrappingFieldGrid::WrappingFieldGrid(int fieldsPerWideRow, QWidget* parent)
    : QWidget(parent), grid_(new QGridLayout(this)), perRow_(std::max(1, fieldsPerWideRow))
{
    grid_->setContentsMargins(0, 0, 0, 0);
}

void WrappingFieldGrid::addField(QWidget* label, QWidget* field)
{
    label->setParent(this);
    field->setParent(this);
    fields_.push_back({label, field});
    arrange(wrapped_);
    update();
}

bool WrappingFieldGrid::event(QEvent* event)
{
    const bool handled = QWidget::event(event);
    switch (event->type()) {
    case QEvent::Resize:
    case QEvent::LayoutRequest:
    case QEvent::FontChange:
    case QEvent::Show:
        update();
        break;
    default:
        break;
    }
    return handled;
}

int WrappingFieldGrid::minimumWidthOf(bool wrapped) const
{
    const int perRow = wrapped ? 1 : perRow_;
    std::vector<int> columns(std::size_t(2 * perRow), 0);
    for (std::size_t i = 0; i < fields_.size(); ++i) {
        const std::size_t column = 2 * (i % std::size_t(perRow));
        columns[column] = std::max(columns[column], cstudio::ui::minimumWidthOf(fields_[i].label));
        columns[column + 1] = std::max(columns[column + 1], cstudio::ui::minimumWidthOf(fields_[i].field));
    }
    int width = 0;
    for (int column : columns)
        width += column;
    const QMargins margins = grid_->contentsMargins();
    return width + std::max(0, grid_->horizontalSpacing()) * (int(columns.size()) - 1) + margins.left() + margins.right();
}

void WrappingFieldGrid::update()
{
    if (updating_)
        return;
    updating_ = true;
    // The explicit minimum (the one-field rows) is what a parent layout asks of this bar, not
    // the wide grid's: so the bar can be given less than the wide rows need and wrap.
    const int narrow = minimumWidthOf(true);
    if (minimumWidth() != narrow)
        setMinimumWidth(narrow);
    const bool wrap = width() < minimumWidthOf(false);
    if (wrap != wrapped_)
        arrange(wrap);
    updating_ = false;
}

void WrappingFieldGrid::arrange(bool wrapped)
{
    wrapped_ = wrapped;
    for (const Field& field : fields_) {
        grid_->removeWidget(field.label);
        grid_->removeWidget(field.field);
    }
    const int perRow = wrapped ? 1 : perRow_;
    for (int column = 0; column < 2 * perRow_; ++column)
        grid_->setColumnStretch(column, 0);
    grid_->setColumnStretch(2 * perRow - 1, 1);
    for (std::size_t i = 0; i < fields_.size(); ++i) {
        const int row = int(i) / perRow, column = 2 * (int(i) % perRow);
        grid_->addWidget(fields_[i].label, row, column);
        grid_->addWidget(fields_[i].field, row, column + 1);
    }
}

}  // namespace cstudio::ui
