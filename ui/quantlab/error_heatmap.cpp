#include "ui/quantlab/error_heatmap.h"

#include "ui/quantlab/quantlab_format.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QSet>
#include <QToolTip>
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace cstudio::ui {

namespace {
// Column order a reader expects: attention, then MLP, then anything else alphabetically.
int roleRank(const QString& role)
{
    static const QStringList order{QStringLiteral("attn_qkv"), QStringLiteral("attn_q"), QStringLiteral("attn_k"),
                                   QStringLiteral("attn_v"), QStringLiteral("attn_o"), QStringLiteral("mlp_gate"),
                                   QStringLiteral("mlp_up"), QStringLiteral("mlp_down")};
    const int rank = int(order.indexOf(role));
    return rank < 0 ? 100 : rank;
}

QString shortName(const QString& name)
{
    QStringList parts = name.split(QLatin1Char('.'));
    if (!parts.isEmpty() && (parts.last() == QLatin1String("weight") || parts.last() == QLatin1String("bias")))
        parts.removeLast();
    return parts.mid(std::max<qsizetype>(0, parts.size() - 2)).join(QLatin1Char('.'));
}
}  // namespace

ErrorHeatmap::ErrorHeatmap(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAccessibleName(tr("Relative RMSE heatmap by layer and role"));
}

void ErrorHeatmap::setResult(std::shared_ptr<const AnalysisResult> result, int schemePosition)
{
    result_ = std::move(result);
    scheme_ = schemePosition;
    roles_.clear();
    rowLayers_.clear();
    cells_.clear();
    strip_.clear();
    if (!result_) {
        update();
        return;
    }
    std::map<int, std::map<QString, int>> byLayer;
    for (int t = 0; t < int(result_->tensors.size()); ++t) {
        const TensorAnalysis& tensor = result_->tensors[std::size_t(t)];
        if (tensor.layer < 0) {
            strip_.push_back(t);
            continue;
        }
        byLayer[tensor.layer].emplace(tensor.role, t);  // first tensor of a (layer, role) wins
        if (!roles_.contains(tensor.role))
            roles_ << tensor.role;
    }
    std::sort(roles_.begin(), roles_.end(), [](const QString& a, const QString& b) {
        return roleRank(a) != roleRank(b) ? roleRank(a) < roleRank(b) : a < b;
    });
    for (const auto& [layer, roles] : byLayer) {
        rowLayers_.push_back(layer);
        std::vector<int> row;
        for (const QString& role : roles_) {
            auto found = roles.find(role);
            row.push_back(found == roles.end() ? -1 : found->second);
        }
        cells_.push_back(std::move(row));
    }
    minValue_ = std::numeric_limits<double>::infinity();
    maxValue_ = 0;
    for (int t = 0; t < int(result_->tensors.size()); ++t) {
        const double value = valueOf(t);
        if (value > 0 && std::isfinite(value)) {
            minValue_ = std::min(minValue_, value);
            maxValue_ = std::max(maxValue_, value);
        }
    }
    if (!(minValue_ < maxValue_)) {
        minValue_ = std::isfinite(minValue_) ? minValue_ / 2 : 1e-4;
        maxValue_ = std::max(maxValue_, minValue_ * 4);
    }
    update();
}

void ErrorHeatmap::setSelectedTensor(int tensorPosition)
{
    selected_ = tensorPosition;
    update();
}

double ErrorHeatmap::valueOf(int tensorPosition) const
{
    if (!result_ || tensorPosition < 0 || tensorPosition >= int(result_->tensors.size()))
        return std::numeric_limits<double>::quiet_NaN();
    const auto& results = result_->tensors[std::size_t(tensorPosition)].results;
    if (scheme_ < 0 || scheme_ >= int(results.size()))
        return std::numeric_limits<double>::quiet_NaN();
    const SchemeMetrics& m = results[std::size_t(scheme_)];
    return m.applicable && m.error.elementCount > 0 ? m.error.relativeRmse() : std::numeric_limits<double>::quiet_NaN();
}

double ErrorHeatmap::cellValue(int layer, const QString& role) const
{
    const int column = int(roles_.indexOf(role));
    for (std::size_t row = 0; row < rowLayers_.size(); ++row)
        if (rowLayers_[row] == layer && column >= 0)
            return valueOf(cells_[row][std::size_t(column)]);
    return std::numeric_limits<double>::quiet_NaN();
}

double ErrorHeatmap::colourPosition(double value) const
{
    return std::log(value / minValue_) / std::log(maxValue_ / minValue_);
}

ErrorHeatmap::Layout ErrorHeatmap::layout() const
{
    const QFontMetrics metrics(font());
    const int left = metrics.horizontalAdvance(QStringLiteral("layer 00")) + 8;
    const int top = metrics.height() + 6;
    const int legendWidth = metrics.horizontalAdvance(QStringLiteral("10.0 %")) + 34;
    const int stripHeight = strip_.empty() ? 0 : metrics.height() * 2 + 14;
    Layout l;
    l.grid = QRect(left, top, std::max(10, width() - left - legendWidth - 12), std::max(10, height() - top - stripHeight - 4));
    l.strip = QRect(left, l.grid.bottom() + 8, l.grid.width(), stripHeight - 8);
    l.legend = QRect(l.grid.right() + 14, top, 14, height() - top - 8);
    return l;
}

double ErrorHeatmap::columnWidth() const
{
    return double(layout().grid.width()) / double(std::max<qsizetype>(1, roles_.size()));
}

QStringList ErrorHeatmap::columnHeaders() const
{
    const QFontMetrics metrics(font());
    const double room = columnWidth() - 4;
    auto fits = [&](const QStringList& headers) {
        return std::all_of(headers.begin(), headers.end(), [&](const QString& h) { return metrics.horizontalAdvance(h) <= room; });
    };
    if (fits(roles_))
        return roles_;
    // All columns in the same short form ("q", "k", ..., "gate", "up", "down"), unless two
    // roles would then read alike.
    QStringList headers;
    for (const QString& role : roles_)
        headers << role.section(QLatin1Char('_'), -1);
    if (QSet<QString>(headers.begin(), headers.end()).size() != headers.size())
        headers = roles_;
    for (QString& header : headers)
        if (metrics.horizontalAdvance(header) > room)
            header = metrics.elidedText(header, Qt::ElideRight, int(room));
    return headers;
}

QRect ErrorHeatmap::cellRect(int tensorPosition) const
{
    const Layout l = layout();
    for (std::size_t row = 0; row < cells_.size(); ++row)
        for (std::size_t column = 0; column < cells_[row].size(); ++column)
            if (cells_[row][column] == tensorPosition) {
                const double w = double(l.grid.width()) / double(roles_.size());
                const double h = double(l.grid.height()) / double(cells_.size());
                return QRectF(l.grid.left() + column * w, l.grid.top() + row * h, w, h).toAlignedRect().adjusted(0, 0, -1, -1);
            }
    for (std::size_t i = 0; i < strip_.size(); ++i)
        if (strip_[i] == tensorPosition) {
            const double w = double(l.strip.width()) / double(strip_.size());
            return QRectF(l.strip.left() + i * w, l.strip.top(), w, l.strip.height()).toAlignedRect().adjusted(0, 0, -1, -1);
        }
    return {};
}

int ErrorHeatmap::tensorAt(QPoint point) const
{
    if (!result_)
        return -1;
    for (int t = 0; t < int(result_->tensors.size()); ++t)
        if (cellRect(t).contains(point))
            return t;
    return -1;
}

void ErrorHeatmap::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    if (!result_ || (cells_.empty() && strip_.empty())) {
        painter.drawText(rect(), Qt::AlignCenter, tr("No analysis yet"));
        return;
    }
    const Layout l = layout();
    const QFontMetrics metrics(font());
    auto paintCell = [&](int tensor, const QRect& cell, const QString& label) {
        const double value = valueOf(tensor);
        const bool known = std::isfinite(value);
        const QColor colour = known ? heatColor(colourPosition(std::max(value, minValue_))) : QColor(225, 225, 225);
        painter.fillRect(cell, colour);
        painter.setPen(QPen(palette().base().color(), 1));
        painter.drawRect(cell);
        const bool dark = colour.lightnessF() < 0.55;
        painter.setPen(dark ? Qt::white : Qt::black);
        const QString text = known ? formatPercent(value) : tr("n/a");
        QString name = label;
        if (!name.isEmpty() && metrics.horizontalAdvance(name) + 6 > cell.width())
            name = name.section(QLatin1Char('.'), -1);  // "embeddings.word_embeddings" -> "word_embeddings"
        name = metrics.elidedText(name, Qt::ElideMiddle, cell.width() - 6);
        const QString shown = name.isEmpty() ? text : name + QLatin1Char('\n') + text;
        if (metrics.horizontalAdvance(text) + 4 < cell.width() && metrics.height() * (label.isEmpty() ? 1 : 2) <= cell.height())
            painter.drawText(cell, Qt::AlignCenter, shown);
        if (tensor == selected_) {
            painter.setPen(QPen(QColor(230, 40, 40), 3));
            painter.drawRect(cell.adjusted(1, 1, -1, -1));
        }
    };
    painter.setPen(palette().text().color());
    const double columnWidth = this->columnWidth();
    const QStringList headers = columnHeaders();
    for (int c = 0; c < int(headers.size()); ++c)
        painter.drawText(QRectF(l.grid.left() + c * columnWidth, 0, columnWidth, l.grid.top() - 2),
                         Qt::AlignHCenter | Qt::AlignBottom, headers[c]);
    const double rowHeight = double(l.grid.height()) / double(std::max<std::size_t>(1, cells_.size()));
    const int labelEvery = std::max(1, int(std::ceil(metrics.height() / rowHeight)));
    for (std::size_t row = 0; row < cells_.size(); ++row) {
        if (int(row) % labelEvery == 0) {
            painter.setPen(palette().text().color());
            painter.drawText(QRectF(0, l.grid.top() + row * rowHeight, l.grid.left() - 6, rowHeight),
                             Qt::AlignRight | Qt::AlignVCenter, tr("layer %1").arg(rowLayers_[row]));
        }
        for (std::size_t column = 0; column < cells_[row].size(); ++column)
            if (cells_[row][column] >= 0)
                paintCell(cells_[row][column], cellRect(cells_[row][column]), {});
    }
    for (int tensor : strip_)
        paintCell(tensor, cellRect(tensor), shortName(result_->tensors[std::size_t(tensor)].name));
    if (!strip_.empty()) {
        painter.setPen(palette().text().color());
        painter.drawText(QRect(0, l.strip.top(), l.strip.left() - 6, l.strip.height()), Qt::AlignRight | Qt::AlignVCenter,
                         tr("outside\nblocks"));
    }

    // Colour legend: log scale from the smallest to the largest relative RMSE shown.
    for (int y = 0; y < l.legend.height(); ++y) {
        const double t = 1.0 - double(y) / std::max(1, l.legend.height() - 1);
        painter.setPen(heatColor(t));
        painter.drawLine(l.legend.left(), l.legend.top() + y, l.legend.right(), l.legend.top() + y);
    }
    painter.setPen(palette().text().color());
    painter.drawRect(l.legend);
    const int ticks = 5;
    for (int i = 0; i < ticks; ++i) {
        const double t = double(i) / (ticks - 1);
        const double value = minValue_ * std::pow(maxValue_ / minValue_, t);
        const int y = l.legend.bottom() - int(t * l.legend.height());
        painter.drawLine(l.legend.right(), y, l.legend.right() + 3, y);
        painter.drawText(QRect(l.legend.right() + 5, y - metrics.height() / 2, width() - l.legend.right() - 5, metrics.height()),
                         Qt::AlignLeft | Qt::AlignVCenter, formatPercent(value));
    }
}

