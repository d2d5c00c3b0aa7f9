#include "ui/budget/budget_page.h"

#include "core/budget/format_catalog.h"
#include "core/report/report_table_model.h"
#include "ui/budget/budget_charts.h"
#include "ui/budget/budget_controls.h"
#include "ui/budget/precision_slider.h"
#include "ui/budget/readout.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLocale>
#include <QSettings>
#include <QSlider>

namespace cstudio::ui {
namespace {

const char* const kChartFormatIds[] = {"fp32", "bf16", "fp8_e4m3", "q8_0", "q6_k", "q5_k", "q4_k",
                                       "mxfp4", "int4_g128", "q3_k", "q2_k", "vq2"};
// The small charts (devices, speed, cost) have room for fewer labels.
const QStringList kSmallChartFormatIds = {QStringLiteral("fp32"), QStringLiteral("bf16"), QStringLiteral("fp8_e4m3"),
                                          QStringLiteral("q6_k"), QStringLiteral("q4_k"), QStringLiteral("q3_k"),
                                          QStringLiteral("q2_k")};

QString gbText(double gigabytes)
{
    return QString::number(gigabytes, 'f', gigabytes < 10 ? 2 : 1) + QStringLiteral(" GB");
}

QString bitsText(double bits) { return QString::number(bits, 'g', 6); }

QString chartLabel(const budget::QuantFormat& format) { return format.shortName; }

}  // namespace

BudgetPage::BudgetPage(QWidget* parent) : QWidget(parent), baseFontPoints_(font().pointSizeF())
{
    if (const auto& formats = budget::builtinFormats())
        formats_ = *formats;
    for (const char* id : kChartFormatIds)
        if (const budget::QuantFormat* format = budget::findFormat(formats_, QLatin1String(id)))
            chartFormats_.push_back(format);
    buildLayout();
    precisionTable_ = new ReportTableModel(this);

    QSettings settings;
    settings.beginGroup(QStringLiteral("budget"));
    controls_->loadSettings(settings);
    slider_->setBits(settings.value(QStringLiteral("bits"), 4.5).toDouble());
    settings.endGroup();
    syncPrecisionWidgets();

    connect(controls_, &BudgetControls::changed, this, &BudgetPage::recomputeAll);
    connect(slider_, &PrecisionSlider::bitsChanged, this, [this] {
        syncPrecisionWidgets();
        recomputeSelected(true);
    });
    connect(bitsSpin_, &QDoubleSpinBox::valueChanged, this, [this](double bits) {
        if (!syncing_)
            slider_->setBits(bits);
    });
    connect(formatCombo_, &QComboBox::activated, this, [this](int index) {
        const QVariant bits = formatCombo_->itemData(index);
        if (bits.isValid())
            slider_->setBits(bits.toDouble());
    });
    recomputeAll();
}

BudgetPage::~BudgetPage()
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("budget"));
    controls_->saveSettings(settings);
    settings.setValue(QStringLiteral("bits"), slider_->bits());
    settings.endGroup();
}

double BudgetPage::bits() const { return slider_->bits(); }

void BudgetPage::setBits(double bits) { slider_->setBits(bits); }

void BudgetPage::setCustomModel(const budget::ModelSpec& model) { controls_->setCustomModel(model); }

void BudgetPage::setCustomModel(const QString& name, double totalParams, double activeParams, int layers, int kvHeads,
                                int headDim, qint64 maxContext)
{
    budget::ModelSpec model = budget::customModel(name, totalParams, activeParams);
    model.layers = layers;
    model.kvHeads = kvHeads;
    model.attentionHeads = kvHeads;
    model.headDim = headDim;
    model.maxContext = maxContext;
    if (layers > 0 && (kvHeads <= 0 || headDim <= 0))
        model.layers = 0;  // an incomplete shape cannot size a KV cache: count weights only
    setCustomModel(model);
}

QString BudgetPage::selectedLabel() const { return tr("▶ slider"); }

