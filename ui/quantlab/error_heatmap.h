#pragma once
// The layer x role heatmap: one cell per analysed tensor, coloured by its relative RMSE under
// the selected scheme (log colour scale, legend on the right). Rows are transformer blocks;
// tensors outside the blocks (embeddings, head) sit in a strip below. Clicking a cell selects
// its tensor; hovering tells its name and figures.
#include "core/analysis/analysis_types.h"

#include <QWidget>
#include <memory>

namespace cstudio::ui {

class ErrorHeatmap : public QWidget {
    Q_OBJECT
public:
    explicit ErrorHeatmap(QWidget* parent = nullptr);

    void setResult(std::shared_ptr<const AnalysisResult> result, int schemePosition);
    void setSelectedTensor(int tensorPosition);
    int selectedTensor() const { return selected_; }

    // For tests and the report: the cell (row, column) of a tensor, and its value.
    int rowCount() const { return int(rowLayers_.size()) + (strip_.empty() ? 0 : 1); }
    int columnCount() const { return int(roles_.size()); }
    QStringList roles() const { return roles_; }
    // Relative RMSE shown in the cell of (layer, role); NaN if empty.
    double cellValue(int layer, const QString& role) const;
    QRect cellRect(int tensorPosition) const;
    // The column headers as painted at the current size and font: the role ("mlp_gate"), or
    // its last part ("gate") where the full name does not fit its column (the tooltip over a
    // header names the full role); and the width of one column.
    QStringList columnHeaders() const;
    double columnWidth() const;

    QSize minimumSizeHint() const override { return {360, 240}; }

Q_SIGNALS:
    void tensorClicked(int tensorPosition);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    struct Layout {
        QRect grid, strip, legend;
    };
    Layout layout() const;
    int tensorAt(QPoint point) const;
    double valueOf(int tensorPosition) const;
    double colourPosition(double value) const;

    std::shared_ptr<const AnalysisResult> result_;
    int scheme_ = 0;
    int selected_ = -1;
    QStringList roles_;
    std::vector<int> rowLayers_;            // layer of each grid row
    std::vector<std::vector<int>> cells_;   // [row][role] -> tensor position or -1
    std::vector<int> strip_;                // tensors outside blocks
    double minValue_ = 0, maxValue_ = 0;
};

}  // namespace cstudio::ui
