#pragma once
// The precision slider: continuous from 1 to 32 bits per weight on a log2 scale (each octave
// the same width, so 2-8 bits get room), snapping to the catalog's formats, whose short names
// are painted on a scale under the groove. It wraps a real QSlider (keyboard, accessibility,
// tests drive it) whose integer position maps to bits.
#include "core/budget/format_catalog.h"

#include <QWidget>
#include <vector>

class QSlider;

namespace cstudio::ui {

class PrecisionScale;

class PrecisionSlider : public QWidget {
    Q_OBJECT
public:
    static constexpr int kSteps = 1000;       // slider positions from 1 bit to 32 bits
    static constexpr int kSnapRadius = 6;     // positions within which a format captures the slider
    static constexpr double kMinBits = 1.0;
    static constexpr double kMaxBits = 32.0;

    explicit PrecisionSlider(QWidget* parent = nullptr);

    void setFormats(std::vector<budget::QuantFormat> formats);
    double bits() const { return bits_; }
    // The catalog formats at the current bits (several formats can share a width: 4.5 bits is
    // Q4_K, Q4_0, NF4, NVFP4 and INT4 g32); empty when the bits are between formats.
    const std::vector<const budget::QuantFormat*>& formatsAtBits() const { return formatsAtBits_; }
    QSlider* slider() const { return slider_; }

    // Formats sharing a width are listed best-known first (Q4_K before Q4_0, NF4, NVFP4...).
    static int prominence(const budget::QuantFormat& format);
    static int positionForBits(double bits);
    static double bitsForPosition(int position);

public Q_SLOTS:
    void setBits(double bits);  // moves the slider; emits bitsChanged if the value changes

Q_SIGNALS:
    void bitsChanged(double bits);

private:
    void onSliderMoved(int position);
    void updateFormatsAtBits();

    QSlider* slider_ = nullptr;
    PrecisionScale* scale_ = nullptr;
    std::vector<budget::QuantFormat> formats_;
    std::vector<const budget::QuantFormat*> formatsAtBits_;
    double bits_ = 16;
    bool settingPosition_ = false;
};

}  // namespace cstudio::ui