void BudgetPage::syncPrecisionWidgets()
{
    syncing_ = true;
    bitsSpin_->setValue(slider_->bits());
    const auto& here = slider_->formatsAtBits();
    int comboIndex = formatCombo_->count() - 1;
    if (!here.empty()) {
        // Keep the user's pick when it shares these bits (Q4_K and NF4 are both 4.5).
        const int current = formatCombo_->currentIndex();
        const bool currentMatches = current >= 0 && current < static_cast<int>(formats_.size())
                                    && std::abs(formats_[current].bitsPerWeight - slider_->bits()) < 1e-9;
        comboIndex = current;
        if (!currentMatches)
            for (std::size_t i = 0; i < formats_.size(); ++i)
                if (formats_[i].id == here.front()->id)
                    comboIndex = static_cast<int>(i);
        QStringList names;
        for (const budget::QuantFormat* format : here)
            names << format->name;
        formatNote_->setText(tr("%1 bits/weight: %2").arg(bitsText(slider_->bits()), names.join(QStringLiteral(", "))));
        formatNote_->setToolTip(here.front()->bitsDerivation + QStringLiteral("\n") + here.front()->whereYouMeetIt);
    } else {
        formatNote_->setText(tr("%1 bits/weight: between catalog formats").arg(bitsText(slider_->bits())));
        formatNote_->setToolTip(QString());
    }
    formatCombo_->setCurrentIndex(comboIndex);
    syncing_ = false;
    scheduleFit();
}

void BudgetPage::recomputeAll()
{
    const budget::BudgetInput base = controls_->input();
    std::vector<BudgetChartRow> rows;
    rows.push_back({selectedLabel(), {}});
    for (const budget::QuantFormat* format : chartFormats_) {
        budget::BudgetInput input = base;
        input.bitsPerWeight = format->bitsPerWeight;
        Result<budget::BudgetEstimate> estimate = budget::estimateBudget(input);
        if (!estimate) {
            showError(estimate.error().message);
            return;
        }
        rows.push_back({chartLabel(*format), *estimate, kSmallChartFormatIds.contains(format->id)});
    }
    budget::BudgetInput selected = base;
    selected.bitsPerWeight = slider_->bits();
    Result<budget::BudgetEstimate> estimate = budget::estimateBudget(selected);
    if (!estimate) {
        showError(estimate.error().message);
        return;
    }
    rows.front().estimate = *estimate;
    BudgetChartContext context;
    context.capacityGB = base.device.memoryGB * base.deviceCount;
    context.capacityLabel = base.deviceCount == 1 ? tr("%1 GB").arg(base.device.memoryGB) : tr("%1 × %2 GB").arg(base.deviceCount).arg(base.device.memoryGB);
    context.overhead = base.overhead;
    context.hasBandwidth = base.device.bandwidthGBs > 0;
    context.hasPrice = base.device.pricePerHour.has_value();
    charts_->setRows(rows, context);

    const double budgetGB = base.device.memoryGB * base.deviceCount;
    Result<budget::BestFormatAnswer> best = budget::bestFormat(formats_, base, budgetGB);
    if (best) {
        const QLocale locale;
        bestFormat_->setText(tr("<b>Best format</b> for %1 at %2 tokens × %3: %4")
                                 .arg(gbText(budgetGB), locale.toString(static_cast<qint64>(base.contextTokens)))
                                 .arg(base.batch)
                                 .arg(best->text.toHtmlEscaped()));
        bestFormat_->setToolTip(best->format ? tr("The catalog format with the most bits per weight (at most 16) whose "
                                                  "(weights + KV) × (1 + overhead) fits the memory of the devices you have.\n%1\n%2")
                                                   .arg(best->format->bitsDerivation, best->format->whereYouMeetIt)
                                             : tr("Even the smallest catalog format does not fit."));
    }
    recomputeSelected(false);
}

