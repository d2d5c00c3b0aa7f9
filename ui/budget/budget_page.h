#pragma once
// The Budget page: drag the bit-width slider and see the hardware bill (seed 000's
// calculator, grown up): weights in memory, GPUs needed, "vs 16-bit", KV cache per
// architecture, the decode speed bound and cost, a fit verdict with system RAM, the largest
// context that fits and the best catalog format, with four live charts. Every figure comes
// from core/budget; this page only arranges inputs and shows results.
#include "core/budget/budget_answers.h"
#include "core/budget/budget_estimate.h"
#include "core/report/budget_report_section.h"
#include "ui/studio_page.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QFrame;
class QGridLayout;

namespace cstudio {
class ReportTableModel;
}

namespace cstudio::ui {

class BudgetCharts;
class BudgetControls;
class PrecisionSlider;
class Readout;

class BudgetPage : public QWidget, public StudioPage {
    Q_OBJECT
public:
    explicit BudgetPage(QWidget* parent = nullptr);
    ~BudgetPage() override;

    // Other pages push a model here (the Weights page: the loaded model's parameter count and,
    // when known, its shape, so the KV cache can be counted). It becomes the "custom" model.
    void setCustomModel(const budget::ModelSpec& model);
    void setCustomModel(const QString& name, double totalParams, double activeParams = 0, int layers = 0,
                        int kvHeads = 0, int headDim = 0, qint64 maxContext = 0);

    double bits() const;
    PrecisionSlider* precisionSlider() const { return slider_; }
    BudgetCharts* charts() const { return charts_; }
    // The figures on screen for the slider's precision (valid when lastError() is empty).
    const budget::BudgetEstimate& currentEstimate() const { return estimate_; }
    QString lastError() const { return error_; }

    // StudioPage (ui/budget/budget_page_state.cpp): state keys are BudgetControls' plus
    // "bits" and "format" (a catalog format id such as "nf4_dq").
    QJsonObject saveState() const override;
    void restoreState(const QJsonObject& state, QStringList* warnings) override;
    QList<ExportableChart> exportableCharts() const override;
    QList<ExportableTable> exportableTables() const override;
    QString reportSummaryHtml() const override;

public Q_SLOTS:
    void setBits(double bits);

Q_SIGNALS:
    // After every recomputation (slider moved or an input changed).
    void estimateUpdated();

protected:
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void buildLayout();
    // Heights fixed so a new number never re-lays out the page follow the font (presentation mode).
    void applyFonts();
    // The readouts in `columns` columns (6: one row; 3 or 2: two or three rows).
    void arrangeReadouts(int columns);
    // After the width or the texts changed: as many readout columns as still show every tile's
    // text whole, and the precision caption beside the precision controls while it fits there
    // in its two lines, under them otherwise (ui/budget/budget_page_layout.cpp).
    void scheduleFit();
    void fitFiguresToWidth();
    void recomputeAll();
    void recomputeSelected(bool chartsToo);
    void showError(const QString& message);
    void syncPrecisionWidgets();
    QString selectedLabel() const;
    QList<BudgetPrecision> reportPrecisions() const;

    BudgetControls* controls_ = nullptr;
    PrecisionSlider* slider_ = nullptr;
    QDoubleSpinBox* bitsSpin_ = nullptr;
    QComboBox* formatCombo_ = nullptr;
    QLabel* formatNote_ = nullptr;
    QLabel* pageTitle_ = nullptr;
    QFrame* answers_ = nullptr;
    QGridLayout* readouts_ = nullptr;
    int readoutColumns_ = 0;
    QGridLayout* precisionRow_ = nullptr;
    QLabel* precisionLabel_ = nullptr;
    bool formatNoteBelow_ = false;
    bool fitPending_ = false;
    QWidget* controlsScroll_ = nullptr;
    double baseFontPoints_ = 0;  // the font at construction, before any presentation mode
    Readout* weights_ = nullptr;
    Readout* gpus_ = nullptr;
    Readout* vs16_ = nullptr;
    Readout* kv_ = nullptr;
    Readout* speed_ = nullptr;
    Readout* cost_ = nullptr;
    QLabel* verdict_ = nullptr;
    QLabel* maxContext_ = nullptr;
    QLabel* bestFormat_ = nullptr;
    BudgetCharts* charts_ = nullptr;

    std::vector<budget::QuantFormat> formats_;
    std::vector<const budget::QuantFormat*> chartFormats_;  // one per category after "selected"
    budget::BudgetEstimate estimate_;
    QString error_;
    bool syncing_ = false;
    ReportTableModel* precisionTable_ = nullptr;  // what exportableTables() offers, filled on demand
};

}  // namespace cstudio::ui
