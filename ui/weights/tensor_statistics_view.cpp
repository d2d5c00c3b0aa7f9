#include "ui/weights/tensor_statistics_view.h"

#include "ui/widgets/chart_title_fit.h"
#include "ui/widgets/width_adaptive_arrangement.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QEvent>
#include <QFontMetrics>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QProgressBar>
#include <QValueAxis>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace cstudio::ui {

int TensorStatisticsView::minimumChartHeight() const
{
    // Room for the title (two lines when the pane is narrow), legend, tick labels and the
    // vertical axis title at the current font (presentation mode's large font included): ~15
    // lines, never under 190 px.
    return std::max(190, 15 * QFontMetrics(font()).lineSpacing());
}

void TensorStatisticsView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::FontChange && chartView_)
        chartView_->setMinimumHeight(minimumChartHeight());
    QWidget::changeEvent(event);
}

TensorStatisticsView::TensorStatisticsView(QWidget* parent) : QWidget(parent)
{
    pool_.setMaxThreadCount(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    chart_ = new QChart;
    chart_->setObjectName(QStringLiteral("histogramChart"));
    chart_->legend()->setAlignment(Qt::AlignBottom);
    chart_->setMargins(QMargins(4, 4, 4, 4));
    chartView_ = new QChartView(chart_, this);
    chartView_->setRenderHint(QPainter::Antialiasing);
    chartView_->setMinimumHeight(minimumChartHeight());
    chartView_->setToolTip(tr("Histogram of the tensor's values: %1 equal-width bins from its minimum to its maximum. "
                              "Dashed lines mark mean ± 6σ.").arg(kBins));
    layout->addWidget(chartView_, 1);

    auto* controls = new QHBoxLayout;
    logScale_ = new QCheckBox(tr("Logarithmic count axis"), this);
    logScale_->setObjectName(QStringLiteral("histogramLogScale"));
    logScale_->setChecked(true);
    logScale_->setToolTip(tr("A log scale shows the rare outliers in the tails beside the Gaussian bulk"));
    connect(logScale_, &QCheckBox::toggled, this, &TensorStatisticsView::rebuildChart);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setTextVisible(false);
    progress_->setMaximumWidth(160);
    progress_->hide();
    status_ = new QLabel(this);
    status_->setObjectName(QStringLiteral("statisticsStatus"));
    status_->setWordWrap(true);  // a long tensor name wraps rather than widening the page
    status_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    controls->addWidget(logScale_);
    controls->addStretch(1);
    controls->addWidget(status_);
    controls->addWidget(progress_);
    layout->addLayout(controls);

    // Two blocks of four figures, side by side, or one above the other when the view is narrow
    // (beside the Lessons dock, presentation mode's larger font).
    auto* values = new QHBoxLayout;
    values->setSpacing(18);
    auto* grid = new QGridLayout;
    auto* range = new QGridLayout;
    for (QGridLayout* block : {grid, range})
        block->setHorizontalSpacing(18);
    mean_ = addValue(grid, 0, 0, tr("Mean"), tr("Arithmetic mean of the finite values"), QStringLiteral("statMean"));
    sigma_ = addValue(grid, 0, 1, tr("σ"), tr("Population standard deviation (ddof = 0, as numpy.std)"), QStringLiteral("statSigma"));
    minimum_ = addValue(range, 0, 0, tr("Min"), tr("Smallest finite value"), QStringLiteral("statMin"));
    maximum_ = addValue(range, 0, 1, tr("Max"), tr("Largest finite value"), QStringLiteral("statMax"));
    kurtosis_ = addValue(grid, 1, 0, tr("Excess kurtosis"),
                         tr("n·Σ(w−mean)⁴ / (Σ(w−mean)²)² − 3: 0 for a Gaussian; large values mean heavy tails (outliers)"),
                         QStringLiteral("statKurtosis"));
    maxOverSigma_ = addValue(grid, 1, 1, tr("max|w| / σ"),
                             tr("How many standard deviations the largest magnitude lies out: what stretches an absmax scale"),
                             QStringLiteral("statMaxOverSigma"));
    beyond6Sigma_ = addValue(range, 1, 0, tr("Beyond 6σ"),
                             tr("Share of values with |w − mean| > 6σ (a Gaussian has 2 in a billion)"), QStringLiteral("statBeyond6Sigma"));
    nonFinite_ = addValue(range, 1, 1, tr("NaN / Inf"), tr("Non-finite values: counted, and left out of every other figure"),
                          QStringLiteral("statNonFinite"));
    values->addLayout(grid);
    values->addLayout(range);
    values->addStretch(1);
    layout->addLayout(values);
    new WidthAdaptiveArrangement(this, values);
    clear();
}

TensorStatisticsView::~TensorStatisticsView()
{
    if (cancel_)
        cancel_->store(true);
    pool_.waitForDone();
}

QLabel* TensorStatisticsView::addValue(QGridLayout* grid, int row, int column, const QString& label, const QString& tooltip,
                                       const QString& objectName)
{
    auto* caption = new QLabel(label + QLatin1Char(':'), this);
    caption->setToolTip(tooltip);
    auto* value = new QLabel(this);
    value->setObjectName(objectName);
    value->setToolTip(tooltip);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    grid->addWidget(caption, row, 2 * column, Qt::AlignRight);
    grid->addWidget(value, row, 2 * column + 1);
    return value;
}

void TensorStatisticsView::clear()
{
    if (cancel_)
        cancel_->store(true);
    ++generation_;
    computing_ = false;
    hasStatistics_ = false;
    progress_->hide();
    status_->setText(tr("Select a tensor to see its distribution"));
    for (QLabel* label : {mean_, sigma_, minimum_, maximum_, kurtosis_, maxOverSigma_, beyond6Sigma_, nonFinite_})
        label->setText(QStringLiteral("–"));
    rebuildChart();
}

void TensorStatisticsView::showTensor(std::shared_ptr<const TensorSource> source, int index)
{
    clear();
    if (!source || index < 0 || std::size_t(index) >= source->tensors().size())
        return;
    const TensorInfo& info = source->tensors()[std::size_t(index)];
    tensorName_ = info.name;
    if (!info.decodable) {
        status_->setText(tr("%1 is stored as %2, which is listed but not decoded").arg(info.name, info.dtype));
        return;
    }
    cancel_ = std::make_shared<std::atomic_bool>(false);
    const quint64 generation = generation_;
    computing_ = true;
    progress_->setValue(0);
    progress_->show();
    status_->setText(tr("Computing statistics…"));
    status_->setToolTip(info.name);
    auto cancel = cancel_;
    const QString name = info.name;
    pool_.start([this, source, index, cancel, generation, name] {
        JobControl job;
        job.cancelRequested = cancel.get();
        job.onProgress = [this, generation](double fraction, const QString&) {
            QMetaObject::invokeMethod(this, [this, generation, fraction] {
                if (generation == generation_)
                    progress_->setValue(int(fraction * 1000));
            }, Qt::QueuedConnection);
        };
        StatisticsOptions options;
        options.bins = kBins;
        Result<WeightStatistics> result = computeTensorStatistics(*source, index, options, job);
        QMetaObject::invokeMethod(this, [this, generation, result, name] { finish(generation, result, name); },
                                  Qt::QueuedConnection);
    });
}

void TensorStatisticsView::finish(quint64 generation, const Result<WeightStatistics>& result, const QString& name)
{
    if (generation != generation_)
        return;  // a newer selection superseded this one
    computing_ = false;
    progress_->hide();
    if (!result) {
        status_->setText(tr("Could not read %1: %2").arg(name, result.error().toString()));
        return;
    }
    statistics_ = result.value();
    hasStatistics_ = true;
    const WeightStatistics& s = statistics_;
    // The name is the chart's title: the status stays one short line beside the check box.
    status_->setText(tr("%1 values").arg(QLocale().toString(s.count)));
    status_->setToolTip(name);
    mean_->setText(QString::number(s.mean, 'g', 4));
    sigma_->setText(QString::number(s.standardDeviation, 'g', 4));
    minimum_->setText(QString::number(s.minimum, 'g', 4));
    maximum_->setText(QString::number(s.maximum, 'g', 4));
    kurtosis_->setText(QString::number(s.excessKurtosis, 'f', 2));
    maxOverSigma_->setText(QString::number(s.maxAbsOverSigma, 'f', 1));
    beyond6Sigma_->setText(tr("%1 %  (%2 values)").arg(100.0 * s.shareBeyond6Sigma, 0, 'f', 3).arg(QLocale().toString(s.countBeyond6Sigma)));
    nonFinite_->setText(tr("%1 / %2").arg(s.nanCount).arg(s.infCount));
    rebuildChart();
    Q_EMIT statisticsReady();
}

void TensorStatisticsView::rebuildChart()
{
    chart_->removeAllSeries();
    for (QAbstractAxis* axis : chart_->axes()) {
        chart_->removeAxis(axis);  // gives the axis back to us: delete it
        delete axis;
    }
    if (!hasStatistics_) {
        setFittedChartTitle(chartView_, tr("Histogram"));
        return;
    }
    const Histogram& histogram = statistics_.histogram;
    const bool logarithmic = logScale_->isChecked();
    const double floor = logarithmic ? 0.8 : 0.0;  // empty bins sit on the log axis' floor
    auto* outline = new QLineSeries;
    double highest = 1.0;
    for (std::size_t bin = 0; bin < histogram.counts.size(); ++bin) {
        const double left = histogram.lower + double(bin) * histogram.binWidth();
        const double count = std::max(double(histogram.counts[bin]), floor);
        outline->append(left, count);
        outline->append(left + histogram.binWidth(), count);
        highest = std::max(highest, count);
    }
    auto* baseline = new QLineSeries;
    baseline->append(histogram.lower, floor);
    baseline->append(histogram.upper, floor);
    auto* area = new QAreaSeries(outline, baseline);
    outline->setParent(area);  // QAreaSeries does not own its boundary series
    baseline->setParent(area);
    area->setName(tr("values per bin (width %1)").arg(histogram.binWidth(), 0, 'g', 3));
    area->setColor(QColor(70, 130, 180, 170));
    area->setBorderColor(QColor(40, 90, 140));
    chart_->addSeries(area);

    auto* xAxis = new QValueAxis;
    xAxis->setTitleText(tr("weight value"));
    xAxis->setLabelFormat(QStringLiteral("%.3g"));
    QAbstractAxis* yAxis;
    if (logarithmic) {
        auto* axis = new QLogValueAxis;
        axis->setBase(10);
        axis->setRange(floor, highest * 2);
        axis->setLabelFormat(QStringLiteral("%g"));
        axis->setTitleText(tr("count (log)"));
        yAxis = axis;
    } else {
        auto* axis = new QValueAxis;
        axis->setRange(0, highest * 1.05);
        axis->setLabelFormat(QStringLiteral("%d"));
        axis->setTitleText(tr("count"));
        yAxis = axis;
    }
    chart_->addAxis(xAxis, Qt::AlignBottom);
    chart_->addAxis(yAxis, Qt::AlignLeft);
    area->attachAxis(xAxis);
    area->attachAxis(yAxis);

    // Mean ± 6σ, where they fall inside the range.
    const double sigma = statistics_.standardDeviation;
    bool labelled = false;
    for (double side : {-1.0, 1.0}) {
        const double x = statistics_.mean + side * 6.0 * sigma;
        if (sigma <= 0 || x < histogram.lower || x > histogram.upper)
            continue;
        auto* marker = new QLineSeries;
        marker->append(x, floor);
        marker->append(x, highest * (logarithmic ? 2 : 1.05));
        QPen pen(QColor(200, 40, 40));
        pen.setStyle(Qt::DashLine);
        pen.setWidthF(1.5);
        marker->setPen(pen);
        marker->setName(tr("mean ± 6σ"));
        chart_->addSeries(marker);
        marker->attachAxis(xAxis);
        marker->attachAxis(yAxis);
        if (labelled)
            chart_->legend()->markers(marker).value(0)->setVisible(false);
        labelled = true;
    }
    xAxis->setRange(histogram.lower, histogram.upper);
    // Ticks at round values (1, 2 or 5 × 10^k apart, through 0) over the data's exact range.
    const double span = histogram.upper - histogram.lower;
    if (span > 0) {
        double step = std::pow(10.0, std::floor(std::log10(span / 6.0)));
        for (double multiple : {1.0, 2.0, 5.0, 10.0})
            if (span / (step * multiple) <= 7.0) {
                step *= multiple;
                break;
            }
        xAxis->setTickType(QValueAxis::TicksDynamic);
        xAxis->setTickAnchor(0.0);
        xAxis->setTickInterval(step);
    }
    // A long tensor name breaks the title in two rather than being cut (a narrow pane).
    setFittedChartTitle(chartView_, tr("Distribution of %1").arg(tensorName_));
}

}  // namespace cstudio::ui
