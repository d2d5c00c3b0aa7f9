#pragma once
// The selected tensor's histogram (Qt Charts) and its statistics: mean, σ, min/max, excess
// kurtosis, max|w|/σ, the share beyond 6σ, NaN/Inf counts. Computed by core's
// computeTensorStatistics() on a worker thread, streaming the tensor in chunks; selecting
// another tensor cancels the running computation.
#include "core/analysis/weight_statistics.h"

#include <QWidget>
#include <atomic>
#include <memory>
#include <QThreadPool>

class QCheckBox;
class QChart;
class QChartView;
class QGridLayout;
class QLabel;
class QProgressBar;

namespace cstudio::ui {

class TensorStatisticsView : public QWidget {
    Q_OBJECT
public:
    explicit TensorStatisticsView(QWidget* parent = nullptr);
    ~TensorStatisticsView() override;

    void showTensor(std::shared_ptr<const TensorSource> source, int index);
    void clear();
    bool isComputing() const { return computing_; }
    const WeightStatistics& statistics() const { return statistics_; }
    QChart* chart() const { return chart_; }

    static constexpr int kBins = 100;

Q_SIGNALS:
    void statisticsReady();

protected:
    void changeEvent(QEvent* event) override;

private:
    int minimumChartHeight() const;
    void finish(quint64 generation, const Result<WeightStatistics>& result, const QString& name);
    void rebuildChart();
    QLabel* addValue(QGridLayout* grid, int row, int column, const QString& label, const QString& tooltip,
                     const QString& objectName);

    QThreadPool pool_;
    std::shared_ptr<std::atomic_bool> cancel_;
    quint64 generation_ = 0;
    bool computing_ = false;
    WeightStatistics statistics_;
    bool hasStatistics_ = false;
    QString tensorName_;
    QChart* chart_ = nullptr;
    QChartView* chartView_ = nullptr;
    QCheckBox* logScale_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* status_ = nullptr;
    QLabel *mean_ = nullptr, *sigma_ = nullptr, *minimum_ = nullptr, *maximum_ = nullptr;
    QLabel *kurtosis_ = nullptr, *maxOverSigma_ = nullptr, *beyond6Sigma_ = nullptr, *nonFinite_ = nullptr;
};

}  // namespace cstudio::ui
