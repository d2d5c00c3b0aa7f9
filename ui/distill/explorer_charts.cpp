#include "ui/distill/explorer_charts.h"

#include "ui/distill/chart_style.h"
#include "ui/widgets/chart_title_fit.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QVBoxLayout>
#include <QValueAxis>
#include <cmath>

namespace cstudio::ui {

namespace {
QString tauText(double tau)
{
    return QString::number(tau, 'g', 3);
}

// 2^H: two decimals for a handful of classes, whole numbers (with separators) for thousands.
QString classCountText(double classes)
{
    return classes < 100.0 ? QString::number(classes, 'f', 2)
                           : QLocale().toString(std::round(classes), 'f', 0);
}

QBarSet* makeSet(
    const QString& name, const std::vector<double>& values, double rest, bool withRest, QColor color)
{
    auto* set = new QBarSet(name);
    for (double v : values)
        set->append(v);
    if (withRest)
        set->append(rest);
    set->setColor(color);
    set->setBorderColor(color.darker(115));
    return set;
}

// Widths (at the normal font) under which a row's two charts cut their texts: the top row's
// entropy chart (2/5 of it) needs about 290 px for its title and legend.
constexpr int kLegibleTopRowWidth = 720;
constexpr int kLegibleBottomRowWidth = 600;
constexpr int kMinimumChartWidth = 230;
constexpr int kMinimumChartHeight = 200;
constexpr int kReadingChartHeight = 320;
} // namespace

ExplorerCharts::ExplorerCharts(QWidget* parent)
    : QWidget(parent)
{
    // Two rows; the grouped bars, the page's main chart, get the most width.
    auto* rows = new QVBoxLayout(this);
    rows->setContentsMargins(0, 0, 0, 0);
    rows->setSpacing(8);
    auto* top = new QHBoxLayout;
    auto* bottom = new QHBoxLayout;
    rows->addLayout(top, 1);
    rows->addLayout(bottom, 1);
    overlayView_ = addCard(top, 3, QStringLiteral("overlayChart"), &overlayCaption_);
    entropyView_ = addCard(top, 2, QStringLiteral("entropyChart"), &entropyCaption_);
    comparisonView_ = addCard(bottom, 1, QStringLiteral("comparisonChart"), &comparisonCaption_);
    gradientView_ = addCard(bottom, 1, QStringLiteral("gradientChart"), &gradientCaption_);
    topRow_ = top;
    bottomRow_ = bottom;
    basePoints_ = font().pointSizeF();
    // The minimum width is one chart's whichever the rows' arrangement (two side by side only
    // from kLegibleTopRowWidth, far wider), so the arrangement never feeds back into the
    // width the page gives the charts.
    setMinimumWidth(kMinimumChartWidth);
    arrange();
}

void ExplorerCharts::setReadingHeight(bool on)
{
    readingHeight_ = on;
    arrange();
}

void ExplorerCharts::arrange()
{
    const double fontGrowth = basePoints_ > 0 ? font().pointSizeF() / basePoints_ : 1.0;
    bool oneChartPerRow = false;
    for (auto [row, legible] : { std::pair { topRow_, kLegibleTopRowWidth }, std::pair { bottomRow_, kLegibleBottomRowWidth } }) {
        const bool stack = width() < legible * fontGrowth;
        const QBoxLayout::Direction direction = stack ? QBoxLayout::TopToBottom : QBoxLayout::LeftToRight;
        if (row->direction() != direction)
            row->setDirection(direction);
        oneChartPerRow = oneChartPerRow || stack;
    }
    const bool tall = readingHeight_ || oneChartPerRow;
    const int height = static_cast<int>((tall ? kReadingChartHeight : kMinimumChartHeight) * fontGrowth);
    for (QChartView* view : { overlayView_, entropyView_, comparisonView_, gradientView_ })
        if (view->minimumHeight() != height)
            view->setMinimumHeight(height);
}

void ExplorerCharts::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        arrange();
}

void ExplorerCharts::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    arrange();
}

QChartView* ExplorerCharts::addCard(
    QHBoxLayout* row, int stretch, const QString& objectName, QLabel** caption)
{
    auto* card = new QWidget(this);
    auto* layout = new QVBoxLayout(card);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto* view = new QChartView(new QChart, card);
    view->setObjectName(objectName);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(kMinimumChartWidth, kMinimumChartHeight);
    styleChart(view->chart());
    *caption = new QLabel(card);
    (*caption)->setObjectName(objectName + QStringLiteral("Caption"));
    (*caption)->setWordWrap(true);
    (*caption)->setTextFormat(Qt::RichText);
    (*caption)->setStyleSheet(QStringLiteral("color: #444;"));
    layout->addWidget(view, 1);
    layout->addWidget(*caption);
    row->addWidget(card, stretch);
    return view;
}

QList<QPair<QString, QChartView*>> ExplorerCharts::views() const
{
    QList<QPair<QString, QChartView*>> list;
    for (QChartView* view : { overlayView_, entropyView_, comparisonView_, gradientView_ })
        list.append({ fittedChartTitle(view->chart()), view });
    return list;
}

