// The Budget page's widgets and how they follow the width and the font: controls beside the
// figures on a wide window, under them beside the Lessons dock or on a projector; fixed heights
// (so a new number never re-lays out the page) recomputed when presentation mode enlarges the font.
#include "core/budget/format_catalog.h"
#include "ui/budget/budget_charts.h"
#include "ui/budget/budget_controls.h"
#include "ui/budget/budget_page.h"
#include "ui/budget/precision_slider.h"
#include "ui/budget/readout.h"
#include "ui/widgets/whole_entry_combo_box.h"
#include "ui/widgets/width_adaptive_arrangement.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>
#include <algorithm>
#include <iterator>
#include <numeric>

namespace cstudio::ui {
namespace {

QString bitsText(double bits) { return QString::number(bits, 'g', 6); }

// The readouts' widths in one row: the first (weights in memory) is the page's main figure.
constexpr int kReadoutStretch[] = {5, 4, 4, 4, 4, 4};

QLabel* answerLabel(const QString& objectName, QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);  // long answers clip, never re-lay out the page
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

}  // namespace

void BudgetPage::buildLayout()
{
    // The page scrolls when the window is smaller than its content, so it never forces the
    // main window's minimum size.
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto* pageScroll = new QScrollArea(this);
    pageScroll->setWidgetResizable(true);
    pageScroll->setFrameShape(QFrame::NoFrame);
    auto* content = new QWidget;
    pageScroll->setWidget(content);
    outer->addWidget(pageScroll);
    auto* root = new QHBoxLayout(content);
    root->setContentsMargins(12, 12, 12, 12);
    root->setSpacing(12);

    controls_ = new BudgetControls;
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(controls_);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);  // its width: applyFonts()
    controlsScroll_ = scroll;
    root->addWidget(scroll);

    auto* right = new QVBoxLayout;
    right->setSpacing(8);
    root->addLayout(right, 1);

    auto* title = new QLabel(tr("Hardware budget"), this);
    pageTitle_ = title;
    auto* subtitle = new QLabel(tr("Memory = parameters × bits / 8 (1 GB = 10⁹ bytes) · devices = ceil((weights + KV) × "
                                   "(1 + overhead) / device memory) · hover any number for its formula"), this);
    subtitle->setWordWrap(true);
    subtitle->setForegroundRole(QPalette::PlaceholderText);
    right->addWidget(title);
    right->addWidget(subtitle);

    auto* precisionRow = new QGridLayout;
    precisionRow_ = precisionRow;
    auto* precisionLabel = new QLabel(tr("<b>Precision</b>"), this);
    precisionLabel_ = precisionLabel;
    formatCombo_ = new QComboBox(this);
    formatCombo_->setObjectName(QStringLiteral("formatCombo"));
    for (const budget::QuantFormat& format : formats_) {
        formatCombo_->addItem(QStringLiteral("%1 — %2 bits").arg(format.name, bitsText(format.bitsPerWeight)), format.bitsPerWeight);
        formatCombo_->setItemData(formatCombo_->count() - 1,
                                  QStringLiteral("%1\n%2").arg(format.whereYouMeetIt, format.bitsDerivation), Qt::ToolTipRole);
    }
    formatCombo_->addItem(tr("Between formats"));
    // As wide as its longest entry, so whichever format is chosen reads whole; on a narrow page
    // (a projector, beside the Lessons dock) the caption beside it moves under the row instead.
    keepEntriesWhole(formatCombo_);
    formatCombo_->setToolTip(tr("Jump to a catalog format; its bits per weight include block scales"));
    bitsSpin_ = new QDoubleSpinBox(this);
    bitsSpin_->setObjectName(QStringLiteral("bitsSpin"));
    bitsSpin_->setRange(PrecisionSlider::kMinBits, PrecisionSlider::kMaxBits);
    bitsSpin_->setDecimals(4);
    bitsSpin_->setSingleStep(0.25);
    bitsSpin_->setSuffix(tr(" bits/weight"));
    bitsSpin_->setKeyboardTracking(false);
    bitsSpin_->setToolTip(tr("Effective bits per weight, including scales and zero points"));
    formatNote_ = new QLabel(this);
    formatNote_->setObjectName(QStringLiteral("formatNote"));
    formatNote_->setForegroundRole(QPalette::PlaceholderText);
    formatNote_->setWordWrap(true);
    formatNote_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    formatNote_->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    precisionRow->addWidget(precisionLabel, 0, 0);
    precisionRow->addWidget(formatCombo_, 0, 1);
    precisionRow->addWidget(bitsSpin_, 0, 2);
    precisionRow->addWidget(formatNote_, 0, 3);
    precisionRow->setColumnStretch(3, 1);
    right->addLayout(precisionRow);

