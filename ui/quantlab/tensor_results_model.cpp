#include "ui/quantlab/tensor_results_model.h"

#include "ui/quantlab/quantlab_format.h"

#include <cmath>

namespace cstudio::ui {

void TensorResultsModel::setResult(std::shared_ptr<const AnalysisResult> result)
{
    beginResetModel();
    result_ = std::move(result);
    schemeCount_ = result_ ? int(result_->schemes.size()) : 0;
    endResetModel();
}

int TensorResultsModel::rowOf(int tensorPosition, int schemePosition) const
{
    if (!result_ || tensorPosition < 0 || tensorPosition >= int(result_->tensors.size()) || schemePosition < 0
        || schemePosition >= schemeCount_)
        return -1;
    return tensorPosition * schemeCount_ + schemePosition;
}

int TensorResultsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !result_ ? 0 : int(result_->tensors.size()) * schemeCount_;
}

int TensorResultsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant TensorResultsModel::data(const QModelIndex& index, int role) const
{
    if (!result_ || !index.isValid() || schemeCount_ == 0)
        return {};
    const int tensorPosition = index.row() / schemeCount_;
    const int schemePosition = index.row() % schemeCount_;
    if (role == TensorPositionRole)
        return tensorPosition;
    if (role == SchemePositionRole)
        return schemePosition;
    const TensorAnalysis& tensor = result_->tensors[static_cast<std::size_t>(tensorPosition)];
    const SchemeMetrics& m = tensor.results[static_cast<std::size_t>(schemePosition)];
    const bool valid = m.applicable && m.error.elementCount > 0;
    if (role == Qt::TextAlignmentRole)
        return index.column() <= SchemeName ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                            : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        if (!m.applicable)
            return tr("%1 does not apply to this tensor: %2").arg(m.scheme, m.note);
        return metricTooltip(index.column());
    }
    if (role == Qt::UserRole) {  // raw values for sorting
        switch (index.column()) {
        case Tensor: return tensor.name;
        case Layer: return tensor.layer;
        case Role: return tensor.role;
        case SchemeName: return m.scheme;
        case Params: return tensor.params;
        case BitsPerWeight: return m.bitsPerWeight;
        case Bytes: return m.bytes;
        case Rmse: return valid ? m.error.rmse() : -1.0;
        case RelativeRmse: return valid ? m.error.relativeRmse() : -1.0;
        case MaxAbsError: return valid ? m.error.maxAbsError : -1.0;
        case SqnrDb: return valid ? std::min(m.error.sqnrDb(), 1e9) : -1e9;
        case Cosine: return valid ? m.error.cosine() : -1.0;
        default: return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Tensor: return tensor.name;
    case Layer: return tensor.layer < 0 ? QStringLiteral("\u2014") : QString::number(tensor.layer);
    case Role: return tensor.role;
    case SchemeName: return m.scheme;
    case Params: return formatCount(double(tensor.params));
    case BitsPerWeight: return valid ? QString::number(m.bitsPerWeight, 'f', 3) : QString();
    case Bytes: return valid ? formatBytes(double(m.bytes)) : QString();
    default: break;
    }
    if (!valid)
        return m.applicable ? tr("empty") : tr("n/a");
    switch (index.column()) {
    case Rmse: return QString::number(m.error.rmse(), 'g', 4);
    case RelativeRmse: return formatPercent(m.error.relativeRmse());
    case MaxAbsError: return QString::number(m.error.maxAbsError, 'g', 4);
    case SqnrDb: return std::isinf(m.error.sqnrDb()) ? tr("lossless") : QString::number(m.error.sqnrDb(), 'f', 2);
    case Cosine: return QString::number(m.error.cosine(), 'f', 6);
    default: return {};
    }
}

QVariant TensorResultsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole)
        return metricTooltip(section);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Tensor: return tr("Tensor");
    case Layer: return tr("Layer");
    case Role: return tr("Role");
    case SchemeName: return tr("Scheme");
    case Params: return tr("Params");
    case BitsPerWeight: return tr("Bits/weight");
    case Bytes: return tr("Bytes");
    case Rmse: return tr("RMSE");
    case RelativeRmse: return tr("Rel. RMSE");
    case MaxAbsError: return tr("Max |err|");
    case SqnrDb: return tr("SQNR (dB)");
    case Cosine: return tr("Cosine");
    default: return {};
    }
}

}  // namespace cstudio::ui
