#include "ui/budget/precision_slider.h"

#include "ui/budget/precision_scale.h"

#include <QSlider>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace cstudio::ui {

PrecisionSlider::PrecisionSlider(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    slider_ = new QSlider(Qt::Horizontal, this);
    slider_->setObjectName(QStringLiteral("precisionSlider"));
    slider_->setRange(0, kSteps);
    // One arrow-key step leaves a format's snap radius, so the keyboard never gets stuck.
    slider_->setSingleStep(kSnapRadius + 2);
    slider_->setPageStep(kSteps / 10);
    slider_->setAccessibleName(tr("Precision in bits per weight"));
    slider_->setToolTip(tr("Bits per weight, 1 to 32 on a log scale. The slider snaps to the catalog's formats "
                           "(their effective bits include block scales); between them it is continuous."));
    scale_ = new PrecisionScale(slider_, this);
    layout->addWidget(slider_);
    layout->addWidget(scale_);
    connect(slider_, &QSlider::valueChanged, this, &PrecisionSlider::onSliderMoved);
    setBits(16);
}

int PrecisionSlider::positionForBits(double bits)
{
    bits = std::clamp(bits, kMinBits, kMaxBits);
    return static_cast<int>(std::lround(kSteps * std::log2(bits / kMinBits) / std::log2(kMaxBits / kMinBits)));
}

double PrecisionSlider::bitsForPosition(int position)
{
    return kMinBits * std::exp2(std::log2(kMaxBits / kMinBits) * position / static_cast<double>(kSteps));
}

int PrecisionSlider::prominence(const budget::QuantFormat& format)
{
    static const QStringList wellKnown = {QStringLiteral("q4_k"), QStringLiteral("nf4"), QStringLiteral("int8"),
                                          QStringLiteral("fp8_e4m3"), QStringLiteral("bf16"), QStringLiteral("mxfp4"),
                                          QStringLiteral("int4_g128")};
    const auto index = wellKnown.indexOf(format.id);
    return index < 0 ? static_cast<int>(wellKnown.size()) : static_cast<int>(index);
}

void PrecisionSlider::setFormats(std::vector<budget::QuantFormat> formats)
{
    formats_ = std::move(formats);
    scale_->setFormats(&formats_);
    updateFormatsAtBits();
}

void PrecisionSlider::setBits(double bits)
{
    if (!std::isfinite(bits))
        return;
    bits = std::clamp(bits, kMinBits, kMaxBits);
    settingPosition_ = true;
    slider_->setValue(positionForBits(bits));
    settingPosition_ = false;
    if (bits != bits_) {
        bits_ = bits;
        updateFormatsAtBits();
        Q_EMIT bitsChanged(bits_);
    }
}

void PrecisionSlider::onSliderMoved(int position)
{
    if (settingPosition_)
        return;
    // Snap to the nearest format within the radius; otherwise the bits are continuous,
    // rounded to 1/100 bit so readouts stay calm.
    double bits = std::round(bitsForPosition(position) * 100) / 100;
    int nearest = kSnapRadius + 1;
    for (const budget::QuantFormat& format : formats_) {
        const int distance = std::abs(positionForBits(format.bitsPerWeight) - position);
        if (distance < nearest && format.bitsPerWeight >= kMinBits && format.bitsPerWeight <= kMaxBits) {
            nearest = distance;
            bits = format.bitsPerWeight;
        }
    }
    if (bits == bits_)
        return;
    bits_ = bits;
    updateFormatsAtBits();
    Q_EMIT bitsChanged(bits_);
}

void PrecisionSlider::updateFormatsAtBits()
{
    formatsAtBits_.clear();
    for (const budget::QuantFormat& format : formats_)
        if (std::abs(format.bitsPerWeight - bits_) < 1e-9)
            formatsAtBits_.push_back(&format);
    std::stable_sort(formatsAtBits_.begin(), formatsAtBits_.end(),
                     [](const budget::QuantFormat* a, const budget::QuantFormat* b) { return prominence(*a) < prominence(*b); });
}

}  // namespace cstudio::ui