    slider_ = new PrecisionSlider(this);
    slider_->setFormats(formats_);
    right->addWidget(slider_);

    auto* readouts = new QGridLayout;
    readouts->setSpacing(8);
    readouts_ = readouts;
    weights_ = new Readout(tr("Weights in memory"), QStringLiteral("weightsReadout"), 1.9, this);
    gpus_ = new Readout(tr("GPUs needed"), QStringLiteral("gpusReadout"), 1.9, this);
    vs16_ = new Readout(tr("vs 16-bit"), QStringLiteral("vs16Readout"), 1.9, this);
    kv_ = new Readout(tr("KV cache"), QStringLiteral("kvReadout"), 1.4, this);
    speed_ = new Readout(tr("Decode bound"), QStringLiteral("speedReadout"), 1.4, this);
    cost_ = new Readout(tr("Cost"), QStringLiteral("costReadout"), 1.4, this);
    arrangeReadouts(6);
    right->addLayout(readouts);

    auto* answers = new QFrame(this);
    answers_ = answers;
    answers->setFrameShape(QFrame::StyledPanel);
    auto* answersLayout = new QVBoxLayout(answers);
    answersLayout->setContentsMargins(12, 8, 12, 8);
    answersLayout->setSpacing(3);
    verdict_ = answerLabel(QStringLiteral("verdictLabel"), answers);
    maxContext_ = answerLabel(QStringLiteral("maxContextLabel"), answers);
    bestFormat_ = answerLabel(QStringLiteral("bestFormatLabel"), answers);
    // The two longer answers wrap (two lines each, fixed) rather than being cut on a narrow page.
    maxContext_->setWordWrap(true);
    bestFormat_->setWordWrap(true);
    answersLayout->addWidget(verdict_);
    answersLayout->addWidget(maxContext_);
    answersLayout->addWidget(bestFormat_);
    right->addWidget(answers);

    auto* chartsCaption = new QLabel(tr("Charts: <b>▶ slider</b> is the precision chosen above, beside the catalog's formats "
                                        "(effective bits, scales included). Hover a bar for its formula."), this);
    chartsCaption->setForegroundRole(QPalette::PlaceholderText);
    chartsCaption->setWordWrap(true);
    right->addWidget(chartsCaption);
    charts_ = new BudgetCharts(this);
    right->addWidget(charts_, 1);
    applyFonts();

    // Beside the Lessons dock or on a projector the controls go under the figures, and the
    // controls then show whole (the page scrolls vertically, never sideways).
    new WidthAdaptiveArrangement(content, root, QBoxLayout::BottomToTop, [this](bool stacked) {
        controlsScroll_->setMinimumHeight(stacked ? controls_->sizeHint().height() : 0);
        scheduleFit();
    });
    content->installEventFilter(this);
}

