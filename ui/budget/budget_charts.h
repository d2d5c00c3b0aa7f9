#pragma once
// The Budget page's four live charts, one category per precision: memory (weights, KV cache
// and runtime overhead stacked, with the devices' capacity as a line), devices needed, the
// decode tokens/s bound and the cost per million tokens. Category 0 ("▶ slider") is the
// slider's current precision; updateSelected() changes only its bars, so a drag stays cheap.
#include "core/budget/budget_estimate.h"

#include <QWidget>
#include <vector>

class QChartView;
class QChart;
class QBarSet;
class QBarCategoryAxis;
class QValueAxis;
class QLineSeries;
class QAbstractBarSeries;

namespace cstudio::ui {

struct BudgetChartRow {
    QString label;  // "Q4_K", "▶ slider"
    budget::BudgetEstimate estimate;
    bool inSmallCharts = true;  // the three small charts show fewer categories, so labels fit
};

struct BudgetChartContext {
    double capacityGB = 0;  // devices you have x memory per device
    QString capacityLabel;  // "1 x NVIDIA H100 SXM 80GB: 80 GB"
    double overhead = 0.2;
    bool hasBandwidth = false;
    bool hasPrice = false;
};

class BudgetCharts : public QWidget {
    Q_OBJECT
public:
    explicit BudgetCharts(QWidget* parent = nullptr);

    void setRows(const std::vector<BudgetChartRow>& rows, const BudgetChartContext& context);
    void updateSelected(const BudgetChartRow& row);

    QChart* memoryChart() const;
    QChart* devicesChart() const;
    QChart* speedChart() const;
    QChart* costChart() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    struct BarChart {
        QChartView* view = nullptr;
        QAbstractBarSeries* series = nullptr;
        QBarCategoryAxis* categories = nullptr;
        QValueAxis* values = nullptr;
        std::vector<QBarSet*> sets;
        std::vector<QStringList> tooltips;  // per set, per category
    };
    BarChart makeChart(const QString& objectName, const QString& title, const QString& valueTitle, bool stacked,
                       const QStringList& setNames);
    void fillRow(int index, const BudgetChartRow& row);
    void rescale();
    void applyPalette();
    void connectTooltips(BarChart& chart);

    BarChart memory_, devices_, speed_, cost_;
    QLineSeries* capacity_ = nullptr;
    BudgetChartContext context_;
    QStringList labels_;
    std::vector<int> smallIndex_;  // row -> category of the small charts, -1 when not shown there
};

}  // namespace cstudio::ui
