#include "ui/quantlab/quantlab_format.h"

#include "ui/quantlab/tensor_results_model.h"

#include <QCoreApplication>
#include <algorithm>
#include <array>
#include <cmath>

namespace cstudio::ui {

namespace {
QString tr(const char* text) { return QCoreApplication::translate("QuantLab", text); }
}  // namespace

QString formatCount(double count)
{
    if (count >= 1e9)
        return QStringLiteral("%1 G").arg(count / 1e9, 0, 'f', 2);
    if (count >= 1e6)
        return QStringLiteral("%1 M").arg(count / 1e6, 0, 'f', 2);
    if (count >= 1e3)
        return QStringLiteral("%1 k").arg(count / 1e3, 0, 'f', 1);
    return QString::number(count, 'f', 0);
}

QString formatBytes(double bytes)
{
    if (bytes >= 1e9)
        return QStringLiteral("%1 GB").arg(bytes / 1e9, 0, 'f', 3);
    if (bytes >= 1e6)
        return QStringLiteral("%1 MB").arg(bytes / 1e6, 0, 'f', 2);
    if (bytes >= 1e3)
        return QStringLiteral("%1 kB").arg(bytes / 1e3, 0, 'f', 1);
    return QStringLiteral("%1 B").arg(bytes, 0, 'f', 0);
}

QString formatPercent(double fraction)
{
    const double percent = fraction * 100.0;
    return QStringLiteral("%1 %").arg(percent, 0, 'f', percent < 0.1 ? 4 : (percent < 10 ? 2 : 1));
}

QString metricTooltip(int column)
{
    switch (column) {
    case TensorResultsModel::Params: return tr("Weights in the tensor (elements).");
    case TensorResultsModel::BitsPerWeight:
        return tr("Effective storage per weight: element bits plus every scale and zero point, averaged over the tensor.");
    case TensorResultsModel::Bytes: return tr("Bytes this tensor takes with the scheme, scales included (1 MB = 10^6 bytes).");
    case TensorResultsModel::Rmse: return tr("RMSE = sqrt(sum (w' - w)^2 / n), in the weights' own units.");
    case TensorResultsModel::RelativeRmse: return tr("Relative RMSE = RMSE / sqrt(sum w^2 / n): the error as a share of the weights' RMS.");
    case TensorResultsModel::MaxAbsError: return tr("Largest |w' - w| over the tensor.");
    case TensorResultsModel::SqnrDb: return tr("SQNR = 10 log10(sum w^2 / sum (w' - w)^2), in dB; higher is better (6 dB per bit for a uniform grid).");
    case TensorResultsModel::Cosine: return tr("Cosine similarity sum w w' / sqrt(sum w^2 sum w'^2) between original and dequantized weights.");
    case TensorResultsModel::Layer: return tr("Transformer block index from the tensor name (\u2014: outside the blocks).");
    case TensorResultsModel::Role: return tr("What the tensor does, recovered from its name (attn_q, mlp_down, embedding...).");
    default: return tr("Click a row to select the tensor in every view.");
    }
}

QColor heatColor(double t)
{
    // Samples of matplotlib's viridis at 0, 0.25, 0.5, 0.75, 1 (dark = small error, yellow = large).
    static const std::array<QColor, 5> stops{QColor(68, 1, 84), QColor(59, 82, 139), QColor(33, 145, 140),
                                             QColor(94, 201, 98), QColor(253, 231, 37)};
    t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * double(stops.size() - 1);
    const int i = std::min(int(t), int(stops.size()) - 2);
    const double f = t - i;
    const QColor& a = stops[std::size_t(i)];
    const QColor& b = stops[std::size_t(i) + 1];
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * f), float(a.greenF() + (b.greenF() - a.greenF()) * f),
                            float(a.blueF() + (b.blueF() - a.blueF()) * f));
}

}  // namespace cstudio::ui