void BudgetPage::arrangeReadouts(int columns)
{
    Readout* const all[] = {weights_, gpus_, vs16_, kv_, speed_, cost_};
    for (int i = 0; i < 6; ++i) {
        readouts_->removeWidget(all[i]);
        readouts_->setColumnStretch(i, 0);
    }
    for (int i = 0; i < 6; ++i) {
        readouts_->addWidget(all[i], i / columns, i % columns);
        readouts_->setColumnStretch(i % columns, columns == 6 ? kReadoutStretch[i] : 1);
    }
    readoutColumns_ = columns;
}

void BudgetPage::scheduleFit()
{
    if (fitPending_ || !readouts_)
        return;
    fitPending_ = true;
    QMetaObject::invokeMethod(this, &BudgetPage::fitFiguresToWidth, Qt::QueuedConnection);
}

void BudgetPage::fitFiguresToWidth()
{
    fitPending_ = false;
    const int rowWidth = readouts_->geometry().width();
    if (rowWidth <= 0)
        return;
    // Readouts: six in a row while each tile (the first is wider) shows its text, else 3 × 2, else 2 × 3.
    Readout* const all[] = {weights_, gpus_, vs16_, kv_, speed_, cost_};
    const int spacing = std::max(0, readouts_->horizontalSpacing());
    int columns = 2;
    for (int candidate : {6, 3}) {
        const int stretchSum = candidate == 6 ? std::accumulate(std::begin(kReadoutStretch), std::end(kReadoutStretch), 0) : candidate;
        bool fits = true;
        for (int i = 0; i < 6 && fits; ++i) {
            const int stretch = candidate == 6 ? kReadoutStretch[i] : 1;
            fits = (rowWidth - (candidate - 1) * spacing) * stretch / stretchSum >= all[i]->neededWidth();
        }
        if (fits) {
            columns = candidate;
            break;
        }
    }
    if (columns != readoutColumns_)
        arrangeReadouts(columns);
    // The precision caption: beside the controls while its two lines hold it there.
    const int rowSpacing = std::max(0, precisionRow_->horizontalSpacing());
    const int besideWidth = rowWidth - precisionLabel_->sizeHint().width() - formatCombo_->sizeHint().width() - bitsSpin_->sizeHint().width()
                            - 3 * rowSpacing;
    const bool below = besideWidth < 80 || formatNote_->heightForWidth(besideWidth) > formatNote_->minimumHeight();
    if (below != formatNoteBelow_) {
        precisionRow_->removeWidget(formatNote_);
        if (below)
            precisionRow_->addWidget(formatNote_, 1, 0, 1, 4);
        else
            precisionRow_->addWidget(formatNote_, 0, 3);
        formatNoteBelow_ = below;
    }
}

bool BudgetPage::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::Resize || event->type() == QEvent::LayoutRequest)
        scheduleFit();
    return QWidget::eventFilter(watched, event);
}

void BudgetPage::applyFonts()
{
    QFont titleFont = font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.5);
    titleFont.setBold(true);
    pageTitle_->setFont(titleFont);
    QFont verdictFont = font();
    verdictFont.setBold(true);
    verdictFont.setPointSizeF(verdictFont.pointSizeF() * 1.2);
    verdict_->setFont(verdictFont);
    formatNote_->setFixedHeight(2 * formatNote_->fontMetrics().lineSpacing() + 2);
    for (QLabel* answer : {maxContext_, bestFormat_})
        answer->setFixedHeight(2 * answer->fontMetrics().lineSpacing() + 2);
    scheduleFit();
    answers_->setFixedHeight(answers_->layout()->sizeHint().height());
    // The controls column: its content's width, at most 320 px at the normal font, more with
    // presentation mode's larger one.
    const double fontGrowth = baseFontPoints_ > 0 ? font().pointSizeF() / baseFontPoints_ : 1.0;
    controlsScroll_->setFixedWidth(std::min(controls_->sizeHint().width(), static_cast<int>(320 * fontGrowth)) + 16);
}

void BudgetPage::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange && pageTitle_)
        applyFonts();
}

}  // namespace cstudio::ui
