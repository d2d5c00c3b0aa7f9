#pragma once
// The Budget page's left panel: which model (catalog or custom parameter count), which device
// (catalog or custom memory/bandwidth/price) and how many, and the workload (overhead,
// context, batch, KV precision, system RAM). It only gathers input; core computes.
#include "core/budget/budget_estimate.h"

#include <QJsonObject>
#include <QStringList>
#include <QWidget>
#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSettings;
class QSpinBox;

namespace cstudio::ui {

class BudgetControls : public QWidget {
    Q_OBJECT
public:
    explicit BudgetControls(QWidget* parent = nullptr);

    // Everything but the bits per weight, which the precision slider owns.
    budget::BudgetInput input() const;
    // Adds (or replaces) the "custom" entry with this model and selects it.
    void setCustomModel(const budget::ModelSpec& model);
    void loadSettings(QSettings& settings);
    void saveSettings(QSettings& settings) const;
    QString catalogError() const { return catalogError_; }

    // Session and lesson state (ui/budget/budget_page_state.cpp): "model" and "device" (catalog
    // ids or "custom"), "params", "activeParams", "deviceMemoryGB", "deviceBandwidthGBs",
    // "devicePricePerHour", "deviceCount", "overheadPercent", "context", "batch", "kvBits",
    // "systemRamGB". Restoring takes the keys present and leaves the others.
    QJsonObject saveState() const;
    void restoreState(const QJsonObject& state, QStringList* warnings);

Q_SIGNALS:
    void changed();

private:
    void onModelChosen();
    void onDeviceChosen();
    void onCustomModelEdited();
    void onCustomDeviceEdited();
    void describeModel();

    std::vector<budget::ModelSpec> models_;
    std::vector<budget::DeviceSpec> devices_;
    budget::ModelSpec customModel_;
    budget::DeviceSpec customDevice_;
    QString catalogError_;
    bool updating_ = false;

    QComboBox* modelCombo_ = nullptr;
    QDoubleSpinBox* totalParams_ = nullptr;
    QDoubleSpinBox* activeParams_ = nullptr;
    QLabel* modelSummary_ = nullptr;
    QComboBox* deviceCombo_ = nullptr;
    QDoubleSpinBox* deviceMemory_ = nullptr;
    QDoubleSpinBox* deviceBandwidth_ = nullptr;
    QDoubleSpinBox* devicePrice_ = nullptr;
    QSpinBox* deviceCount_ = nullptr;
    QSpinBox* overhead_ = nullptr;
    QSpinBox* context_ = nullptr;
    QSpinBox* batch_ = nullptr;
    QComboBox* kvBits_ = nullptr;
    QSpinBox* systemRam_ = nullptr;
};

}  // namespace cstudio::ui