void ExplorerCharts::display(const distill::ExplorerSnapshot& snapshot, const QStringList& labels,
    const std::vector<std::pair<double, double>>& entropyCurve, int classCount)
{
    QStringList categories;
    for (int index : snapshot.shownClasses)
        categories.push_back(labels.value(index, QStringLiteral("class %1").arg(index)));
    if (snapshot.restCount > 0)
        categories.push_back(tr("the rest"));
    drawOverlay(snapshot, categories);
    drawEntropy(snapshot, entropyCurve, classCount);
    drawComparison(snapshot, categories);
    drawGradient(snapshot, categories);
}

void ExplorerCharts::drawOverlay(const distill::ExplorerSnapshot& snapshot, const QStringList& categories)
{
    QChart* chart = overlayView_->chart();
    QChartView* view = overlayView_;
    clearChart(chart);
    QStringList taus;
    for (const auto& row : snapshot.overlay)
        taus.push_back(tauText(row.temperature));
    setFittedChartTitle(view, tr("Teacher softened at \u03c4 = %1").arg(taus.join(QStringLiteral(", "))));
    auto* series = new QBarSeries;
    double largest = 0.0;
    for (size_t i = 0; i < snapshot.overlay.size(); ++i) {
        const auto& row = snapshot.overlay[i];
        QBarSet* set = makeSet(tr("\u03c4 = %1").arg(tauText(row.temperature)), row.shownProbabilities,
            row.restProbability, snapshot.restCount > 0, seriesColor(static_cast<int>(i)));
        for (int k = 0; k < set->count(); ++k)
            largest = std::max(largest, set->at(k));
        series->append(set);
    }
    addBarTooltips(series, categories, tr("probability"));
    chart->addSeries(series);
    attachBarAxes(chart, series, categories, tr("probability p\u1d62(\u03c4)"), 0.0,
        std::min(1.0, niceCeiling(largest)));
    QStringList entropies;
    for (const auto& row : snapshot.overlay)
        entropies.push_back(tr("\u03c4 = %1: <b>%2 bits</b> (2^H = %3)")
                                .arg(tauText(row.temperature))
                                .arg(row.entropyBits, 0, 'f', 3)
                                .arg(classCountText(row.effectiveClasses)));
    const QString rest = snapshot.restCount == 0 ? QString()
                                                 : tr(" The %1 classes with the largest teacher logits are "
                                                      "drawn; \u201cthe rest\u201d holds the other %2.")
                                                       .arg(snapshot.shownClasses.size())
                                                       .arg(QLocale().toString(snapshot.restCount));
    overlayCaption_->setText(tr(
        "Entropy %1.<br>Each group is one class, each colour one temperature: p\u1d62(\u03c4) = softmax(z / "
        "\u03c4). At low \u03c4 the target is almost a hard label; as \u03c4 rises the wrong answers gain "
        "probability in the teacher's own order: the \u201cdark knowledge\u201d a student learns from.%2")
                                 .arg(entropies.join(QStringLiteral(" \u00b7 ")), rest));
}

void ExplorerCharts::drawEntropy(const distill::ExplorerSnapshot& snapshot,
    const std::vector<std::pair<double, double>>& curve, int classCount)
{
    QChart* chart = entropyView_->chart();
    QChartView* view = entropyView_;
    clearChart(chart);
    setFittedChartTitle(view, tr("Teacher entropy over temperature"));
    const double ceiling = std::log2(std::max(2, classCount));
    auto* line = new QLineSeries;
    line->setName(tr("H(\u03c4)"));
    for (const auto& [tau, bits] : curve)
        line->append(tau, bits);
    line->setPen(QPen(seriesColor(0), 2.5));
    auto* maximum = new QLineSeries;
    maximum->setName(tr("log\u2082 n = %1").arg(ceiling, 0, 'f', 3));
    maximum->append(0.1, ceiling);
    maximum->append(20.0, ceiling);
    maximum->setPen(QPen(QColor(120, 120, 120), 1.5, Qt::DashLine));
    auto* overlay = new QScatterSeries;
    overlay->setName(tr("overlay \u03c4"));
    overlay->setMarkerSize(10);
    overlay->setColor(seriesColor(1));
    for (const auto& row : snapshot.overlay)
        overlay->append(row.temperature, row.entropyBits);
    auto* slider = new QScatterSeries;
    slider->setObjectName(QStringLiteral("sliderMarker"));
    slider->setName(tr("slider \u03c4 = %1").arg(tauText(snapshot.teacherAtTemperature.temperature)));
    slider->setMarkerSize(14);
    slider->setColor(QColor(214, 39, 40));
    slider->append(snapshot.teacherAtTemperature.temperature, snapshot.teacherAtTemperature.entropyBits);
    for (QAbstractSeries* series : std::initializer_list<QAbstractSeries*> { line, maximum, overlay, slider })
        chart->addSeries(series);
    auto* xAxis = new QLogValueAxis;
    xAxis->setBase(10.0);
    xAxis->setRange(0.1, 20.0);
    xAxis->setLabelFormat(QStringLiteral("%g"));
    for (QLegendMarker* marker : chart->legend()->markers(maximum))
        marker->setVisible(false); // the dashed ceiling is named in the caption
    xAxis->setMinorTickCount(8);
    xAxis->setTitleText(tr("temperature \u03c4 (log scale)"));
    auto* yAxis = new QValueAxis;
    yAxis->setRange(0.0, ceiling * 1.08);
    yAxis->applyNiceNumbers();
    yAxis->setTitleText(tr("entropy H (bits)"));
    yAxis->setLabelFormat(QStringLiteral("%.1f"));
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    for (QAbstractSeries* series : chart->series()) {
        series->attachAxis(xAxis);
        series->attachAxis(yAxis);
    }
    const auto& atSlider = snapshot.teacherAtTemperature;
    entropyCaption_->setText(tr(
        "At the slider's \u03c4 = %1: <b>H = %2 bits, 2^H = %3 effective classes</b>.<br>H = \u2212\u03a3 p "
        "log\u2082 p of the softened teacher: 0 bits as \u03c4 \u2192 0 (one class), log\u2082 n = %4 bits "
        "as "
        "\u03c4 \u2192 \u221e (uniform over all %5 classes).")
                                 .arg(tauText(atSlider.temperature))
                                 .arg(atSlider.entropyBits, 0, 'f', 3)
                                 .arg(classCountText(atSlider.effectiveClasses))
                                 .arg(ceiling, 0, 'f', 3)
                                 .arg(QLocale().toString(classCount)));
}

