#include "ui/distill/logit_table_editor.h"

#include "core/distill/logit_import.h"
#include "core/distill/logit_validation.h"
#include "core/distill/temperature_explorer.h"
#include "core/distill/temperature_table.h"
#include "core/distill/top_classes.h"
#include "ui/widgets/whole_entry_combo_box.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace cstudio::ui {

namespace {
constexpr int kMaxTableRows = 200;
enum Column { ClassColumn, TeacherColumn, StudentColumn };
} // namespace

LogitTableEditor::LogitTableEditor(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto* sourceRow = new QHBoxLayout;
    presets_ = new QComboBox(this);
    presets_->setObjectName(QStringLiteral("presetCombo"));
    for (const auto& preset : distill::logitPresets()) {
        presets_->addItem(preset.name);
        presets_->setItemData(presets_->count() - 1, preset.citation, Qt::ToolTipRole);
    }
    presets_->setToolTip(tr("Teacher outputs quoted in the seed texts. Percentages become logits log p, so "
                            "softmax at \u03c4 = 1 gives the quoted figures back."));
    auto* importButton = new QPushButton(tr("Import\u2026"), this);
    importButton->setObjectName(QStringLiteral("importButton"));
    importButton->setToolTip(
        tr("Teacher logits from a .csv (label,logit per line), .json or 1-D .npy file, e.g. a "
           "150 000-token next-token distribution."));
    // The preset names read whole (on a projector too): the box has a row of its own, as wide
    // as its longest name; Import… sits beside the summary of what is loaded.
    keepEntriesWhole(presets_);
    layout->addWidget(presets_);

    summary_ = new QLabel(this);
    summary_->setWordWrap(true);
    sourceRow->addWidget(summary_, 1);
    sourceRow->addWidget(importButton, 0, Qt::AlignTop);
    layout->addLayout(sourceRow);

    table_ = new QTableWidget(0, 3, this);
    table_->setObjectName(QStringLiteral("logitTable"));
    table_->setHorizontalHeaderLabels({ tr("Class"), tr("Teacher logit"), tr("Student logit") });
    table_->horizontalHeader()->setSectionResizeMode(ClassColumn, QHeaderView::Stretch);
    // The logit columns as wide as their headers and numbers, at any font (presentation mode).
    table_->horizontalHeader()->setSectionResizeMode(TeacherColumn, QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSectionResizeMode(StudentColumn, QHeaderView::ResizeToContents);
    table_->verticalHeader()->setVisible(false);
    table_->setToolTip(
        tr("Double-click a logit to edit it. Logits are unnormalised log-probabilities: any finite "
           "numbers; only their differences matter."));
    layout->addWidget(table_, 1);

    auto* form = new QFormLayout;
    hardLabel_ = new QComboBox(this);
    hardLabel_->setObjectName(QStringLiteral("hardLabelCombo"));
    hardLabel_->setToolTip(tr("The true class y for the cross-entropy term (1 \u2212 \u03b1)\u00b7CE."));
    form->addRow(tr("Hard label:"), hardLabel_);
    auto* perturbRow = new QHBoxLayout;
    noise_ = new QDoubleSpinBox(this);
    noise_->setRange(0.0, 10.0);
    noise_->setSingleStep(0.25);
    noise_->setValue(1.0);
    noise_->setSuffix(tr(" std"));
    noise_->setToolTip(tr("Standard deviation of the Gaussian noise added to each teacher logit."));
    auto* perturbButton = new QPushButton(tr("Perturb the teacher"), this);
    perturbButton->setObjectName(QStringLiteral("perturbButton"));
    perturbButton->setToolTip(
        tr("Student logits = teacher logits + noise: an imperfect student to compare."));
    perturbRow->addWidget(noise_);
    perturbRow->addWidget(perturbButton, 1);
    form->addRow(tr("Student:"), perturbRow);
    layout->addLayout(form);

    message_ = new QLabel(this);
    message_->setObjectName(QStringLiteral("logitMessage"));
    message_->setWordWrap(true);
    layout->addWidget(message_);

    connect(presets_, &QComboBox::activated, this, &LogitTableEditor::loadPreset);
    connect(importButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Import teacher logits"), QString(), tr("Logits (*.csv *.json *.npy *.txt)"));
        if (!path.isEmpty())
            importFile(path);
    });
    connect(perturbButton, &QPushButton::clicked, this, [this] {
        ++perturbSeed_;
        perturbStudent();
        Q_EMIT logitsChanged();
    });
    connect(table_, &QTableWidget::cellChanged, this, &LogitTableEditor::cellEdited);
    connect(hardLabel_, &QComboBox::currentIndexChanged, this, [this](int row) {
        if (updating_ || row < 0 || row >= static_cast<int>(rowClasses_.size()))
            return;
        hardLabelClass_ = rowClasses_[row];
        Q_EMIT logitsChanged();
    });
    loadPreset(0);
}

int LogitTableEditor::hardLabel() const
{
    return hardLabelClass_;
}

void LogitTableEditor::loadPreset(int index)
{
    const auto& presets = distill::logitPresets();
    if (index < 0 || index >= static_cast<int>(presets.size()))
        return;
    presets_->setCurrentIndex(index);
    setTeacher(presets[index].logits);
}

