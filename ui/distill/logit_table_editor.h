#pragma once
// The explorer's inputs: a preset menu and an Import button for the teacher's logits, and an
// editable table of class name, teacher logit and student logit, with the hard label and a
// "perturb the teacher" button that makes a student. For a large vocabulary the table lists
// the 200 classes with the largest teacher logits; the rest keep their imported values.
#include "core/distill/class_logits.h"

#include <QWidget>

class QAbstractItemModel;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QTableWidget;

namespace cstudio::ui {

class LogitTableEditor : public QWidget {
    Q_OBJECT
public:
    explicit LogitTableEditor(QWidget* parent = nullptr);

    const distill::ClassLogits& teacher() const { return teacher_; }
    const std::vector<double>& studentLogits() const { return student_; }
    int hardLabel() const;

    void loadPreset(int index);
    // Loads teacher logits from a .csv/.json/.npy file; false (and a message on the page) on error.
    bool importFile(const QString& path);
    void setTeacher(distill::ClassLogits teacher);
    void perturbStudent();
    // Student logits set directly (one per class; false and a message otherwise).
    bool setStudentLogits(const std::vector<double>& logits);
    // The hard label by class index (false if out of range or not in the table).
    bool setHardLabel(int classIndex);
    const QAbstractItemModel* tableModel() const;

Q_SIGNALS:
    void logitsChanged();

private:
    void rebuildTable();
    void cellEdited(int row, int column);
    void showMessage(const QString& text, bool isError);

    distill::ClassLogits teacher_;
    std::vector<double> student_;
    std::vector<int> rowClasses_; // class index shown in each table row
    QComboBox* presets_ = nullptr;
    QTableWidget* table_ = nullptr;
    QComboBox* hardLabel_ = nullptr;
    QDoubleSpinBox* noise_ = nullptr;
    QLabel* summary_ = nullptr;
    QLabel* message_ = nullptr;
    int hardLabelClass_ = 0; // class index of the hard label
    quint64 perturbSeed_ = 1;
    bool updating_ = false;
};

} // namespace cstudio::ui
