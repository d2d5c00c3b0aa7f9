#include "ui/weights/weights_tree.h"

#include "core/formats/model_summary.h"

#include <QEvent>
#include <QHeaderView>
#include <QScrollBar>
#include <QStyle>
#include <QStyledItemDelegate>
#include <algorithm>
#include <map>

namespace cstudio::ui {
namespace {

// Tree items sort numbers by value, not as text.
class NumberItem : public QTreeWidgetItem {
public:
    using QTreeWidgetItem::QTreeWidgetItem;
    bool operator<(const QTreeWidgetItem& other) const override
    {
        const int column = treeWidget() ? treeWidget()->sortColumn() : 0;
        const QVariant mine = data(column, Qt::UserRole), theirs = other.data(column, Qt::UserRole);
        if (mine.isValid() && theirs.isValid())
            return mine.toLongLong() < theirs.toLongLong();
        return QTreeWidgetItem::operator<(other);
    }
};

void setNumber(QTreeWidgetItem* item, int column, qint64 value, const QString& text)
{
    item->setText(column, text);
    item->setData(column, Qt::UserRole, value);
    item->setTextAlignment(column, Qt::AlignRight | Qt::AlignVCenter);
}

}  // namespace

WeightsTree::WeightsTree(QWidget* parent) : QTreeWidget(parent)
{
    setObjectName(QStringLiteral("weightsTree"));
    setColumnCount(6);
    setHeaderLabels({tr("Tensor"), tr("Role"), tr("Shape"), tr("Dtype"), tr("Parameters"), tr("Bytes")});
    headerItem()->setToolTip(ParametersColumn, tr("Number of elements (weights) in the tensor"));
    headerItem()->setToolTip(BytesColumn, tr("Bytes the tensor occupies in the file (1 MB = 10⁶ bytes)"));
    headerItem()->setToolTip(RoleColumn, tr("Recovered from the tensor's name: attention q/k/v/o, MLP up/gate/down, "
                                            "experts, embedding, norm, lm_head"));
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    setSortingEnabled(false);
    // Widths come from fitColumns(): from every entry, open branches or not, so a column does not
    // jump when a layer is opened. The last column shown takes what is left.
    header()->setStretchLastSection(true);
    header()->setSectionResizeMode(QHeaderView::Fixed);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Only a name longer than the tree's widest allowed minimum is shortened: in the middle, so
    // its layer-relative start and its last part (weight, bias) still show.
    setTextElideMode(Qt::ElideMiddle);
    connect(this, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (item && item->data(NameColumn, kTensorIndexRole).isValid())
            Q_EMIT tensorSelected(item->data(NameColumn, kTensorIndexRole).toInt());
    });
}

void WeightsTree::showModel(const TensorSource* source)
{
    clear();
    if (!source)
        return;
    const auto& tensors = source->tensors();
    std::map<int, QTreeWidgetItem*> groups;  // by layer; -1 for tensors outside the blocks
    std::map<int, std::pair<qint64, qint64>> totals;
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        const TensorInfo& info = tensors[i];
        QTreeWidgetItem*& group = groups[info.layer];
        if (!group) {
            group = new NumberItem;
            group->setText(NameColumn, info.layer >= 0 ? tr("Layer %1").arg(info.layer) : tr("Outside the blocks"));
            group->setData(NameColumn, Qt::UserRole + 2, info.layer);
            QFont bold = group->font(NameColumn);
            bold.setBold(true);
            group->setFont(NameColumn, bold);
        }
        auto* item = new NumberItem(group);
        // Inside a layer's branch the layer prefix ("model.layers.12.") says nothing new.
        const QString marker = QStringLiteral(".%1.").arg(info.layer);
        const qsizetype cut = info.layer >= 0 ? info.name.indexOf(marker) : -1;
        item->setText(NameColumn, cut >= 0 ? info.name.mid(cut + marker.size()) : info.name);
        // The full name, and the columns a narrow tree hides.
        item->setToolTip(NameColumn, tr("%1\n%2 · %3 · %4 · %5 parameters · %6")
                                         .arg(info.name, info.role, formatShape(info.shape), info.dtype,
                                              QLocale().toString(info.elementCount), formatBytes(info.byteSize)));
        item->setData(NameColumn, kTensorIndexRole, int(i));
        item->setText(RoleColumn, info.role);
        item->setText(ShapeColumn, formatShape(info.shape));
        item->setText(DtypeColumn, info.decodable ? info.dtype : tr("%1 (not decoded)").arg(info.dtype));
        if (!info.decodable)
            item->setToolTip(DtypeColumn, tr("This storage type is listed with its size but not decoded to floats"));
        setNumber(item, ParametersColumn, info.elementCount, QLocale().toString(info.elementCount));
        setNumber(item, BytesColumn, info.byteSize, formatBytes(info.byteSize));
        totals[info.layer].first += info.elementCount;
        totals[info.layer].second += info.byteSize;
    }
    // Blocks in order, the rest (embeddings, head) first, as a reader meets them.
    for (auto& [layer, group] : groups) {
        setNumber(group, ParametersColumn, totals[layer].first, formatCount(totals[layer].first));
        setNumber(group, BytesColumn, totals[layer].second, formatBytes(totals[layer].second));
        group->setText(RoleColumn, tr("%n tensor(s)", nullptr, group->childCount()));
        addTopLevelItem(group);
    }
    if (topLevelItemCount() > 0)
        topLevelItem(0)->setExpanded(true);
    fitColumns();
}

