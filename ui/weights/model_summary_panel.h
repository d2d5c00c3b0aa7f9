#pragma once
// The summary of the loaded model (parameters, size, bits per parameter, dtype mix, layers,
// width), the file's own metadata, and the "Use in Budget" button.
#include "core/formats/model_summary.h"

#include <QWidget>

class QFormLayout;
class QLabel;
class QPushButton;
class QTreeWidget;

namespace cstudio::ui {

class ModelSummaryPanel : public QWidget {
    Q_OBJECT
public:
    explicit ModelSummaryPanel(QWidget* parent = nullptr);

    void showSummary(const ModelSummary& summary, const std::vector<std::pair<QString, QString>>& metadata);
    void clear();
    const ModelSummary& summary() const { return summary_; }

Q_SIGNALS:
    void useInBudgetClicked();

private:
    QLabel* addRow(QFormLayout* form, const QString& label, const QString& tooltip, const QString& objectName);

    ModelSummary summary_;
    QLabel* name_ = nullptr;
    QLabel* parameters_ = nullptr;
    QLabel* size_ = nullptr;
    QLabel* bits_ = nullptr;
    QLabel* tensors_ = nullptr;
    QLabel* layers_ = nullptr;
    QLabel* hidden_ = nullptr;
    QLabel* dtypes_ = nullptr;
    QPushButton* useInBudget_ = nullptr;
    QTreeWidget* metadata_ = nullptr;
};

}  // namespace cstudio::ui
