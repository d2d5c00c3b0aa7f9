#pragma once
// The mixed-precision planner panel: a budget (GB of the whole model, or average bits per
// weight), the plan the core planner picks from the selected schemes (one scheme per tensor,
// least total squared error that fits), the plan beside every uniform scheme, exports (JSON and
// llama-quantize --tensor-type overrides) and "Use in Budget".
#include "core/analysis/mixed_precision_planner.h"

#include <QWidget>
#include <memory>
#include <optional>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QStandardItemModel;
class QTableView;

namespace cstudio::ui {

class PlanPanel : public QWidget {
    Q_OBJECT
public:
    explicit PlanPanel(QWidget* parent = nullptr);

    void setAnalysis(std::shared_ptr<const AnalysisResult> analysis);
    void setBudget(const PlanBudget& budget);
    PlanBudget budget() const;
    const std::optional<MixedPrecisionPlan>& plan() const { return plan_; }
    QString errorText() const;
    QStandardItemModel* comparisonModel() const { return comparison_; }
    QStandardItemModel* choicesModel() const { return choices_; }

    // Writes the plan atomically (QSaveFile); false with `error` set on failure.
    bool exportJson(const QString& path, QString* error) const;
    bool exportLlamaArguments(const QString& path, QString* error) const;

Q_SIGNALS:
    void useBitsInBudget(double bitsPerWeight);
    void tensorClicked(int tensorIndex);  // TensorSource index of a clicked plan row

private:
    void replan();
    void budgetKindChanged();
    void saveWithDialog(bool json);

    std::shared_ptr<const AnalysisResult> analysis_;
    std::optional<MixedPrecisionPlan> plan_;
    QComboBox* kind_ = nullptr;
    QDoubleSpinBox* value_ = nullptr;
    QLabel* summary_ = nullptr;
    QPushButton* exportJson_ = nullptr;
    QPushButton* exportLlama_ = nullptr;
    QPushButton* useInBudget_ = nullptr;
    QStandardItemModel* comparison_ = nullptr;
    QStandardItemModel* choices_ = nullptr;
    QTableView* comparisonView_ = nullptr;
    QTableView* choicesView_ = nullptr;
};

}  // namespace cstudio::ui
