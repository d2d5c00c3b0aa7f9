#pragma once
// The loaded model as a tree: one branch per transformer block ("Layer 0", "Layer 1"...) and
// one for the tensors outside the blocks (embeddings, final norm, lm_head), each tensor with its
// role, shape, dtype, parameters and bytes. Selecting a tensor emits its index in the source.
// Every name reads whole: the name column is as wide as the longest name (the tree never gets
// narrower than that), and where the tree is too narrow for all the columns (a projector, the
// Lessons dock beside the page) the columns that no longer fit whole are hidden from the right,
// never cut; widening the tree (the splitter) brings them back.
#include "core/formats/tensor_source.h"

#include <QTreeWidget>

namespace cstudio::ui {

class WeightsTree : public QTreeWidget {
    Q_OBJECT
public:
    explicit WeightsTree(QWidget* parent = nullptr);

    void showModel(const TensorSource* source);
    // Selects the tensor with this index in the source; false if it is not in the tree.
    bool selectTensor(int index);
    int tensorItemCount() const;

    enum Column { NameColumn, RoleColumn, ShapeColumn, DtypeColumn, ParametersColumn, BytesColumn };
    static constexpr int kTensorIndexRole = Qt::UserRole + 1;

Q_SIGNALS:
    void tensorSelected(int index);

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    // The width `column` needs to show every entry and its header whole.
    int neededColumnWidth(int column) const;
    // Sizes the columns to their entries and hides those that do not fit beside the ones before.
    void fitColumns();
    void scheduleFit();
    bool fitPending_ = false;
};

}  // namespace cstudio::ui
