#pragma once
// The Distillation page's second tab: train a teacher and two small students on the UCI
// digits (core/distill/distillation_playground.h) in a worker thread, drawing accuracy and
// loss curves epoch by epoch, with Stop, and the final numbers side by side.
#include "core/distill/distillation_playground.h"

#include <QWidget>
#include <atomic>
#include <memory>
#include <optional>

class QDoubleSpinBox;
class QLabel;
class QLineSeries;
class QChartView;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QThread;

namespace cstudio::ui {

class PlaygroundPanel : public QWidget {
    Q_OBJECT
public:
    explicit PlaygroundPanel(QWidget* parent = nullptr);
    ~PlaygroundPanel() override;

    bool isRunning() const { return thread_ != nullptr; }
    distill::PlaygroundConfig config() const;
    // Sets the controls (clamped to their ranges); takes effect at the next Train.
    void setConfig(const distill::PlaygroundConfig& config);
    QChartView* accuracyView() const { return accuracyView_; }
    QChartView* lossView() const { return lossView_; }
    // The last finished run, if any (for reports).
    const std::optional<distill::PlaygroundResult>& lastRun() const { return lastRun_; }

public Q_SLOTS:
    void start();
    void stop();

Q_SIGNALS:
    void finished(bool cancelled);

protected:
    void changeEvent(QEvent* event) override;

private:
    // The charts' minimum height: taller when they sit above the controls (narrow), from the
    // font's line height so presentation mode's larger font keeps the axis titles whole.
    void updateChartHeights();
    void resetCharts(const distill::PlaygroundConfig& config);
    void addEpoch(const distill::EpochRecord& record, double teacherTestAccuracy);
    void finish(const Result<distill::PlaygroundResult>& result);

    QDoubleSpinBox* temperature_ = nullptr;
    QDoubleSpinBox* alpha_ = nullptr;
    QSpinBox* epochs_ = nullptr;
    QSpinBox* trainImages_ = nullptr;
    QSpinBox* studentHidden_ = nullptr;
    QSpinBox* seed_ = nullptr;
    QPushButton* startButton_ = nullptr;
    QPushButton* stopButton_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* status_ = nullptr;
    QLabel* results_ = nullptr;
    QChartView* accuracyView_ = nullptr;
    QChartView* lossView_ = nullptr;
    bool chartsStacked_ = false;
    // Accuracy and loss curves: [hard train, hard test, soft train, soft test], + teacher.
    QLineSeries* accuracy_[4] = {};
    QLineSeries* loss_[4] = {};
    QLineSeries* teacherAccuracy_ = nullptr;
    double lossCeiling_ = 0.0;

    std::optional<distill::PlaygroundResult> lastRun_;
    QThread* thread_ = nullptr;
    std::shared_ptr<std::atomic_bool> cancel_;
};

} // namespace cstudio::ui
