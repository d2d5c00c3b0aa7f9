#include "ui/weights/model_summary_panel.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace cstudio::ui {

ModelSummaryPanel::ModelSummaryPanel(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* box = new QGroupBox(tr("Model"), this);
    auto* form = new QFormLayout(box);
    form->setLabelAlignment(Qt::AlignRight);
    name_ = addRow(form, tr("File"), tr("The file, index or folder the weights were read from"), QStringLiteral("summaryName"));
    name_->setWordWrap(true);
    parameters_ = addRow(form, tr("Parameters"), tr("Sum of the element counts of all tensors"), QStringLiteral("summaryParameters"));
    size_ = addRow(form, tr("Size"), tr("Bytes the tensors occupy in the file(s); 1 GB = 10⁹ bytes"), QStringLiteral("summarySize"));
    bits_ = addRow(form, tr("Bits per parameter"), tr("8 × bytes ÷ parameters, over all tensors"), QStringLiteral("summaryBits"));
    tensors_ = addRow(form, tr("Tensors"), tr("Number of tensors in the file(s)"), QStringLiteral("summaryTensors"));
    layers_ = addRow(form, tr("Layers"), tr("Transformer blocks: the highest block index in the tensor names + 1"), QStringLiteral("summaryLayers"));
    hidden_ = addRow(form, tr("Hidden size"), tr("Model width: the row length of the token embedding"), QStringLiteral("summaryHidden"));
    dtypes_ = addRow(form, tr("Dtype mix"), tr("Share of parameters stored in each type"), QStringLiteral("summaryDtypes"));
    dtypes_->setWordWrap(true);
    useInBudget_ = new QPushButton(tr("Use in Budget"), box);
    useInBudget_->setObjectName(QStringLiteral("useInBudgetButton"));
    useInBudget_->setToolTip(tr("Put this model's parameter count, layers and hidden size into the Budget page"));
    useInBudget_->setEnabled(false);
    form->addRow(useInBudget_);
    connect(useInBudget_, &QPushButton::clicked, this, &ModelSummaryPanel::useInBudgetClicked);
    layout->addWidget(box);

    auto* metadataBox = new QGroupBox(tr("File metadata"), this);
    auto* metadataLayout = new QVBoxLayout(metadataBox);
    metadata_ = new QTreeWidget(metadataBox);
    metadata_->setObjectName(QStringLiteral("metadataList"));
    metadata_->setHeaderLabels({tr("Key"), tr("Value")});
    metadata_->setRootIsDecorated(false);
    metadata_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    metadata_->setToolTip(tr("safetensors __metadata__ or GGUF key/values, as stored in the file"));
    metadata_->setMaximumHeight(90);
    metadataLayout->addWidget(metadata_);
    layout->addWidget(metadataBox);
    clear();
}

QLabel* ModelSummaryPanel::addRow(QFormLayout* form, const QString& label, const QString& tooltip, const QString& objectName)
{
    auto* value = new QLabel(this);
    value->setObjectName(objectName);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    value->setToolTip(tooltip);
    auto* caption = new QLabel(label + QLatin1Char(':'), this);
    caption->setToolTip(tooltip);
    form->addRow(caption, value);
    return value;
}

void ModelSummaryPanel::clear()
{
    summary_ = {};
    for (QLabel* label : {name_, parameters_, size_, bits_, tensors_, layers_, hidden_, dtypes_})
        label->setText(QStringLiteral("–"));
    metadata_->clear();
    useInBudget_->setEnabled(false);
}

void ModelSummaryPanel::showSummary(const ModelSummary& summary, const std::vector<std::pair<QString, QString>>& metadata)
{
    summary_ = summary;
    name_->setText(summary.name);
    parameters_->setText(tr("%1  (%2)").arg(formatCount(summary.parameters), QLocale().toString(summary.parameters)));
    size_->setText(formatBytes(summary.bytes));
    bits_->setText(QString::number(summary.bitsPerParameter(), 'f', 2));
    tensors_->setText(QString::number(summary.tensorCount));
    layers_->setText(QString::number(summary.layerCount));
    hidden_->setText(summary.hiddenSize > 0 ? QString::number(summary.hiddenSize) : tr("unknown"));
    QStringList mix;
    for (const DtypeShare& share : summary.dtypeMix)
        mix << tr("%1 %2 %").arg(share.dtype).arg(summary.parameters ? 100.0 * double(share.parameters) / double(summary.parameters) : 0.0, 0, 'f', 1);
    dtypes_->setText(mix.join(QStringLiteral(", ")));
    metadata_->clear();
    for (const auto& [key, value] : metadata) {
        auto* item = new QTreeWidgetItem(metadata_, {key, value});
        item->setToolTip(1, value);
    }
    useInBudget_->setEnabled(summary.parameters > 0);
}

}  // namespace cstudio::ui