void ExplorerCharts::drawComparison(const distill::ExplorerSnapshot& snapshot, const QStringList& categories)
{
    QChart* chart = comparisonView_->chart();
    QChartView* view = comparisonView_;
    clearChart(chart);
    const double tau = snapshot.teacherAtTemperature.temperature;
    setFittedChartTitle(view, tr("Teacher vs student at \u03c4 = %1").arg(tauText(tau)));
    auto* series = new QBarSeries;
    const bool rest = snapshot.restCount > 0;
    QBarSet* teacher = makeSet(tr("teacher p_T(\u03c4)"), snapshot.teacherAtTemperature.shownProbabilities,
        snapshot.teacherAtTemperature.restProbability, rest, seriesColor(0));
    QBarSet* student = makeSet(tr("student p_S(\u03c4)"), snapshot.studentAtTemperature.shownProbabilities,
        snapshot.studentAtTemperature.restProbability, rest, seriesColor(1));
    series->append(teacher);
    series->append(student);
    double largest = 0.0;
    for (QBarSet* set : { teacher, student })
        for (int k = 0; k < set->count(); ++k)
            largest = std::max(largest, set->at(k));
    addBarTooltips(series, categories, tr("probability"));
    chart->addSeries(series);
    attachBarAxes(
        chart, series, categories, tr("probability at \u03c4"), 0.0, std::min(1.0, niceCeiling(largest)));
    const auto& losses = snapshot.losses;
    comparisonCaption_->setText(
        tr("The soft term compares these two bars per class: KL(p_T\u2016p_S) = %1 nats, reverse "
           "KL(p_S\u2016p_T) = "
           "%2 nats. Hinton loss = \u03b1\u00b7\u03c4\u00b2\u00b7KL + (1\u2212\u03b1)\u00b7CE = %3 nats.")
            .arg(losses.forwardKl, 0, 'f', 4)
            .arg(losses.reverseKl, 0, 'f', 4)
            .arg(losses.hintonLoss, 0, 'f', 4));
}

void ExplorerCharts::drawGradient(const distill::ExplorerSnapshot& snapshot, const QStringList& categories)
{
    QChart* chart = gradientView_->chart();
    QChartView* view = gradientView_;
    clearChart(chart);
    setFittedChartTitle(view, tr("Gradient of the Hinton loss per student logit"));
    auto* series = new QBarSeries;
    QBarSet* set = makeSet(tr("\u2202loss/\u2202z_S,i (\u03b1 = %1, \u03c4 = %2)")
                               .arg(snapshot.losses.alpha, 0, 'g', 3)
                               .arg(tauText(snapshot.losses.temperature)),
        snapshot.shownGradient, snapshot.restGradient, snapshot.restCount > 0, seriesColor(3));
    series->append(set);
    double largest = 1e-6;
    for (int k = 0; k < set->count(); ++k)
        largest = std::max(largest, std::abs(set->at(k)));
    addBarTooltips(series, categories, tr("gradient"));
    chart->addSeries(series);
    const double limit = niceCeiling(largest);
    attachBarAxes(chart, series, categories, tr("\u2202loss / \u2202logit"), -limit, limit);
    gradientCaption_->setText(
        tr("\u03b1\u00b7\u03c4\u00b7(p_S(\u03c4) \u2212 p_T(\u03c4)) + (1\u2212\u03b1)\u00b7(p_S(1) \u2212 "
           "y). A negative "
           "bar means gradient descent raises that logit, a positive bar lowers it; the bars sum to zero. "
           "The \u03c4\u00b2 in the loss keeps the soft term's pull from fading as \u03c4 grows."));
}

} // namespace cstudio::ui
