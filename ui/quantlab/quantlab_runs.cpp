// QuantLabPage: the runs (analysis, sweep, group detail, all off the GUI thread) and the
// selection that ties the views together.
#include "core/analysis/analysis_engine.h"
#include "core/analysis/bit_width_sweep.h"
#include "core/formats/demo_model.h"
#include "ui/model_session.h"
#include "ui/quantlab/background_job.h"
#include "ui/quantlab/chart_legend_fit.h"
#include "ui/quantlab/error_heatmap.h"
#include "ui/quantlab/plan_panel.h"
#include "ui/quantlab/quantlab_charts.h"
#include "ui/quantlab/quantlab_format.h"
#include "ui/quantlab/quantlab_page.h"
#include "ui/quantlab/scheme_picker.h"
#include "ui/quantlab/tensor_results_model.h"

#include <QBarSeries>
#include <QBarSet>
#include <QCheckBox>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMainWindow>
#include <QProgressBar>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <algorithm>
#include <limits>

namespace cstudio::ui {

namespace {
// Keeping every group's RMSE costs 4 bytes per group and scheme; above this many weights the
// page relies on the per-group histograms only.
constexpr qint64 kKeepGroupErrorsUpTo = 400'000'000;
}  // namespace

void QuantLabPage::modelChanged()
{
    std::shared_ptr<const TensorSource> model = session_ ? session_->model() : nullptr;
    if (!model) {
        if (!demo_)
            demo_ = makeDemoModel();
        model = demo_;
    }
    source_ = std::move(model);
    qint64 params = 0;
    for (const TensorInfo& tensor : source_->tensors())
        params += tensor.elementCount;
    // A path is shown by its last parts ("model/model.safetensors"); the tooltip has all of it.
    QString shown = source_->displayName();
    const QStringList parts = shown.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (parts.size() > 2)
        shown = QStringLiteral("\u2026/") + parts.mid(parts.size() - 2).join(QLatin1Char('/'));
    modelLabel_->setText(tr("<b>%1</b> (%2 weights)").arg(shown.toHtmlEscaped(), formatCount(double(params))));
    modelLabel_->setToolTip(source_ == demo_ ? tr("The built-in demo model. Open a model on the Weights page to analyse it here.")
                                             : tr("%1\nThe model loaded on the Weights page").arg(source_->displayName()));
    analysis_.reset();
    sweep_.reset();
    scheduleAnalysis();
}

void QuantLabPage::scheduleAnalysis()
{
    debounce_->start();
    setStatus(tr("Waiting to analyse\u2026"));
}

void QuantLabPage::setStatus(const QString& message)
{
    runInfo_->setText(message);
    if (auto* window = qobject_cast<QMainWindow*>(this->window()); window && isVisible())
        window->statusBar()->showMessage(tr("Quant Lab: %1").arg(message), 8000);
}

void QuantLabPage::runAnalysis()
{
    debounce_->stop();
    if (!source_)
        return;
    qint64 params = 0;
    for (const TensorInfo& tensor : source_->tensors())
        params += tensor.elementCount;
    AnalysisRequest request;
    request.schemes = picker_->schemes();
    request.errorHistograms = false;
    request.keepGroupErrors = params <= kKeepGroupErrorsUpTo;
    setStatus(tr("Analysing %1 schemes\u2026").arg(request.schemes.size()));
    progress_->setValue(0);
    std::shared_ptr<const TensorSource> source = source_;
    analysisJob_->start([this, source, request](const JobControl& control) -> std::function<void()> {
        Result<std::unique_ptr<AnalysisEngine>> engine = createAnalysisEngine();
        if (!engine)
            return [this, message = engine.error().message] { setStatus(message); Q_EMIT analysisFailed(message); };
        Result<AnalysisResult> result = (*engine)->run(*source, request, control);
        if (!result) {
            const QString message = result.error().message;
            return [this, message] {
                setStatus(message == QLatin1String("cancelled") ? tr("Cancelled") : tr("Analysis failed: %1").arg(message));
                Q_EMIT analysisFailed(message);
            };
        }
        auto shared = std::make_shared<const AnalysisResult>(std::move(*result));
        return [this, shared, source] {
            if (source == source_)
                showAnalysis(shared);
        };
    });
}

void QuantLabPage::showAnalysis(std::shared_ptr<const AnalysisResult> result)
{
    analysis_ = std::move(result);
    progress_->setValue(1000);
    const qint64 params = analysis_->model.empty() ? 0 : analysis_->model.front().params;
    setStatus(tr("%1 weights \u00d7 %2 schemes on %3 in %4 s")
                  .arg(formatCount(double(params)))
                  .arg(analysis_->schemes.size())
                  .arg(analysis_->device)
                  .arg(analysis_->seconds, 0, 'f', 2));
    {
        const QSignalBlocker block(schemeCombo_);
        const QString previous = preferredScheme_.isEmpty() ? schemeCombo_->currentText() : preferredScheme_;
        preferredScheme_.clear();
        schemeCombo_->clear();
        for (const Scheme& scheme : analysis_->schemes)
            schemeCombo_->addItem(scheme.name);
        // First look: the first scheme of 4 bits or fewer (where the differences show), unless
        // the user already chose one.
        int shown = schemeCombo_->findText(previous);
        for (int s = 0; shown < 0 && s < int(analysis_->schemes.size()); ++s)
            if (analysis_->schemes[std::size_t(s)].elementBits <= 4)
                shown = s;
        schemeCombo_->setCurrentIndex(std::max(0, shown));
    }
    {
        const QSignalBlocker block(tensorCombo_);
        tensorCombo_->clear();
        for (const TensorAnalysis& tensor : analysis_->tensors)
            tensorCombo_->addItem(tensor.name);
    }
    results_->setResult(analysis_);
    plan_->setAnalysis(analysis_);
    QBarSeries* bars = showLayerErrors(layerView_->chart(), *analysis_, &layerOfCategory_);
    connect(bars, &QBarSeries::clicked, this, [this, bars](int category, QBarSet* set) {
        if (!analysis_ || category < 0 || category >= int(layerOfCategory_.size()))
            return;
        const int scheme = int(bars->barSets().indexOf(set));
        const int layer = layerOfCategory_[std::size_t(category)];
        int worst = -1;
        double worstValue = -1;
        for (int t = 0; t < int(analysis_->tensors.size()); ++t) {
            const TensorAnalysis& tensor = analysis_->tensors[std::size_t(t)];
            if (tensor.layer != layer || scheme < 0)
                continue;
            const double value = tensor.results[std::size_t(scheme)].error.relativeRmse();
            if (value > worstValue) {
                worstValue = value;
                worst = t;
            }
        }
        selectTensor(worst);
    });
    int position = -1;
    for (int t = 0; t < int(analysis_->tensors.size()); ++t)
        if (analysis_->tensors[std::size_t(t)].name == selectedTensorName_)
            position = t;
    if (position < 0) {
        // First look: the block tensor with the largest error under the scheme shown (tiny
        // embeddings outside the blocks are rarely the story).
        double worst = -1;
        for (int t = 0; t < int(analysis_->tensors.size()); ++t) {
            const TensorAnalysis& tensor = analysis_->tensors[std::size_t(t)];
            const SchemeMetrics& m = tensor.results[std::size_t(selectedScheme())];
            const double value = m.applicable ? m.error.relativeRmse() + (tensor.layer >= 0 ? 1.0 : 0.0) : -1;
            if (value > worst) {
                worst = value;
                position = t;
            }
        }
    }
    selectedTensor_ = -1;
    heatmap_->setResult(analysis_, selectedScheme());
    heatmapTitle_->setText(tr("Relative RMSE by layer and role \u2014 %1").arg(schemeCombo_->currentText()));
    selectTensor(position);
    Q_EMIT analysisFinished();
}

void QuantLabPage::selectedSchemeChanged()
{
    if (!analysis_)
        return;
    heatmap_->setResult(analysis_, selectedScheme());
    heatmap_->setSelectedTensor(selectedTensor_);
    heatmapTitle_->setText(tr("Relative RMSE by layer and role \u2014 %1").arg(schemeCombo_->currentText()));
    const int position = selectedTensor_;
    selectedTensor_ = -1;
    selectTensor(position);  // table row and group view follow the scheme
}

int QuantLabPage::tensorPositionOfIndex(int tensorIndex) const
{
    if (!analysis_)
        return -1;
    for (int t = 0; t < int(analysis_->tensors.size()); ++t)
        if (analysis_->tensors[std::size_t(t)].tensorIndex == tensorIndex)
            return t;
    return -1;
}

void QuantLabPage::selectTensor(int tensorPosition)
{
    if (!analysis_ || tensorPosition < 0 || tensorPosition >= int(analysis_->tensors.size()) || tensorPosition == selectedTensor_)
        return;
    selectedTensor_ = tensorPosition;
    const TensorAnalysis& tensor = analysis_->tensors[std::size_t(tensorPosition)];
    selectedTensorName_ = tensor.name;
    {
        const QSignalBlocker block(tensorCombo_);
        tensorCombo_->setCurrentIndex(tensorPosition);
    }
    heatmap_->setSelectedTensor(tensorPosition);
    const int row = results_->rowOf(tensorPosition, selectedScheme());
    const QModelIndex proxyIndex = proxy_->mapFromSource(results_->index(row, 0));
    if (proxyIndex.isValid()) {
        table_->selectionModel()->select(proxyIndex, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        table_->scrollTo(proxyIndex);
    }
    showGroupErrorDistribution(groupErrorView_->chart(), tensor);
    // The group view starts on a typical (median-error) group; "Worst group" shows an outlier's.
    selectGroup(GroupPick::Median);
    runDetail();
    if (sweepSubject_->currentIndex() == 0 || !sweep_)
        runSweep();
    Q_EMIT tensorSelected(tensorPosition);
}

void QuantLabPage::selectGroup(GroupPick pick)
{
    if (!analysis_ || selectedTensor_ < 0)
        return;
    const TensorAnalysis& tensor = analysis_->tensors[std::size_t(selectedTensor_)];
    const std::size_t scheme = std::size_t(selectedScheme());
    qint64 chosen = 0;
    if (scheme < tensor.groupRmse.size() && !tensor.groupRmse[scheme].empty()) {
        const auto& errors = tensor.groupRmse[scheme];
        if (pick == GroupPick::Worst) {
            chosen = std::max_element(errors.begin(), errors.end()) - errors.begin();
        } else {
            // The group whose RMSE is the median: what most of the tensor looks like.
            std::vector<std::pair<float, qint64>> ranked;
            ranked.reserve(errors.size());
            for (std::size_t g = 0; g < errors.size(); ++g)
                ranked.emplace_back(errors[g], qint64(g));
            auto middle = ranked.begin() + long(ranked.size() / 2);
            std::nth_element(ranked.begin(), middle, ranked.end());
            chosen = middle->second;
        }
    }
    const QSignalBlocker block(groupSpin_);
    const Scheme& schemeRow = analysis_->schemes[scheme];
    TensorInfo info;
    info.shape = tensor.shape;
    info.elementCount = tensor.params;
    const qint64 groupLength = std::max<qint64>(1, schemeRow.groupLength(info));
    const qint64 groups = (tensor.params + groupLength - 1) / groupLength;
    groupSpin_->setRange(0, int(std::clamp<qint64>(groups - 1, 0, std::numeric_limits<int>::max())));
    groupSpin_->setSuffix(tr(" of %1").arg(groups));
    groupSpin_->setValue(int(std::min<qint64>(chosen, groupSpin_->maximum())));
}

void QuantLabPage::runDetail()
{
    if (!analysis_ || selectedTensor_ < 0)
        return;
    const TensorAnalysis& tensor = analysis_->tensors[std::size_t(selectedTensor_)];
    const int schemePosition = selectedScheme();
    const Scheme scheme = analysis_->schemes[std::size_t(schemePosition)];
    const float clipRatio = tensor.results[std::size_t(schemePosition)].clipRatio;
    const qint64 groupIndex = groupSpin_->value();
    const int tensorIndex = tensor.tensorIndex;
    std::shared_ptr<const TensorSource> source = source_;
    detailJob_->start([this, source, tensorIndex, scheme, clipRatio, groupIndex](const JobControl& control) -> std::function<void()> {
        StatisticsOptions options;
        options.bins = 160;
        Result<WeightStatistics> statistics = computeTensorStatistics(*source, tensorIndex, options, control);
        if (!statistics)
            return [this, message = statistics.error().message] { showChartMessage(gridView_->chart(), tr("Group view"), message); };
        Result<GroupInspection> group = inspectGroup(*source, tensorIndex, scheme, groupIndex, clipRatio, control);
        if (!group)
            return [this, message = group.error().message] { showChartMessage(gridView_->chart(), tr("Group view"), message); };
        return [this, stats = std::move(*statistics), inspected = std::move(*group)]() mutable {
            statistics_ = std::move(stats);
            group_ = std::move(inspected);
            detailValid_ = true;
            showDetail();
            Q_EMIT detailFinished();
        };
    });
}

void QuantLabPage::showDetail()
{
    if (!detailValid_ || !analysis_ || selectedTensor_ < 0)
        return;
    showGroupGrid(gridView_->chart(), statistics_, group_, analysis_->tensors[std::size_t(selectedTensor_)].name,
                  zoomToGroup_->isChecked());
    gridLegend_->refit();
}

void QuantLabPage::runSweep()
{
    if (!source_ || !analysis_)
        return;
    const bool wholeModel = sweepSubject_->currentIndex() == 1;
    if (!wholeModel && selectedTensor_ < 0)
        return;
    AnalysisRequest request;
    for (const QString& name : bitWidthSweepSchemeNames())
        if (Result<Scheme> scheme = parseScheme(name))
            request.schemes.push_back(*scheme);
    request.errorHistograms = false;
    QString subject = tr("whole model");
    if (!wholeModel) {
        const TensorAnalysis& tensor = analysis_->tensors[std::size_t(selectedTensor_)];
        request.tensorIndices = {tensor.tensorIndex};
        subject = shortTensorName(tensor.name);
    }
    std::shared_ptr<const TensorSource> source = source_;
    showChartMessage(sweepView_->chart(), tr("Bit-width sweep"), tr("running 35 schemes on %1\u2026").arg(subject));
    sweepJob_->start([this, source, request, subject](const JobControl& control) -> std::function<void()> {
        Result<AnalysisResult> result = analyzeWeights(*source, request, control);
        if (!result)
            return [this, message = result.error().message] { showChartMessage(sweepView_->chart(), tr("Bit-width sweep"), message); };
        auto shared = std::make_shared<const AnalysisResult>(std::move(*result));
        return [this, shared, subject] {
            sweep_ = shared;
            const BitWidthSweep sweep = bitWidthSweepFrom(*shared, -1);
            showBitWidthSweep(sweepView_->chart(), sweep, subject);
            // Seed 002's printed table (bits | one global scale | groups of 64) for this subject.
            QString table = tr("<p>%1 weights, 35 schemes on %2 in %3 s</p><p>Seed 002's table for %4:</p>"
                               "<table cellspacing=6><tr><th>bits</th><th>one global scale</th><th>group-wise (g=64)</th></tr>")
                                .arg(formatCount(double(sweep.params)), shared->device)
                                .arg(shared->seconds, 0, 'f', 2)
                                .arg(subject.toHtmlEscaped());
            for (int bits : {8, 4, 3, 2}) {
                const std::size_t b = std::size_t(bits - sweep.bits.front());
                table += QStringLiteral("<tr><td align=right>%1</td><td align=right>%2</td><td align=right>%3</td></tr>")
                             .arg(bits)
                             .arg(sweep.rmse[0][b], 0, 'f', 6)
                             .arg(sweep.rmse[3][b], 0, 'f', 6);
            }
            sweepView_->setToolTip(table + QStringLiteral("</table>"));
            Q_EMIT sweepFinished();
        };
    });
}

}  // namespace cstudio::ui