bool LogitTableEditor::importFile(const QString& path)
{
    Result<distill::ClassLogits> imported = distill::importLogits(path);
    if (!imported) {
        showMessage(imported.error().toString(), true);
        return false;
    }
    setTeacher(std::move(imported.value()));
    presets_->setPlaceholderText(tr("Imported: %1").arg(QFileInfo(path).fileName()));
    presets_->setCurrentIndex(-1);
    return true;
}

void LogitTableEditor::setTeacher(distill::ClassLogits teacher)
{
    teacher_ = std::move(teacher);
    const int classes = static_cast<int>(teacher_.logits.size());
    if (classes <= kMaxTableRows) {
        rowClasses_.resize(classes);
        for (int i = 0; i < classes; ++i)
            rowClasses_[i] = i;
    } else {
        rowClasses_ = distill::topIndices(teacher_.logits, kMaxTableRows);
    }
    // The default hard label is the teacher's answer (its largest logit).
    hardLabelClass_ = distill::argmax(teacher_.logits);
    perturbSeed_ = 1;
    perturbStudent();
    const QString source
        = QFileInfo(teacher_.source).exists() ? QFileInfo(teacher_.source).fileName() : teacher_.source;
    summary_->setText(classes <= kMaxTableRows
            ? tr("%n classes from %1.", nullptr, classes).arg(source)
            : tr("%1 classes from %2; the table lists the %3 with the largest teacher logits.")
                  .arg(QLocale().toString(classes), source)
                  .arg(kMaxTableRows));
    showMessage(QString(), false);
    Q_EMIT logitsChanged();
}

void LogitTableEditor::perturbStudent()
{
    student_ = distill::perturbLogits(teacher_.logits, noise_->value(), perturbSeed_);
    rebuildTable();
}

bool LogitTableEditor::setStudentLogits(const std::vector<double>& logits)
{
    if (logits.size() != teacher_.logits.size()) {
        showMessage(
            tr("%1 student logits for %2 classes").arg(logits.size()).arg(teacher_.logits.size()), true);
        return false;
    }
    if (auto check = distill::validateLogits(logits, tr("student logits")); !check) {
        showMessage(check.error().message, true);
        return false;
    }
    student_ = logits;
    rebuildTable();
    Q_EMIT logitsChanged();
    return true;
}

bool LogitTableEditor::setHardLabel(int classIndex)
{
    const auto row = std::find(rowClasses_.begin(), rowClasses_.end(), classIndex);
    if (row == rowClasses_.end())
        return false;
    hardLabel_->setCurrentIndex(static_cast<int>(row - rowClasses_.begin()));
    return hardLabelClass_ == classIndex;
}

const QAbstractItemModel* LogitTableEditor::tableModel() const
{
    return table_->model();
}

void LogitTableEditor::rebuildTable()
{
    updating_ = true;
    table_->setRowCount(static_cast<int>(rowClasses_.size()));
    hardLabel_->clear();
    for (int row = 0; row < static_cast<int>(rowClasses_.size()); ++row) {
        const int index = rowClasses_[row];
        table_->setItem(row, ClassColumn, new QTableWidgetItem(teacher_.labels[index]));
        table_->setItem(
            row, TeacherColumn, new QTableWidgetItem(QString::number(teacher_.logits[index], 'g', 6)));
        table_->setItem(row, StudentColumn, new QTableWidgetItem(QString::number(student_[index], 'g', 4)));
        hardLabel_->addItem(teacher_.labels[index]);
    }
    const auto chosen = std::find(rowClasses_.begin(), rowClasses_.end(), hardLabelClass_);
    hardLabel_->setCurrentIndex(
        chosen == rowClasses_.end() ? 0 : static_cast<int>(chosen - rowClasses_.begin()));
    updating_ = false;
}

void LogitTableEditor::cellEdited(int row, int column)
{
    if (updating_ || row < 0 || row >= static_cast<int>(rowClasses_.size()))
        return;
    const int index = rowClasses_[row];
    if (column == ClassColumn) {
        const QString name = table_->item(row, column)->text().trimmed();
        if (name.isEmpty()) {
            showMessage(tr("A class needs a name."), true);
            updating_ = true;
            table_->item(row, column)->setText(teacher_.labels[index]);
            updating_ = false;
            return;
        }
        teacher_.labels[index] = name;
        updating_ = true;
        hardLabel_->setItemText(row, name);
        updating_ = false;
        showMessage(QString(), false);
        Q_EMIT logitsChanged();
        return;
    }
    std::vector<double>& target = column == TeacherColumn ? teacher_.logits : student_;
    const QString what = column == TeacherColumn ? tr("teacher logit of %1").arg(teacher_.labels[index])
                                                 : tr("student logit of %1").arg(teacher_.labels[index]);
    Result<std::vector<double>> parsed = distill::parseNumberList(table_->item(row, column)->text(), what);
    if (!parsed || parsed->size() != 1) {
        showMessage(parsed ? tr("%1: give one number").arg(what) : parsed.error().message, true);
        updating_ = true;
        table_->item(row, column)->setText(QString::number(target[index], 'g', 6));
        updating_ = false;
        return;
    }
    target[index] = parsed->front();
    showMessage(QString(), false);
    Q_EMIT logitsChanged();
}

void LogitTableEditor::showMessage(const QString& text, bool isError)
{
    message_->setText(text);
    message_->setStyleSheet(isError ? QStringLiteral("color: #b00020;") : QString());
}

} // namespace cstudio::ui
