#pragma once
// The Quant Lab: what each quantization scheme does to a model's weights, layer by layer and
// group by group. The model is the one the Weights page loaded (the shared ModelSession) or the
// built-in demo model. Every figure comes from core: the analysis engine (run off the GUI
// thread, with progress and Cancel), the bit-width sweep, group inspection and the planner.
// Clicking a heatmap cell, a layer bar, a table row or a plan row selects that tensor in every
// view.
#include "core/analysis/analysis_types.h"
#include "core/analysis/group_inspection.h"
#include "core/analysis/weight_statistics.h"
#include "ui/studio_page.h"

#include <QWidget>
#include <memory>

class QCheckBox;
class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QSpinBox;
class QTabWidget;
class QTableView;
class QTimer;

namespace cstudio {
class ReportTableModel;
class TensorSource;
}

namespace cstudio::ui {

class BackgroundJob;
class ErrorHeatmap;
class LegendNameFitter;
class ModelSession;
class PlanPanel;
class SchemePicker;
class TensorResultsModel;

class QuantLabPage : public QWidget, public StudioPage {
    Q_OBJECT
public:
    explicit QuantLabPage(ModelSession* session, QWidget* parent = nullptr);
    ~QuantLabPage() override;

    // Results on screen (null before the first run finishes).
    std::shared_ptr<const AnalysisResult> analysis() const { return analysis_; }
    std::shared_ptr<const AnalysisResult> sweepAnalysis() const { return sweep_; }
    std::shared_ptr<const TensorSource> source() const { return source_; }
    int selectedTensor() const { return selectedTensor_; }  // position in analysis()->tensors
    int selectedScheme() const;                             // position in analysis()->schemes

    SchemePicker* schemePicker() const { return picker_; }
    ErrorHeatmap* heatmap() const { return heatmap_; }
    QTableView* table() const { return table_; }
    QSortFilterProxyModel* tableProxy() const { return proxy_; }
    QChart* sweepChart() const;
    QChart* layerChart() const;
    QChart* gridChart() const;
    QChart* groupErrorChart() const;
    PlanPanel* planPanel() const { return plan_; }
    QPushButton* cancelButton() const { return cancel_; }
    QLabel* runInfo() const { return runInfo_; }
    BackgroundJob* analysisJob() const { return analysisJob_; }
    BackgroundJob* sweepJob() const { return sweepJob_; }
    BackgroundJob* detailJob() const { return detailJob_; }
    const GroupInspection& groupInspection() const { return group_; }

    // StudioPage
    QJsonObject saveState() const override;
    void restoreState(const QJsonObject& state, QStringList* warnings) override;
    QList<ExportableChart> exportableCharts() const override;
    QList<ExportableTable> exportableTables() const override;
    // The report's summary of the analysis (by scheme, by layer), as `cstudio report` writes it;
    // the table of every tensor stays for Export Table.
    QList<ExportableTable> reportTables() const override;
    QString reportSummaryHtml() const override;

public Q_SLOTS:
    void selectTensor(int tensorPosition);
    // Starts the analysis now (the page also starts it itself, debounced, when choices change).
    void runAnalysis();

Q_SIGNALS:
    void analysisFinished();
    void analysisFailed(const QString& message);
    void sweepFinished();
    void detailFinished();
    void tensorSelected(int tensorPosition);
    // "Use in Budget": the plan's average bits per weight.
    void useBitsInBudget(double bitsPerWeight);

private:
    QWidget* buildOverviewTab();
    QWidget* buildGroupsTab();
    QWidget* buildTableTab();
    void modelChanged();
    void scheduleAnalysis();
    void showAnalysis(std::shared_ptr<const AnalysisResult> result);
    void selectedSchemeChanged();
    void runSweep();
    void runDetail();
    void showDetail();
    enum class GroupPick { Median, Worst };
    void selectGroup(GroupPick pick);
    void setStatus(const QString& message);
    int tensorPositionOfIndex(int tensorIndex) const;

    ModelSession* session_ = nullptr;
    std::shared_ptr<const TensorSource> source_;
    std::shared_ptr<const TensorSource> demo_;
    std::shared_ptr<const AnalysisResult> analysis_;
    ReportTableModel* schemeReportTable_ = nullptr;
    ReportTableModel* layerReportTable_ = nullptr;
    std::shared_ptr<const AnalysisResult> sweep_;
    int selectedTensor_ = -1;
    QString selectedTensorName_;
    QString preferredScheme_;  // restored before the analysis that lists it

    SchemePicker* picker_ = nullptr;
    QLabel* modelLabel_ = nullptr;
    QComboBox* schemeCombo_ = nullptr;
    QComboBox* tensorCombo_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QLabel* runInfo_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    ErrorHeatmap* heatmap_ = nullptr;
    QLabel* heatmapTitle_ = nullptr;
    QChartView* layerView_ = nullptr;
    QChartView* sweepView_ = nullptr;
    QComboBox* sweepSubject_ = nullptr;
    QLabel* sweepCaption_ = nullptr;
    QChartView* gridView_ = nullptr;
    QChartView* groupErrorView_ = nullptr;
    QSpinBox* groupSpin_ = nullptr;
    QCheckBox* zoomToGroup_ = nullptr;
    QLabel* groupCaption_ = nullptr;
    LegendNameFitter* gridLegend_ = nullptr;  // short legend names beside a narrow plot
    QTableView* table_ = nullptr;
    QLineEdit* tableFilter_ = nullptr;
    TensorResultsModel* results_ = nullptr;
    QSortFilterProxyModel* proxy_ = nullptr;
    PlanPanel* plan_ = nullptr;
    std::vector<int> layerOfCategory_;

    BackgroundJob* analysisJob_ = nullptr;
    BackgroundJob* sweepJob_ = nullptr;
    BackgroundJob* detailJob_ = nullptr;
    QTimer* debounce_ = nullptr;
    WeightStatistics statistics_;
    GroupInspection group_;
    bool detailValid_ = false;
};

}  // namespace cstudio::ui