void BudgetPage::recomputeSelected(bool chartsToo)
{
    budget::BudgetInput input = controls_->input();
    input.bitsPerWeight = slider_->bits();
    Result<budget::BudgetEstimate> estimate = budget::estimateBudget(input);
    Result<budget::MaxContextAnswer> context = budget::maxContext(input);
    if (!estimate || !context) {
        showError(!estimate ? estimate.error().message : context.error().message);
        return;
    }
    error_.clear();
    estimate_ = *estimate;
    const budget::BudgetEstimate& e = estimate_;
    const QLocale locale;

    weights_->setValue(gbText(e.weightsGB), tr("%1 B params × %2 bits / 8").arg(input.model.totalParams / 1e9, 0, 'f', 2).arg(bitsText(e.bitsPerWeight)),
                       tr("Weights in memory = parameters × bits per weight / 8 bytes\n= %1 × %2 / 8 = %3 bytes = %4 (1 GB = 10⁹ bytes).\n"
                          "Bits per weight include the format's block scales.")
                           .arg(locale.toString(input.model.totalParams, 'f', 0), bitsText(e.bitsPerWeight),
                                locale.toString(e.weightsGB * 1e9, 'f', 0), gbText(e.weightsGB)));
    gpus_->setValue(QString::number(e.devicesNeeded), tr("of %1 GB each").arg(input.device.memoryGB),
                    tr("GPUs needed = ceil((weights + KV cache) × (1 + overhead) / device memory)\n= ceil((%1 + %2) × %3 / %4 GB) = ceil(%5) = %6")
                        .arg(gbText(e.weightsGB), gbText(e.kvGB)).arg(1 + input.overhead).arg(input.device.memoryGB)
                        .arg(e.requiredGB / input.device.memoryGB, 0, 'f', 3).arg(e.devicesNeeded));
    const bool same16 = std::abs(e.timesSmallerThan16Bit - 1) < 1e-9;
    const QString vs16Text = same16 ? tr("1×")
                             : e.timesSmallerThan16Bit > 1 ? tr("%1×").arg(e.timesSmallerThan16Bit, 0, 'f', 1)
                                                           : tr("%1×").arg(1 / e.timesSmallerThan16Bit, 0, 'f', 1);
    const QString vs16Caption = same16 ? tr("the 16-bit size")
                                : e.timesSmallerThan16Bit > 1 ? tr("smaller: %1% of the 16-bit size").arg(100 / e.timesSmallerThan16Bit, 0, 'f', 0)
                                                              : tr("larger: %1% of the 16-bit size").arg(100 / e.timesSmallerThan16Bit, 0, 'f', 0);
    vs16_->setValue(vs16Text, vs16Caption,
                    tr("vs 16-bit = 16 / bits per weight = 16 / %1 = %2").arg(bitsText(e.bitsPerWeight)).arg(e.timesSmallerThan16Bit, 0, 'f', 3));
    QString kvTip = tr("KV cache = %1\n= %2 at %3 tokens × batch %4, %5-bit")
                        .arg(e.kv.formula, gbText(e.kvGB), locale.toString(static_cast<qint64>(input.contextTokens)))
                        .arg(input.batch).arg(input.kvBits);
    if (e.kv.textbookBytes > 0 && std::abs(e.kv.textbookBytes - e.kv.bytes) > 1)
        kvTip += tr("\nThe textbook 2 × layers × KV heads × head dim formula would say %1 (%2× this).")
                     .arg(gbText(e.kv.textbookBytes / 1e9)).arg(e.kv.textbookBytes / std::max(1.0, e.kv.bytes), 0, 'f', 1);
    kv_->setValue(gbText(e.kvGB), tr("%1 tokens × %2, %3-bit").arg(locale.toString(static_cast<qint64>(input.contextTokens))).arg(input.batch).arg(input.kvBits), kvTip);
    if (e.tokensPerSecond)
        speed_->setValue(tr("≤ %1").arg(locale.toString(*e.tokensPerSecond, 'f', *e.tokensPerSecond < 100 ? 1 : 0)),
                         tr("tokens/s on %1 × %2 GB/s").arg(e.devicesNeeded).arg(input.device.bandwidthGBs),
                         tr("Decode upper bound: each step reads the active weights and the KV cache once.\n"
                            "tokens/s ≤ devices × bandwidth / (active weights + KV) × batch\n= %1 × %2 GB/s / (%3 + %4) × %5 = %6 tokens/s.\n"
                            "Exact for dense models at batch 1; MoE batches touch more experts.")
                             .arg(e.devicesNeeded).arg(input.device.bandwidthGBs).arg(gbText(e.activeWeightsGB), gbText(e.kvGB))
                             .arg(input.batch).arg(*e.tokensPerSecond, 0, 'f', 1));
    else
        speed_->setValue(tr("—"), tr("bandwidth unknown"), tr("Type the device's memory bandwidth to get a speed bound."));
    if (e.costPerMillionTokens)
        cost_->setValue(tr("$%1").arg(*e.costPerMillionTokens, 0, 'f', *e.costPerMillionTokens < 1 ? 3 : 2),
                        tr("per M tokens · $%1/h").arg(*e.costPerHour, 0, 'f', 2),
                        tr("Cost per hour = %1 devices × $%2/h (%3) = $%4/h\nper month = × 730 h = $%5\nper million tokens = $/h / (tokens/s × 3600) × 10⁶ "
                           "at the speed bound: a floor, real serving is slower.")
                            .arg(e.devicesNeeded).arg(*input.device.pricePerHour, 0, 'f', 2).arg(input.device.priceSource)
                            .arg(*e.costPerHour, 0, 'f', 2).arg(locale.toString(*e.costPerMonth, 'f', 0)));
    else
        cost_->setValue(tr("—"), tr("no hourly price"), tr("This device has no public hourly price: type one for a custom device."));

    const char* verdictColor = e.verdict.kind == budget::FitKind::FitsOnDevices     ? "#2e9d5b"
                               : e.verdict.kind == budget::FitKind::FitsWithOffload ? "#c98a1a"
                                                                                    : "#d0473d";
    verdict_->setStyleSheet(QStringLiteral("color: %1").arg(QLatin1String(verdictColor)));
    verdict_->setText(e.verdict.text);
    verdict_->setToolTip(tr("Needs (weights + KV) × (1 + overhead) = %1; you have %2 × %3 GB on devices + %4 GB system RAM.")
                             .arg(gbText(e.requiredGB)).arg(input.deviceCount).arg(input.device.memoryGB).arg(input.systemRamGB));
    maxContext_->setText(tr("<b>Largest context</b> on your %1 device%2 at %3 bits: %4")
                             .arg(input.deviceCount).arg(input.deviceCount == 1 ? QString() : QStringLiteral("s"))
                             .arg(bitsText(e.bitsPerWeight), context->text.toHtmlEscaped()));
    maxContext_->setToolTip(tr("The largest context per sequence (at batch %1) whose (weights + KV) × (1 + overhead) fits %2 × %3 GB; "
                               "KV grows per the model's architecture (sliding layers stop at their window, recurrent state is fixed).")
                                .arg(input.batch).arg(input.deviceCount).arg(input.device.memoryGB));
    if (chartsToo)
        charts_->updateSelected({selectedLabel(), e});
    scheduleFit();
    Q_EMIT estimateUpdated();
}

void BudgetPage::showError(const QString& message)
{
    error_ = message;
    for (Readout* readout : {weights_, gpus_, vs16_, kv_, speed_, cost_})
        readout->setValue(tr("—"), QString(), message);
    verdict_->setStyleSheet(QStringLiteral("color: #d0473d"));
    verdict_->setText(tr("Invalid input: %1").arg(message));
    Q_EMIT estimateUpdated();
}

}  // namespace cstudio::ui
