#pragma once
// Every analysed tensor x scheme as one table row (params, bits per weight, bytes, RMSE,
// relative RMSE, max |error|, SQNR, cosine). Display text is formatted with units; Qt::UserRole
// holds the raw number so a QSortFilterProxyModel sorts numerically.
#include "core/analysis/analysis_types.h"

#include <QAbstractTableModel>
#include <memory>

namespace cstudio::ui {

class TensorResultsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Tensor, Layer, Role, SchemeName, Params, BitsPerWeight, Bytes, Rmse, RelativeRmse, MaxAbsError, SqnrDb,
                  Cosine, ColumnCount };
    static constexpr int TensorPositionRole = Qt::UserRole + 1;  // index in AnalysisResult::tensors
    static constexpr int SchemePositionRole = Qt::UserRole + 2;

    using QAbstractTableModel::QAbstractTableModel;

    void setResult(std::shared_ptr<const AnalysisResult> result);
    // The row of (tensor, scheme), or -1.
    int rowOf(int tensorPosition, int schemePosition) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const AnalysisResult> result_;
    int schemeCount_ = 0;
};

}  // namespace cstudio::ui
