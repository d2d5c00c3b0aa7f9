#include "ui/distill/temperature_explorer_panel.h"

#include "core/distill/logit_validation.h"
#include "core/distill/softmax.h"
#include "core/distill/temperature_explorer.h"
#include "ui/distill/explorer_charts.h"
#include "ui/widgets/font_scaled_width.h"
#include "ui/widgets/width_adaptive_arrangement.h"
#include "ui/distill/logit_table_editor.h"

#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSlider>
#include <QVBoxLayout>
#include <cmath>

namespace cstudio::ui {

namespace {
constexpr double kMinTemperature = 0.1, kMaxTemperature = 20.0;
constexpr int kSliderSteps = 1000;
} // namespace

double TemperatureExplorerPanel::temperatureForSliderPosition(int position)
{
    return kMinTemperature * std::pow(kMaxTemperature / kMinTemperature, double(position) / kSliderSteps);
}

int TemperatureExplorerPanel::sliderPositionForTemperature(double tau)
{
    const double fraction = std::log(tau / kMinTemperature) / std::log(kMaxTemperature / kMinTemperature);
    return std::clamp(static_cast<int>(std::lround(fraction * kSliderSteps)), 0, kSliderSteps);
}

TemperatureExplorerPanel::TemperatureExplorerPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QHBoxLayout(this);
    auto* side = new QWidget(this);
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);

    auto* logitsBox = new QGroupBox(tr("Teacher and student logits"), side);
    auto* logitsLayout = new QVBoxLayout(logitsBox);
    editor_ = new LogitTableEditor(logitsBox);
    logitsLayout->addWidget(editor_);
    sideLayout->addWidget(logitsBox, 1);

    auto* controlsBox = new QGroupBox(tr("Temperature and loss"), side);
    auto* form = new QFormLayout(controlsBox);
    temperatureSlider_ = new QSlider(Qt::Horizontal, controlsBox);
    temperatureSlider_->setObjectName(QStringLiteral("temperatureSlider"));
    temperatureSlider_->setRange(0, kSliderSteps);
    temperatureSlider_->setToolTip(tr("Temperature \u03c4 from 0.1 to 20 on a logarithmic scale."));
    temperatureSpin_ = new QDoubleSpinBox(controlsBox);
    temperatureSpin_->setObjectName(QStringLiteral("temperatureSpin"));
    temperatureSpin_->setRange(kMinTemperature, kMaxTemperature);
    temperatureSpin_->setDecimals(2);
    temperatureSpin_->setSingleStep(0.1);
    auto* tauRow = new QHBoxLayout;
    tauRow->addWidget(temperatureSlider_, 1);
    tauRow->addWidget(temperatureSpin_);
    form->addRow(tr("\u03c4:"), tauRow);

    alphaSlider_ = new QSlider(Qt::Horizontal, controlsBox);
    alphaSlider_->setObjectName(QStringLiteral("alphaSlider"));
    alphaSlider_->setRange(0, 100);
    alphaSpin_ = new QDoubleSpinBox(controlsBox);
    alphaSpin_->setObjectName(QStringLiteral("alphaSpin"));
    alphaSpin_->setRange(0.0, 1.0);
    alphaSpin_->setDecimals(2);
    alphaSpin_->setSingleStep(0.05);
    const QString alphaTip = tr(
        "\u03b1 weighs the soft term: loss = \u03b1\u00b7\u03c4\u00b2\u00b7KL + (1\u2212\u03b1)\u00b7CE.");
    alphaSlider_->setToolTip(alphaTip);
    alphaSpin_->setToolTip(alphaTip);
    auto* alphaRow = new QHBoxLayout;
    alphaRow->addWidget(alphaSlider_, 1);
    alphaRow->addWidget(alphaSpin_);
    form->addRow(tr("\u03b1:"), alphaRow);

    overlayEdit_ = new QLineEdit(QStringLiteral("1, 2, 5, 10"), controlsBox);
    overlayEdit_->setObjectName(QStringLiteral("overlayEdit"));
    overlayEdit_->setToolTip(
        tr("Temperatures drawn side by side in the grouped bars, comma-separated (\u03c4 > 0)."));
    form->addRow(tr("Overlay \u03c4:"), overlayEdit_);
    sideLayout->addWidget(controlsBox);

    numbers_ = new QLabel(side);
    numbers_->setObjectName(QStringLiteral("lossNumbers"));
    numbers_->setTextFormat(Qt::RichText);
    numbers_->setWordWrap(true);
    numbers_->setToolTip(
        tr("All in nats (natural log) except entropy. KL(p_T\u2016p_S) = \u03a3 p_T log(p_T/p_S) at "
           "\u03c4; reverse KL swaps the two; CE = \u2212log p_S(\u03c4=1)[hard label]."));
    sideLayout->addWidget(numbers_);
    error_ = new QLabel(side);
    error_->setObjectName(QStringLiteral("explorerError"));
    error_->setWordWrap(true);
    error_->setStyleSheet(QStringLiteral("color: #b00020;"));
    sideLayout->addWidget(error_);

    charts_ = new ExplorerCharts(this);
    layout->addWidget(holdAtLeft(side));
    layout->addWidget(charts_, 1);
    scaleFixedWidthWithFont(side, 330);
    // Beside the Lessons dock or on a projector the charts go above the controls, at a height
    // that reads (the Distillation page scrolls vertically).
    // Beside the controls the charts need about 520 px (at the normal font) for one chart per
    // row to keep its titles and legend whole.
    auto* arrangement = new WidthAdaptiveArrangement(this, layout, QBoxLayout::BottomToTop,
        [this](bool stacked) { charts_->setReadingHeight(stacked); });
    arrangement->setLegibleSideBySideWidth(330 + layout->spacing() + 520);

    connect(temperatureSlider_, &QSlider::valueChanged, this, [this](int position) {
        if (!syncing_)
            setTemperature(temperatureForSliderPosition(position));
    });
    connect(temperatureSpin_, &QDoubleSpinBox::valueChanged, this, [this](double tau) {
        if (!syncing_)
            setTemperature(tau);
    });
    connect(alphaSlider_, &QSlider::valueChanged, this, [this](int percent) {
        if (syncing_)
            return;
        syncing_ = true;
        alphaSpin_->setValue(percent / 100.0);
        syncing_ = false;
        refresh();
    });
    connect(alphaSpin_, &QDoubleSpinBox::valueChanged, this, [this](double alpha) {
        if (syncing_)
            return;
        syncing_ = true;
        alphaSlider_->setValue(static_cast<int>(std::lround(alpha * 100)));
        syncing_ = false;
        refresh();
    });
    connect(overlayEdit_, &QLineEdit::editingFinished, this, &TemperatureExplorerPanel::refresh);
    connect(editor_, &LogitTableEditor::logitsChanged, this, &TemperatureExplorerPanel::teacherChanged);

    syncing_ = true;
    alphaSpin_->setValue(0.5);
    alphaSlider_->setValue(50);
    syncing_ = false;
    teacherChanged();
    setTemperature(2.0);
}

