#pragma once
// The temperature explorer's four charts, each with a caption that says what it shows and
// why: the teacher softened at several τ (grouped bars), the entropy over τ, teacher versus
// student at the slider's τ, and the gradient of the Hinton loss per student logit. They
// draw an ExplorerSnapshot computed in core; nothing is computed here.
#include "core/distill/temperature_explorer.h"

#include <QStringList>
#include <QWidget>

class QChart;
class QChartView;
class QHBoxLayout;
class QLabel;

namespace cstudio::ui {

class ExplorerCharts : public QWidget {
    Q_OBJECT
public:
    explicit ExplorerCharts(QWidget* parent = nullptr);

    // `labels`: every class's name; `entropyCurve`: (τ, H bits) pairs; `classCount` the
    // vocabulary size (for the log2 n ceiling).
    void display(const distill::ExplorerSnapshot& snapshot, const QStringList& labels,
        const std::vector<std::pair<double, double>>& entropyCurve, int classCount);

    // Title and view of each chart, for exports and reports.
    QList<QPair<QString, QChartView*>> views() const;
    // Charts at a height that reads (when the page scrolls vertically: the explorer's controls
    // under the charts), not squeezed into the window's height.
    void setReadingHeight(bool on);

protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    // Two charts side by side only where each keeps its titles, axis titles and legend whole,
    // one per row otherwise; each chart's minimum height taller when read in a scrolling column
    // or one per row. Both grow with the font (presentation mode).
    void arrange();
    QChartView* addCard(QHBoxLayout* row, int stretch, const QString& objectName, QLabel** caption);
    void drawOverlay(const distill::ExplorerSnapshot& snapshot, const QStringList& categories);
    void drawEntropy(const distill::ExplorerSnapshot& snapshot,
        const std::vector<std::pair<double, double>>& curve, int classCount);
    void drawComparison(const distill::ExplorerSnapshot& snapshot, const QStringList& categories);
    void drawGradient(const distill::ExplorerSnapshot& snapshot, const QStringList& categories);

    QChartView* overlayView_ = nullptr;
    QChartView* entropyView_ = nullptr;
    QChartView* comparisonView_ = nullptr;
    QChartView* gradientView_ = nullptr;
    QLabel* overlayCaption_ = nullptr;
    QLabel* entropyCaption_ = nullptr;
    QLabel* comparisonCaption_ = nullptr;
    QLabel* gradientCaption_ = nullptr;
    QHBoxLayout* topRow_ = nullptr;
    QHBoxLayout* bottomRow_ = nullptr;
    bool readingHeight_ = false;
    double basePoints_ = 0;
};

} // namespace cstudio::ui
