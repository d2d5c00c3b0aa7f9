#include "ui/quantlab/plan_panel.h"

#include "ui/quantlab/quantlab_format.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QStandardItemModel>
#include <QTableView>

namespace cstudio::ui {

namespace {

QStandardItem* numberItem(const QString& text, double sortValue, const QString& tooltip = {})
{
    auto* item = new QStandardItem(text);
    item->setData(sortValue, Qt::UserRole);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    item->setToolTip(tooltip);
    item->setEditable(false);
    return item;
}

QStandardItem* textItem(const QString& text)
{
    auto* item = new QStandardItem(text);
    item->setEditable(false);
    return item;
}

bool writeAtomically(const QString& path, const QByteArray& bytes, QString* error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = QObject::tr("Could not write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

}  // namespace

PlanPanel::PlanPanel(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QGridLayout(this);
    auto* intro = new QLabel(tr("Pick one scheme per tensor from the selected schemes so that the model's total squared "
                                "error is smallest while the whole model fits the budget (a multiple-choice knapsack, "
                                "solved greedily on each tensor's convex hull). Norms and biases stay as stored."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro, 0, 0, 1, 6);
    kind_ = new QComboBox(this);
    kind_->addItem(tr("Average bits per weight"));
    kind_->addItem(tr("Model size (GB)"));
    kind_->setToolTip(tr("Bits per weight: the average over analysed weights, scales included. GB: the whole model "
                         "file, 1 GB = 10^9 bytes."));
    value_ = new QDoubleSpinBox(this);
    value_->setObjectName(QStringLiteral("planBudget"));
    value_->setDecimals(3);
    layout->addWidget(new QLabel(tr("Budget:"), this), 1, 0);
    layout->addWidget(kind_, 1, 1);
    layout->addWidget(value_, 1, 2);
    exportJson_ = new QPushButton(tr("Export JSON\u2026"), this);
    exportLlama_ = new QPushButton(tr("Export llama-quantize overrides\u2026"), this);
    exportLlama_->setToolTip(tr("One --tensor-type NAME=TYPE argument per tensor with a GGUF scheme, for llama-quantize"));
    useInBudget_ = new QPushButton(tr("Use in Budget"), this);
    useInBudget_->setToolTip(tr("Set the Budget page's precision to the plan's average bits per weight"));
    layout->setColumnStretch(5, 1);
    // The actions on a row of their own, so the page fits beside the Lessons dock or on a
    // projector with presentation mode's larger fonts.
    auto* actions = new QHBoxLayout;
    actions->addWidget(exportJson_);
    actions->addWidget(exportLlama_);
    actions->addWidget(useInBudget_);
    actions->addStretch(1);
    layout->addLayout(actions, 2, 0, 1, 6);
    summary_ = new QLabel(this);
    summary_->setObjectName(QStringLiteral("planSummary"));
    summary_->setWordWrap(true);
    QFont bold = summary_->font();
    bold.setBold(true);
    summary_->setFont(bold);
    layout->addWidget(summary_, 3, 0, 1, 6);

    comparison_ = new QStandardItemModel(this);
    comparison_->setHorizontalHeaderLabels({tr("Plan / uniform scheme"), tr("Size"), tr("Bits/weight"), tr("RMSE"),
                                            tr("Rel. RMSE"), tr("Fits")});
    comparisonView_ = new QTableView(this);
    comparisonView_->setModel(comparison_);
    comparisonView_->verticalHeader()->hide();
    comparisonView_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    comparisonView_->horizontalHeader()->setStretchLastSection(true);
    choices_ = new QStandardItemModel(this);
    choices_->setHorizontalHeaderLabels({tr("Tensor"), tr("Layer"), tr("Role"), tr("Scheme"), tr("Bytes"), tr("Rel. RMSE")});
    choicesView_ = new QTableView(this);
    choicesView_->setModel(choices_);
    choicesView_->setSortingEnabled(true);
    choicesView_->verticalHeader()->hide();
    choicesView_->setSelectionBehavior(QAbstractItemView::SelectRows);
    choicesView_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    layout->addWidget(comparisonView_, 4, 0, 1, 6);
    layout->addWidget(choicesView_, 5, 0, 1, 6);
    layout->setRowStretch(4, 1);
    layout->setRowStretch(5, 2);

    connect(kind_, &QComboBox::currentIndexChanged, this, &PlanPanel::budgetKindChanged);
    connect(value_, &QDoubleSpinBox::valueChanged, this, &PlanPanel::replan);
    connect(exportJson_, &QPushButton::clicked, this, [this] { saveWithDialog(true); });
    connect(exportLlama_, &QPushButton::clicked, this, [this] { saveWithDialog(false); });
    connect(useInBudget_, &QPushButton::clicked, this, [this] {
        if (plan_)
            Q_EMIT useBitsInBudget(plan_->plan.bitsPerWeight);
    });
    connect(choicesView_, &QTableView::clicked, this, [this](const QModelIndex& index) {
        const QVariant tensor = choices_->index(index.row(), 0).data(Qt::UserRole + 1);
        if (tensor.isValid())
            Q_EMIT tensorClicked(tensor.toInt());
    });
    budgetKindChanged();
    value_->setValue(4.5);
}

void PlanPanel::setAnalysis(std::shared_ptr<const AnalysisResult> analysis)
{
    analysis_ = std::move(analysis);
    replan();
}

void PlanPanel::setBudget(const PlanBudget& budget)
{
    kind_->setCurrentIndex(budget.kind == PlanBudget::Kind::BitsPerWeight ? 0 : 1);
    value_->setValue(budget.kind == PlanBudget::Kind::BitsPerWeight ? budget.value : budget.value / 1e9);
}

PlanBudget PlanPanel::budget() const
{
    return kind_->currentIndex() == 0 ? PlanBudget::bitsPerWeight(value_->value()) : PlanBudget::gigabytes(value_->value());
}

QString PlanPanel::errorText() const { return plan_ ? QString() : summary_->text(); }

void PlanPanel::budgetKindChanged()
{
    const QSignalBlocker block(value_);
    if (kind_->currentIndex() == 0) {
        value_->setRange(0.5, 32.0);
        value_->setSingleStep(0.25);
        value_->setSuffix(tr(" bits/weight"));
    } else {
        value_->setRange(0.001, 100000.0);
        value_->setSingleStep(0.01);
        value_->setSuffix(tr(" GB"));
    }
    replan();
}

void PlanPanel::replan()
{
    comparison_->removeRows(0, comparison_->rowCount());
    choices_->removeRows(0, choices_->rowCount());
    plan_.reset();
    const bool haveAnalysis = analysis_ && !analysis_->tensors.empty();
    if (!haveAnalysis) {
        summary_->setText(tr("Run an analysis first: the planner works from its per-tensor errors."));
    } else if (Result<MixedPrecisionPlan> planned = planMixedPrecision(*analysis_, budget()); !planned) {
        summary_->setText(tr("No plan: %1").arg(planned.error().message));
    } else {
        plan_ = std::move(*planned);
    }
    exportJson_->setEnabled(plan_.has_value());
    exportLlama_->setEnabled(plan_.has_value());
    useInBudget_->setEnabled(plan_.has_value());
    if (!plan_)
        return;
    const MixedPrecisionPlan& plan = *plan_;
    summary_->setText(tr("Plan: %1 (%2 bits/weight), relative RMSE %3 over the analysed weights; budget %4, of which %5 "
                         "are tensors kept as stored.")
                          .arg(formatBytes(double(plan.plan.bytes)))
                          .arg(plan.plan.bitsPerWeight, 0, 'f', 3)
                          .arg(formatPercent(plan.plan.relativeRmse), formatBytes(double(plan.budgetBytes)),
                               formatBytes(double(plan.fixedBytes))));
    auto addSummary = [this](const PlanSummary& row, bool isPlan) {
        QList<QStandardItem*> items{
            textItem(isPlan ? tr("mixed-precision plan") : row.label),
            numberItem(formatBytes(double(row.bytes)), double(row.bytes), tr("Whole model, tensors not analysed included")),
            numberItem(QString::number(row.bitsPerWeight, 'f', 3), row.bitsPerWeight, tr("Average over analysed weights, scales included")),
            numberItem(QString::number(row.rmse, 'g', 4), row.rmse, tr("sqrt(total squared error / analysed weights)")),
            numberItem(formatPercent(row.relativeRmse), row.relativeRmse, tr("RMSE / RMS of the analysed weights")),
            textItem(row.fitsBudget ? tr("yes") : tr("no"))};
        if (isPlan)
            for (QStandardItem* item : items) {
                QFont font = item->font();
                font.setBold(true);
                item->setFont(font);
            }
        comparison_->appendRow(items);
    };
    addSummary(plan.plan, true);
    for (const PlanSummary& uniform : plan.uniform)
        addSummary(uniform, false);
    for (const PlanChoice& choice : plan.choices) {
        QStandardItem* name = textItem(choice.tensorName);
        name->setData(choice.tensorIndex, Qt::UserRole + 1);
        choices_->appendRow({name, numberItem(choice.layer < 0 ? QStringLiteral("\u2014") : QString::number(choice.layer), choice.layer),
                             textItem(choice.role), textItem(choice.scheme),
                             numberItem(formatBytes(double(choice.bytes)), double(choice.bytes)),
                             numberItem(formatPercent(choice.relativeRmse), choice.relativeRmse)});
    }
    choices_->setSortRole(Qt::UserRole);
}

bool PlanPanel::exportJson(const QString& path, QString* error) const
{
    if (!plan_) {
        if (error)
            *error = tr("There is no plan to export");
        return false;
    }
    return writeAtomically(path, QJsonDocument(planToJson(*plan_)).toJson(QJsonDocument::Indented), error);
}

bool PlanPanel::exportLlamaArguments(const QString& path, QString* error) const
{
    if (!plan_) {
        if (error)
            *error = tr("There is no plan to export");
        return false;
    }
    const QStringList arguments = llamaQuantizeArguments(*plan_);
    if (arguments.isEmpty()) {
        if (error)
            *error = tr("The plan uses no GGUF scheme: llama-quantize overrides need q*_0, q*_1 or q*_k schemes");
        return false;
    }
    // One "--tensor-type NAME=TYPE" pair per line, continued with a backslash so the file pastes
    // into a shell command after `llama-quantize`.
    QStringList lines;
    for (qsizetype i = 0; i + 1 < arguments.size(); i += 2)
        lines << arguments[i] + QLatin1Char(' ') + arguments[i + 1];
    return writeAtomically(path, (lines.join(QStringLiteral(" \\\n")) + QLatin1Char('\n')).toUtf8(), error);
}

void PlanPanel::saveWithDialog(bool json)
{
    const QString path = QFileDialog::getSaveFileName(
        this, json ? tr("Export plan as JSON") : tr("Export llama-quantize overrides"),
        json ? QStringLiteral("plan.json") : QStringLiteral("tensor-types.txt"),
        json ? tr("JSON (*.json)") : tr("Text (*.txt)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!(json ? exportJson(path, &error) : exportLlamaArguments(path, &error)))
        QMessageBox::warning(this, tr("Export failed"), error);
}

}  // namespace cstudio::ui