double TemperatureExplorerPanel::temperature() const
{
    return temperatureSpin_->value();
}

double TemperatureExplorerPanel::alpha() const
{
    return alphaSpin_->value();
}

void TemperatureExplorerPanel::setAlpha(double alpha)
{
    alphaSpin_->setValue(alpha);
}

QString TemperatureExplorerPanel::overlayText() const
{
    return overlayEdit_->text();
}

void TemperatureExplorerPanel::setOverlayText(const QString& text)
{
    overlayEdit_->setText(text);
    refresh();
}

QString TemperatureExplorerPanel::errorText() const
{
    return error_->text();
}

void TemperatureExplorerPanel::setTemperature(double tau)
{
    syncing_ = true;
    temperatureSpin_->setValue(tau);
    temperatureSlider_->setValue(sliderPositionForTemperature(temperatureSpin_->value()));
    syncing_ = false;
    refresh();
}

void TemperatureExplorerPanel::teacherChanged()
{
    const auto& logits = editor_->teacher().logits;
    // The curve is the costly part for a 150 000-class vocabulary: fewer points there.
    entropyCurve_
        = distill::entropyCurve(logits, kMinTemperature, kMaxTemperature, logits.size() > 10000 ? 40 : 120);
    refresh();
}

void TemperatureExplorerPanel::refresh()
{
    if (syncing_ || !temperatureSpin_)
        return;
    distill::ExplorerInput input;
    input.teacherLogits = editor_->teacher().logits;
    input.studentLogits = editor_->studentLogits();
    input.hardLabel = editor_->hardLabel();
    input.temperature = temperatureSpin_->value();
    input.alpha = alphaSpin_->value();
    Result<std::vector<double>> overlay
        = distill::parseNumberList(overlayEdit_->text(), tr("overlay temperatures"));
    if (!overlay) {
        error_->setText(overlay.error().message);
        return;
    }
    input.overlayTemperatures = std::move(overlay.value());
    Result<distill::ExplorerSnapshot> snapshot = distill::exploreTemperatures(input);
    if (!snapshot) {
        error_->setText(snapshot.error().message);
        return;
    }
    error_->clear();
    const auto& losses = snapshot->losses;
    const auto& teacher = snapshot->teacherAtTemperature;
    const QString label = editor_->teacher().labels.value(input.hardLabel);
    numbers_->setText(
        tr("<table cellspacing='2'>"
           "<tr><td>Teacher entropy at \u03c4 = %1:</td><td align='right'><b>%2 bits</b></td></tr>"
           "<tr><td>Effective classes 2^H:</td><td align='right'><b>%3</b></td></tr>"
           "<tr><td>KL(p_T\u2016p_S):</td><td align='right'><b>%4 nats</b></td></tr>"
           "<tr><td>Reverse KL(p_S\u2016p_T):</td><td align='right'><b>%5 nats</b></td></tr>"
           "<tr><td>CE with hard label \u201c%6\u201d:</td><td align='right'><b>%7 nats</b></td></tr>"
           "<tr><td>Hinton loss \u03b1\u03c4\u00b2KL + (1\u2212\u03b1)CE:</td><td align='right'><b>%8 "
           "nats</b></td></tr>"
           "</table>")
            .arg(QString::number(input.temperature, 'g', 3))
            .arg(teacher.entropyBits, 0, 'f', 3)
            .arg(teacher.effectiveClasses, 0, 'f', 2)
            .arg(losses.forwardKl, 0, 'f', 4)
            .arg(losses.reverseKl, 0, 'f', 4)
            .arg(label.toHtmlEscaped())
            .arg(losses.crossEntropy, 0, 'f', 4)
            .arg(losses.hintonLoss, 0, 'f', 4));
    charts_->display(*snapshot, editor_->teacher().labels, entropyCurve_,
        static_cast<int>(editor_->teacher().logits.size()));
}

} // namespace cstudio::ui