int WeightsTree::neededColumnWidth(int column) const
{
    // What the item delegate needs to draw each entry whole (as a column sized to its contents
    // measures it), after the branch indentation in the first column; the header's text too.
    int needed = header()->sectionSizeHint(column);  // 0 while the column is hidden
    QStyleOptionViewItem option;
    initViewItemOption(&option);
    const auto measure = [&](QTreeWidgetItem* item, int depth) {
        const QModelIndex index = indexFromItem(item, column);
        int width = itemDelegateForIndex(index)->sizeHint(option, index).width();
        if (column == NameColumn)
            width += indentation() * (depth + (rootIsDecorated() ? 1 : 0));
        needed = std::max(needed, width);
    };
    for (int top = 0; top < topLevelItemCount(); ++top) {
        QTreeWidgetItem* group = topLevelItem(top);
        measure(group, 0);
        for (int child = 0; child < group->childCount(); ++child)
            measure(group->child(child), 1);
    }
    return needed;
}

void WeightsTree::fitColumns()
{
    fitPending_ = false;
    int widths[BytesColumn + 1];
    for (int column = NameColumn; column <= BytesColumn; ++column) {
        setColumnHidden(column, false);  // measured shown: a hidden header section has no size hint
        widths[column] = neededColumnWidth(column);
    }
    // Never narrower than the names, up to about 40 characters (longer ones are elided in the
    // middle rather than pushing the page past the screen).
    const int chrome = 2 * frameWidth() + verticalScrollBar()->sizeHint().width();
    const int widestMinimum = fontMetrics().horizontalAdvance(QString(40, QLatin1Char('n')));
    const int minimum = std::min(widths[NameColumn], widestMinimum) + chrome;
    if (minimumWidth() != minimum)
        setMinimumWidth(minimum);  // resizes the tree if needed, which fits again
    // The vertical scroll bar's room is kept whether it shows or not: opening a branch must not
    // hide a column.
    const int room = width() - chrome;
    int used = widths[NameColumn];
    bool fits = true;
    for (int column = RoleColumn; column <= BytesColumn; ++column) {
        fits = fits && used + widths[column] <= room;
        setColumnHidden(column, !fits);
        if (fits)
            used += widths[column];
    }
    for (int column = NameColumn; column <= BytesColumn; ++column)
        if (!isColumnHidden(column))
            header()->resizeSection(column, widths[column]);
}

void WeightsTree::scheduleFit()
{
    if (fitPending_)
        return;
    fitPending_ = true;
    QMetaObject::invokeMethod(this, &WeightsTree::fitColumns, Qt::QueuedConnection);
}

void WeightsTree::resizeEvent(QResizeEvent* event)
{
    QTreeWidget::resizeEvent(event);
    scheduleFit();
}

void WeightsTree::changeEvent(QEvent* event)
{
    QTreeWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        scheduleFit();
}

bool WeightsTree::selectTensor(int index)
{
    for (int top = 0; top < topLevelItemCount(); ++top) {
        QTreeWidgetItem* group = topLevelItem(top);
        for (int child = 0; child < group->childCount(); ++child) {
            QTreeWidgetItem* item = group->child(child);
            if (item->data(NameColumn, kTensorIndexRole).toInt() == index) {
                group->setExpanded(true);
                setCurrentItem(item);
                scrollToItem(item);
                return true;
            }
        }
    }
    return false;
}

int WeightsTree::tensorItemCount() const
{
    int count = 0;
    for (int top = 0; top < topLevelItemCount(); ++top)
        count += topLevelItem(top)->childCount();
    return count;
}

}  // namespace cstudio::ui
