#pragma once
// The loaded model as a tree: one branch per transformer block ("Layer 0", "Layer 1"...) and
// one for the tensors outside the blocks (embeddings, final norm, lm_head), each tensor with its
// role, shape, dtype, parameters and bytes. Selecting a tensor emits its index in the source.
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
};

}  // namespace cstudio::ui