void ErrorHeatmap::mousePressEvent(QMouseEvent* event)
{
    const int tensor = tensorAt(event->position().toPoint());
    if (tensor >= 0)
        Q_EMIT tensorClicked(tensor);
}

bool ErrorHeatmap::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip && result_) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int tensor = tensorAt(help->pos());
        const Layout l = layout();
        if (tensor < 0 && help->pos().y() < l.grid.top() && help->pos().x() >= l.grid.left() && !roles_.isEmpty()) {
            const int column = std::min(int(roles_.size()) - 1, int((help->pos().x() - l.grid.left()) / columnWidth()));
            if (column >= 0) {
                QToolTip::showText(help->globalPos(), tr("Role: %1").arg(roles_[column]), this);
                return true;
            }
        }
        if (tensor < 0) {
            QToolTip::showText(help->globalPos(),
                               tr("Colour: relative RMSE of each tensor under %1, log scale (error RMS / weight RMS).")
                                   .arg(result_->schemes.size() > std::size_t(scheme_) ? result_->schemes[std::size_t(scheme_)].name : QString()),
                               this);
            return true;
        }
        const TensorAnalysis& t = result_->tensors[std::size_t(tensor)];
        const SchemeMetrics& m = t.results[std::size_t(scheme_)];
        QToolTip::showText(help->globalPos(),
                           m.applicable ? tr("%1\n%2: relative RMSE %3, RMSE %4, %5 bits/weight\nClick to select")
                                              .arg(t.name, m.scheme, formatPercent(m.error.relativeRmse()))
                                              .arg(m.error.rmse(), 0, 'g', 4)
                                              .arg(m.bitsPerWeight, 0, 'f', 3)
                                        : tr("%1\n%2 does not apply: %3").arg(t.name, m.scheme, m.note),
                           this);
        return true;
    }
    return QWidget::event(event);
}

}  // namespace cstudio::ui
