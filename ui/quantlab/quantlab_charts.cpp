#include "ui/quantlab/quantlab_charts.h"

#include "ui/distill/chart_style.h"
#include "ui/quantlab/chart_legend_fit.h"
#include "ui/quantlab/quantlab_format.h"

#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

namespace cstudio::ui {

namespace {

void attach(QChart* chart, QAbstractSeries* series, QAbstractAxis* x, QAbstractAxis* y)
{
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
}

// A comb of vertical lines at `levels` from `bottom` to `top` as one series (the return
// strokes run along the bottom edge of the plot).
QLineSeries* comb(const std::vector<double>& levels, double bottom, double top, double xMin, double xMax)
{
    auto* series = new QLineSeries;
    for (double level : levels) {
        if (level < xMin || level > xMax)
            continue;
        series->append(level, bottom);
        series->append(level, top);
        series->append(level, bottom);
    }
    return series;
}

}  // namespace

QString shortTensorName(const QString& name)
{
    QString shown = name;
    if (shown.endsWith(QLatin1String(".weight")))
        shown.chop(7);
    for (const QString& prefix : {QStringLiteral("model.layers."), QStringLiteral("encoder.layer."), QStringLiteral("model."),
                                  QStringLiteral("blk.")})
        if (shown.startsWith(prefix))
            return shown.mid(prefix.size());
    return shown;
}

void showChartMessage(QChart* chart, const QString& title, const QString& message)
{
    clearChart(chart);
    chart->setTitle(QStringLiteral("%1 \u2014 %2").arg(title, message));
}

QBarSeries* showLayerErrors(QChart* chart, const AnalysisResult& result, std::vector<int>* layers)
{
    clearChart(chart);
    chart->setTitle(QObject::tr("Relative RMSE per layer, by scheme"));
    auto* series = new QBarSeries;
    QStringList categories;
    layers->clear();
    for (const LayerAnalysis& layer : result.layers) {
        layers->push_back(layer.layer);
        categories << (layer.layer < 0 ? QObject::tr("other") : QString::number(layer.layer));
    }
    double maximum = 0;
    for (std::size_t s = 0; s < result.schemes.size(); ++s) {
        auto* set = new QBarSet(result.schemes[s].name);
        set->setColor(seriesColor(int(s)));
        set->setBorderColor(seriesColor(int(s)));
        for (const LayerAnalysis& layer : result.layers) {
            const SchemeMetrics& m = layer.results[s];
            const double value = m.error.elementCount > 0 ? m.error.relativeRmse() * 100.0 : 0.0;
            set->append(value);
            maximum = std::max(maximum, value);
        }
        series->append(set);
    }
    chart->addSeries(series);
    attachBarAxes(chart, series, categories, QObject::tr("relative RMSE (%)"), 0.0, niceCeiling(std::max(maximum, 1e-3)));
    if (auto* axis = qobject_cast<QBarCategoryAxis*>(chart->axes(Qt::Horizontal).value(0))) {
        axis->setTitleText(QObject::tr("layer (other = embeddings and head)"));
        axis->setLabelsAngle(0);
    }
    addBarTooltips(series, categories, QObject::tr("relative RMSE (%) of layer"));
    chart->legend()->setVisible(true);
    return series;
}

void showBitWidthSweep(QChart* chart, const BitWidthSweep& sweep, const QString& subject)
{
    clearChart(chart);
    chart->setTitle(QObject::tr("Bit-width sweep (int-b absmax) \u2014 %1").arg(subject));
    auto* x = new QValueAxis;
    x->setRange(sweep.bits.front() - 0.2, sweep.bits.back() + 0.2);
    x->setTickCount(int(sweep.bits.size()));
    x->setTickType(QValueAxis::TicksDynamic);
    x->setTickAnchor(2);
    x->setTickInterval(1);
    x->setLabelFormat(QStringLiteral("%d"));
    x->setTitleText(QObject::tr("bits per element (scales not counted)"));
    auto* y = new QLogValueAxis;
    y->setBase(10);
    y->setTitleText(QObject::tr("RMSE (weight units)"));
    y->setLabelFormat(QStringLiteral("%.0e"));
    y->setMinorTickCount(8);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    double lo = INFINITY, hi = 0;
    for (std::size_t g = 0; g < sweep.rmse.size(); ++g) {
        auto* line = new QLineSeries;
        line->setName(sweep.granularities[qsizetype(g)] == QLatin1String("tensor")
                          ? QObject::tr("per tensor")
                          : (sweep.granularities[qsizetype(g)] == QLatin1String("ch") ? QObject::tr("per row")
                                                                                      : QObject::tr("groups of %1").arg(sweep.granularities[qsizetype(g)].mid(1))));
        line->setPen(QPen(seriesColor(int(g)), 2.2));
        line->setPointsVisible(true);
        for (std::size_t b = 0; b < sweep.bits.size(); ++b) {
            const double value = sweep.rmse[g][b];
            if (std::isfinite(value) && value > 0) {
                line->append(sweep.bits[b], value);
                lo = std::min(lo, value);
                hi = std::max(hi, value);
            }
        }
        attach(chart, line, x, y);
    }
    if (hi > 0)
        y->setRange(std::pow(10.0, std::floor(std::log10(lo))), std::pow(10.0, std::ceil(std::log10(hi))));
    chart->legend()->setVisible(true);
}

void showGroupGrid(QChart* chart, const WeightStatistics& statistics, const GroupInspection& group,
                   const QString& tensorName, bool zoomToGroup)
{
    clearChart(chart);
    chart->setTitle(QObject::tr("%1 \u2014 group %2 of %3 under %4").arg(shortTensorName(tensorName)).arg(group.groupIndex).arg(group.groupCount).arg(group.scheme));
    const Histogram& histogram = statistics.histogram;
    double xMin = histogram.lower, xMax = histogram.upper;
    if (zoomToGroup && !group.values.empty()) {
        const auto [lo, hi] = std::minmax_element(group.values.begin(), group.values.end());
        const double pad = std::max(1e-12, (*hi - *lo) * 0.15);
        xMin = *lo - pad;
        xMax = *hi + pad;
    }
    auto* x = new QValueAxis;
    x->setRange(xMin, xMax);
    x->setTitleText(QObject::tr("weight value"));
    x->setLabelFormat(QStringLiteral("%.3g"));
    auto* y = new QLogValueAxis;
    y->setTitleText(QObject::tr("weights per bin (log scale)"));
    y->setLabelFormat(QStringLiteral("%g"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);

    const double bottom = 0.5;
    qint64 peak = 1;
    auto* upper = new QLineSeries;
    const double width = histogram.binWidth();
    for (std::size_t i = 0; i < histogram.counts.size(); ++i) {
        const double count = std::max(bottom, double(histogram.counts[i]));
        upper->append(histogram.lower + i * width, count);
        upper->append(histogram.lower + (i + 1) * width, count);
        peak = std::max(peak, histogram.counts[i]);
    }
    auto* lower = new QLineSeries;
    lower->append(histogram.lower, bottom);
    lower->append(histogram.upper, bottom);
    auto* area = new QAreaSeries(upper, lower);
    upper->setParent(area);  // QAreaSeries does not own its boundary series
    lower->setParent(area);
    setLegendNames(area, QObject::tr("all %1 weights of the tensor").arg(formatCount(double(statistics.count))),
                   QObject::tr("the tensor's weights"));
    area->setColor(QColor(160, 170, 185, 150));
    area->setBorderColor(QColor(110, 120, 135));
    attach(chart, area, x, y);
    const double top = std::pow(10.0, std::ceil(std::log10(double(peak) * 1.5)));
    y->setRange(bottom, top);

    if (!group.tensorLevels.empty()) {
        auto* global = comb(group.tensorLevels, bottom, top, xMin, xMax);
        setLegendNames(global,
                       QObject::tr("tensor scale: int%1, %2 levels, step %3")
                           .arg(group.tensorGridBits).arg(group.tensorLevels.size()).arg(group.tensorScale, 0, 'g', 3),
                       QObject::tr("tensor scale's levels"));
        global->setPen(QPen(QColor(0xD5, 0x5E, 0x00), 1.6, Qt::DashLine));
        attach(chart, global, x, y);
    }
    auto* local = comb(group.groupLevels, bottom, top / 10, xMin, xMax);
    setLegendNames(local,
                   group.groupGridComplete
                       ? QObject::tr("group scale: %1 levels, step %2").arg(group.groupLevels.size()).arg(group.groupScale, 0, 'g', 3)
                       : QObject::tr("levels the group uses: %1").arg(group.groupLevels.size()),
                   group.groupGridComplete ? QObject::tr("group scale's levels") : QObject::tr("the group's levels"));
    local->setPen(QPen(QColor(0x00, 0x72, 0xB2), 1.6));
    attach(chart, local, x, y);

    auto* weights = new QScatterSeries;
    setLegendNames(weights, QObject::tr("the group's %1 weights").arg(group.values.size()), QObject::tr("the group's weights"));
    weights->setMarkerSize(7);
    weights->setColor(QColor(0x00, 0x9E, 0x73));
    weights->setBorderColor(Qt::white);
    auto* quantized = new QScatterSeries;
    setLegendNames(quantized, QObject::tr("quantized (RMSE %1)").arg(group.rmse, 0, 'g', 3), QObject::tr("quantized"));
    quantized->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    quantized->setMarkerSize(6);
    quantized->setColor(QColor(0xCC, 0x79, 0xA7));
    quantized->setBorderColor(Qt::white);
    const std::size_t shown = std::min<std::size_t>(group.values.size(), 4096);
    for (std::size_t i = 0; i < shown; ++i) {
        weights->append(group.values[i], 2.0);
        quantized->append(group.dequantized[i], 1.0);
    }
    attach(chart, weights, x, y);
    attach(chart, quantized, x, y);
    // Five entries of a few words each: a column beside the plot, not a row that cuts them.
    // (Beside a narrow plot they show short names: LegendNameFitter, the page's caption.)
    chart->legend()->setAlignment(Qt::AlignRight);
    chart->legend()->setVisible(true);
}

void showGroupErrorDistribution(QChart* chart, const TensorAnalysis& tensor)
{
    clearChart(chart);
    chart->setTitle(QObject::tr("Per-group RMSE \u2014 %1").arg(shortTensorName(tensor.name)));
    auto* x = new QLogValueAxis;
    x->setTitleText(QObject::tr("RMSE of one group (weight units, log scale)"));
    x->setLabelFormat(QStringLiteral("%.0e"));
    x->setMinorTickCount(8);
    auto* y = new QValueAxis;
    y->setTitleText(QObject::tr("groups (%)"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    double lo = INFINITY, hi = 0, peak = 0;
    for (std::size_t s = 0; s < tensor.results.size(); ++s) {
        const SchemeMetrics& m = tensor.results[s];
        const LogHistogram& histogram = m.groupRmseHistogram;
        const qint64 total = histogram.total();
        if (!m.applicable || total == 0)
            continue;
        auto* line = new QLineSeries;
        line->setName(m.scheme);
        line->setPen(QPen(seriesColor(int(s)), 2.0));
        int first = 0, last = int(histogram.counts.size()) - 1;
        while (first < last && histogram.counts[std::size_t(first)] == 0)
            ++first;
        while (last > first && histogram.counts[std::size_t(last)] == 0)
            --last;
        for (int bin = std::max(1, first - 1); bin <= std::min(int(histogram.counts.size()) - 1, last + 1); ++bin) {
            const double centre = std::sqrt(LogHistogram::binLowerEdge(bin) * LogHistogram::binLowerEdge(bin + 1));
            const double share = 100.0 * double(histogram.counts[std::size_t(bin)]) / double(total);
            line->append(centre, share);
            lo = std::min(lo, centre);
            hi = std::max(hi, centre);
            peak = std::max(peak, share);
        }
        attach(chart, line, x, y);
    }
    if (hi > 0) {
        x->setRange(std::pow(10.0, std::floor(std::log10(lo))), std::pow(10.0, std::ceil(std::log10(hi))));
        y->setRange(0, niceCeiling(peak));
    }
    chart->legend()->setVisible(true);
}

}  // namespace cstudio::ui
