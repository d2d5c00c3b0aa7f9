#pragma once
// The Distillation page's first tab: teacher and student logits on the left (presets, import,
// table), the temperature slider (0.1 to 20, logarithmic), α, the overlay temperatures and
// the losses as numbers; the four ExplorerCharts on the right.
#include <QWidget>

class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSlider;

namespace cstudio::ui {

class ExplorerCharts;
class LogitTableEditor;

class TemperatureExplorerPanel : public QWidget {
    Q_OBJECT
public:
    explicit TemperatureExplorerPanel(QWidget* parent = nullptr);

    double temperature() const;
    void setTemperature(double tau);
    LogitTableEditor* editor() const { return editor_; }
    double alpha() const;
    void setAlpha(double alpha);
    QString overlayText() const;
    void setOverlayText(const QString& text);
    // The last error shown (bad overlay temperatures...), empty when all is well.
    QString errorText() const;
    ExplorerCharts* charts() const { return charts_; }

    // Slider positions 0..1000 map to τ = 0.1 · 200^(position / 1000): 0.1 to 20, logarithmic.
    static double temperatureForSliderPosition(int position);
    static int sliderPositionForTemperature(double tau);

private:
    void teacherChanged();
    void refresh();

    LogitTableEditor* editor_ = nullptr;
    ExplorerCharts* charts_ = nullptr;
    QSlider* temperatureSlider_ = nullptr;
    QDoubleSpinBox* temperatureSpin_ = nullptr;
    QSlider* alphaSlider_ = nullptr;
    QDoubleSpinBox* alphaSpin_ = nullptr;
    QLineEdit* overlayEdit_ = nullptr;
    QLabel* numbers_ = nullptr;
    QLabel* error_ = nullptr;
    std::vector<std::pair<double, double>> entropyCurve_;
    bool syncing_ = false;
};

} // namespace cstudio::ui
