#include "ui/budget/budget_controls.h"

#include "core/budget/device_catalog.h"
#include "core/budget/model_catalog.h"
#include "ui/widgets/whole_entry_combo_box.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLocale>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

namespace cstudio::ui {
namespace {
const QString kCustomId = QStringLiteral("custom");

QDoubleSpinBox* doubleSpin(QWidget* parent, double minimum, double maximum, int decimals, const QString& suffix, const QString& tip)
{
    auto* spin = new QDoubleSpinBox(parent);
    spin->setRange(minimum, maximum);
    spin->setDecimals(decimals);
    spin->setSuffix(suffix);
    spin->setToolTip(tip);
    spin->setKeyboardTracking(false);
    return spin;
}

QSpinBox* intSpin(QWidget* parent, int minimum, int maximum, const QString& suffix, const QString& tip)
{
    auto* spin = new QSpinBox(parent);
    spin->setRange(minimum, maximum);
    spin->setSuffix(suffix);
    spin->setToolTip(tip);
    spin->setGroupSeparatorShown(true);
    spin->setKeyboardTracking(false);
    return spin;
}
}  // namespace

BudgetControls::BudgetControls(QWidget* parent) : QWidget(parent)
{
    if (const auto& models = budget::builtinModels())
        models_ = *models;
    else
        catalogError_ = models.error().toString();
    if (const auto& devices = budget::builtinDevices())
        devices_ = *devices;
    else
        catalogError_ = devices.error().toString();
    customModel_ = budget::customModel(tr("Custom model"), 70e9);
    customDevice_ = budget::genericDevice(80);
    customDevice_.name = tr("Custom device");

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto* modelBox = new QGroupBox(tr("Model"), this);
    auto* modelForm = new QFormLayout(modelBox);
    modelCombo_ = new QComboBox(modelBox);
    modelCombo_->setObjectName(QStringLiteral("modelCombo"));
    for (const budget::ModelSpec& model : models_)
        modelCombo_->addItem(model.name, model.id);
    modelCombo_->addItem(tr("Custom model"), kCustomId);
    modelCombo_->setToolTip(tr("Open models from resources/catalogs/models.json, with the shape each KV cache needs"));
    totalParams_ = doubleSpin(modelBox, 0.001, 100000, 3, tr(" B"), tr("Total parameters in billions: what memory must hold. Editing makes a custom model."));
    totalParams_->setObjectName(QStringLiteral("totalParams"));
    activeParams_ = doubleSpin(modelBox, 0.001, 100000, 3, tr(" B"),
                               tr("Parameters read per token, in billions (fewer than the total for Mixture-of-Experts): what speed depends on."));
    activeParams_->setObjectName(QStringLiteral("activeParams"));
    modelSummary_ = new QLabel(modelBox);
    modelSummary_->setWordWrap(true);
    modelSummary_->setForegroundRole(QPalette::PlaceholderText);
    modelForm->addRow(tr("Model"), modelCombo_);
    modelForm->addRow(tr("Parameters"), totalParams_);
    modelForm->addRow(tr("Active / token"), activeParams_);
    modelForm->addRow(modelSummary_);

    auto* deviceBox = new QGroupBox(tr("Hardware"), this);
    auto* deviceForm = new QFormLayout(deviceBox);
    deviceCombo_ = new QComboBox(deviceBox);
    deviceCombo_->setObjectName(QStringLiteral("deviceCombo"));
    for (const budget::DeviceSpec& device : devices_)
        deviceCombo_->addItem(device.name, device.id);
    deviceCombo_->addItem(tr("Custom device"), kCustomId);
    deviceMemory_ = doubleSpin(deviceBox, 0.1, 100000, 1, tr(" GB"), tr("Memory per device (1 GB = 10⁹ bytes). Editing makes a custom device."));
    deviceMemory_->setObjectName(QStringLiteral("deviceMemory"));
    deviceBandwidth_ = doubleSpin(deviceBox, 0, 1000000, 0, tr(" GB/s"), tr("Memory bandwidth per device: bounds decode speed. 0 = unknown."));
    devicePrice_ = doubleSpin(deviceBox, 0, 10000, 2, tr(" $/h"), tr("Price per device-hour in US$; 0 = no price."));
    devicePrice_->setSpecialValueText(tr("no price"));
    deviceCount_ = intSpin(deviceBox, 1, 100000, QString(), tr("How many devices you have: the fit verdict and the largest context use them."));
    deviceCount_->setObjectName(QStringLiteral("deviceCount"));
    systemRam_ = intSpin(deviceBox, 0, 100000, tr(" GB"), tr("System RAM that can hold layers offloaded from the devices (llama.cpp -ngl style)."));
    systemRam_->setObjectName(QStringLiteral("systemRam"));
    // Device names are long ("Phone: Snapdragon 8 Gen 3, 16GB"): the box has the column's
    // width, under its label, so the column need not widen for it.
    auto* deviceLabel = new QLabel(tr("Device"), deviceBox);
    deviceLabel->setBuddy(deviceCombo_);
    deviceForm->addRow(deviceLabel);
    deviceForm->addRow(deviceCombo_);
    deviceForm->addRow(tr("Memory"), deviceMemory_);
    deviceForm->addRow(tr("Bandwidth"), deviceBandwidth_);
    deviceForm->addRow(tr("Price"), devicePrice_);
    deviceForm->addRow(tr("Devices you have"), deviceCount_);
    deviceForm->addRow(tr("System RAM"), systemRam_);

    auto* workBox = new QGroupBox(tr("Workload"), this);
    auto* workForm = new QFormLayout(workBox);
    overhead_ = intSpin(workBox, 0, 500, tr(" %"), tr("Runtime overhead on top of weights + KV cache (activations, CUDA context, fragmentation). Seed default: 20%."));
    overhead_->setObjectName(QStringLiteral("overhead"));
    context_ = intSpin(workBox, 0, 100000000, tr(" tokens"), tr("Tokens kept in the KV cache per sequence."));
    context_->setObjectName(QStringLiteral("context"));
    context_->setSingleStep(1024);
    batch_ = intSpin(workBox, 1, 100000, QString(), tr("Sequences decoded together: each keeps its own KV cache and shares each read of the weights."));
    batch_->setObjectName(QStringLiteral("batch"));
    kvBits_ = new QComboBox(workBox);
    kvBits_->setObjectName(QStringLiteral("kvBits"));
    kvBits_->addItem(tr("16-bit (FP16 / BF16)"), 16.0);
    kvBits_->addItem(tr("8-bit (FP8 / INT8)"), 8.0);
    kvBits_->addItem(tr("4-bit (INT4)"), 4.0);
    kvBits_->setToolTip(tr("Precision of the KV cache's keys and values (recurrent state stays at the model's 16 bits)."));
    workForm->addRow(tr("Overhead"), overhead_);
    workForm->addRow(tr("Context"), context_);
    workForm->addRow(tr("Batch"), batch_);
    workForm->addRow(tr("KV precision"), kvBits_);

    // Every entry reads whole in its box, on a projector too: a box is as wide as its longest
    // entry. A row too narrow for a label and its box side by side puts the box under its label.
    for (QComboBox* combo : {modelCombo_, deviceCombo_, kvBits_})
        keepEntriesWhole(combo);
    for (QFormLayout* form : {modelForm, deviceForm, workForm})
        form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    layout->addWidget(modelBox);
    layout->addWidget(deviceBox);
    layout->addWidget(workBox);
    auto* sources = new QLabel(tr("Model shapes: each model's config.json (Hugging Face). Device memory and bandwidth: vendor "
                                  "specifications. Prices: public on-demand list prices (2025) per device-hour, entered by hand: "
                                  "check them before you rely on them."), this);
    sources->setWordWrap(true);
    sources->setForegroundRole(QPalette::PlaceholderText);
    QFont small = sources->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    sources->setFont(small);
    layout->addWidget(sources);
    layout->addStretch(1);

    overhead_->setValue(20);
    context_->setValue(8192);
    batch_->setValue(1);
    deviceCount_->setValue(1);
    modelCombo_->setCurrentIndex(std::max(0, modelCombo_->findData(QStringLiteral("llama-3.1-70b"))));
    deviceCombo_->setCurrentIndex(std::max(0, deviceCombo_->findData(QStringLiteral("h100-sxm"))));
    onModelChosen();
    onDeviceChosen();

    connect(modelCombo_, &QComboBox::currentIndexChanged, this, &BudgetControls::onModelChosen);
    connect(deviceCombo_, &QComboBox::currentIndexChanged, this, &BudgetControls::onDeviceChosen);
    connect(totalParams_, &QDoubleSpinBox::valueChanged, this, &BudgetControls::onCustomModelEdited);
    connect(activeParams_, &QDoubleSpinBox::valueChanged, this, &BudgetControls::onCustomModelEdited);
    for (QDoubleSpinBox* spin : {deviceMemory_, deviceBandwidth_, devicePrice_})
        connect(spin, &QDoubleSpinBox::valueChanged, this, &BudgetControls::onCustomDeviceEdited);
    for (QSpinBox* spin : {deviceCount_, overhead_, context_, batch_, systemRam_})
        connect(spin, &QSpinBox::valueChanged, this, &BudgetControls::changed);
    connect(kvBits_, &QComboBox::currentIndexChanged, this, &BudgetControls::changed);
}

void BudgetControls::onModelChosen()
{
    if (updating_)
        return;
    const QString id = modelCombo_->currentData().toString();
    const budget::ModelSpec* model = id == kCustomId ? &customModel_ : budget::findModel(models_, id);
    if (!model)
        return;
    updating_ = true;
    totalParams_->setValue(model->totalParams / 1e9);
    activeParams_->setValue(model->activeParams / 1e9);
    updating_ = false;
    describeModel();
    Q_EMIT changed();
}

void BudgetControls::onCustomModelEdited()
{
    if (updating_)
        return;
    const QString id = modelCombo_->currentData().toString();
    if (id != kCustomId) {  // a catalog model edited by hand becomes a custom one with its shape
        if (const budget::ModelSpec* model = budget::findModel(models_, id)) {
            customModel_ = *model;
            customModel_.id = kCustomId;
            customModel_.name = tr("Custom (shape of %1)").arg(model->name);
        }
    }
    customModel_.totalParams = totalParams_->value() * 1e9;
    customModel_.activeParams = std::min(activeParams_->value(), totalParams_->value()) * 1e9;
    customModel_.moe = customModel_.activeParams < customModel_.totalParams;
    updating_ = true;
    modelCombo_->setItemText(modelCombo_->count() - 1, customModel_.name);
    modelCombo_->setCurrentIndex(modelCombo_->count() - 1);
    updating_ = false;
    describeModel();
    Q_EMIT changed();
}

void BudgetControls::setCustomModel(const budget::ModelSpec& model)
{
    customModel_ = model;
    customModel_.id = kCustomId;
    if (customModel_.activeParams <= 0)
        customModel_.activeParams = customModel_.totalParams;
    updating_ = true;
    modelCombo_->setItemText(modelCombo_->count() - 1, customModel_.name);
    modelCombo_->setCurrentIndex(modelCombo_->count() - 1);
    totalParams_->setValue(customModel_.totalParams / 1e9);
    activeParams_->setValue(customModel_.activeParams / 1e9);
    updating_ = false;
    describeModel();
    Q_EMIT changed();
}

void BudgetControls::describeModel()
{
    const budget::ModelSpec model = input().model;
    if (!model.hasShape()) {
        modelSummary_->setText(tr("Parameter count only: no attention shape, so no KV cache is counted."));
        modelSummary_->setToolTip(QString());
        return;
    }
    const QLocale locale;
    modelSummary_->setText(tr("%1 layers · %2 KV heads × %3 · %4 · max %5 tokens")
                               .arg(model.layers)
                               .arg(model.kvHeads)
                               .arg(model.headDim)
                               .arg(budget::attentionKindName(model.attention.kind))
                               .arg(locale.toString(model.maxContext)));
    modelSummary_->setToolTip(tr("From %1's config.json.%2%3")
                                  .arg(model.source.isEmpty() ? model.name : model.source,
                                       model.attention.description.isEmpty() ? QString() : QStringLiteral("\n") + model.attention.description,
                                       model.note.isEmpty() ? QString() : QStringLiteral("\n") + model.note));
}

void BudgetControls::onDeviceChosen()
{
    if (updating_)
        return;
    const QString id = deviceCombo_->currentData().toString();
    const budget::DeviceSpec* device = id == kCustomId ? &customDevice_ : budget::findDevice(devices_, id);
    if (!device)
        return;
    updating_ = true;
    deviceMemory_->setValue(device->memoryGB);
    deviceBandwidth_->setValue(device->bandwidthGBs);
    devicePrice_->setValue(device->pricePerHour.value_or(0));
    devicePrice_->setToolTip(device->pricePerHour ? tr("US$ per device-hour; source: %1. 0 = no price.").arg(device->priceSource)
                                                  : tr("US$ per device-hour; %1. 0 = no price.").arg(device->priceSource.isEmpty() ? tr("none given") : device->priceSource));
    deviceCombo_->setToolTip(device->note.isEmpty() ? device->name : device->note);
    updating_ = false;
    Q_EMIT changed();
}

void BudgetControls::onCustomDeviceEdited()
{
    if (updating_)
        return;
    customDevice_.memoryGB = deviceMemory_->value();
    customDevice_.bandwidthGBs = deviceBandwidth_->value();
    customDevice_.pricePerHour = devicePrice_->value() > 0 ? std::optional<double>(devicePrice_->value()) : std::nullopt;
    customDevice_.priceSource = tr("typed in");
    updating_ = true;
    deviceCombo_->setCurrentIndex(deviceCombo_->count() - 1);
    updating_ = false;
    Q_EMIT changed();
}

budget::BudgetInput BudgetControls::input() const
{
    budget::BudgetInput input;
    const QString modelId = modelCombo_->currentData().toString();
    const budget::ModelSpec* model = modelId == kCustomId ? nullptr : budget::findModel(models_, modelId);
    input.model = model ? *model : customModel_;
    const QString deviceId = deviceCombo_->currentData().toString();
    const budget::DeviceSpec* device = deviceId == kCustomId ? nullptr : budget::findDevice(devices_, deviceId);
    input.device = device ? *device : customDevice_;
    input.deviceCount = deviceCount_->value();
    input.overhead = overhead_->value() / 100.0;
    input.contextTokens = context_->value();
    input.batch = batch_->value();
    input.kvBits = kvBits_->currentData().toDouble();
    input.systemRamGB = systemRam_->value();
    return input;
}

void BudgetControls::loadSettings(QSettings& settings)
{
    updating_ = true;
    customModel_.totalParams = settings.value(QStringLiteral("customModel/totalParams"), customModel_.totalParams).toDouble();
    customModel_.activeParams = settings.value(QStringLiteral("customModel/activeParams"), customModel_.totalParams).toDouble();
    customDevice_.memoryGB = settings.value(QStringLiteral("customDevice/memoryGB"), customDevice_.memoryGB).toDouble();
    customDevice_.bandwidthGBs = settings.value(QStringLiteral("customDevice/bandwidthGBs"), 0.0).toDouble();
    const double price = settings.value(QStringLiteral("customDevice/pricePerHour"), 0.0).toDouble();
    customDevice_.pricePerHour = price > 0 ? std::optional<double>(price) : std::nullopt;
    const int modelIndex = modelCombo_->findData(settings.value(QStringLiteral("model")).toString());
    if (modelIndex >= 0)
        modelCombo_->setCurrentIndex(modelIndex);
    const int deviceIndex = deviceCombo_->findData(settings.value(QStringLiteral("device")).toString());
    if (deviceIndex >= 0)
        deviceCombo_->setCurrentIndex(deviceIndex);
    deviceCount_->setValue(settings.value(QStringLiteral("deviceCount"), deviceCount_->value()).toInt());
    overhead_->setValue(settings.value(QStringLiteral("overheadPercent"), overhead_->value()).toInt());
    context_->setValue(settings.value(QStringLiteral("context"), context_->value()).toInt());
    batch_->setValue(settings.value(QStringLiteral("batch"), batch_->value()).toInt());
    systemRam_->setValue(settings.value(QStringLiteral("systemRamGB"), systemRam_->value()).toInt());
    const int kvIndex = kvBits_->findData(settings.value(QStringLiteral("kvBits"), 16.0).toDouble());
    kvBits_->setCurrentIndex(std::max(0, kvIndex));
    updating_ = false;
    onModelChosen();
    onDeviceChosen();
}

void BudgetControls::saveSettings(QSettings& settings) const
{
    settings.setValue(QStringLiteral("model"), modelCombo_->currentData().toString());
    settings.setValue(QStringLiteral("customModel/totalParams"), customModel_.totalParams);
    settings.setValue(QStringLiteral("customModel/activeParams"), customModel_.activeParams);
    settings.setValue(QStringLiteral("device"), deviceCombo_->currentData().toString());
    settings.setValue(QStringLiteral("customDevice/memoryGB"), customDevice_.memoryGB);
    settings.setValue(QStringLiteral("customDevice/bandwidthGBs"), customDevice_.bandwidthGBs);
    settings.setValue(QStringLiteral("customDevice/pricePerHour"), customDevice_.pricePerHour.value_or(0));
    settings.setValue(QStringLiteral("deviceCount"), deviceCount_->value());
    settings.setValue(QStringLiteral("overheadPercent"), overhead_->value());
    settings.setValue(QStringLiteral("context"), context_->value());
    settings.setValue(QStringLiteral("batch"), batch_->value());
    settings.setValue(QStringLiteral("kvBits"), kvBits_->currentData().toDouble());
    settings.setValue(QStringLiteral("systemRamGB"), systemRam_->value());
}

}  // namespace cstudio::ui
