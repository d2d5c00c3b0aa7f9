#pragma once
// A bar of labelled fields ("Model: …  Schemes: …") that keeps several fields to a row while its
// width holds them side by side, and puts one field to a row when it does not (beside the
// Lessons dock, or on a 1280×720 projector with presentation mode's larger fonts). Labels and
// fields stay aligned in columns either way. Its minimum width is that of the one-field rows,
// so a narrow window (or a scroll area around it) can always reach it.
#include <QWidget>
#include <vector>

class QGridLayout;

namespace cstudio::ui {

class WrappingFieldGrid : public QWidget {
    Q_OBJECT
public:
    // `fieldsPerWideRow` fields share a row when there is room.
    explicit WrappingFieldGrid(int fieldsPerWideRow, QWidget* parent = nullptr);

    // Adds `label` and its `field` as the next field; the field column of the last field of a
    // row (and every field column when narrow) takes the spare width.
    void addField(QWidget* label, QWidget* field);

    bool isWrapped() const { return wrapped_; }

protected:
    bool event(QEvent* event) override;

private:
    struct Field {
        QWidget* label;
        QWidget* field;
    };
    void update();
    void arrange(bool wrapped);
    int minimumWidthOf(bool wrapped) const;

    QGridLayout* grid_;
    int perRow_;
    std::vector<Field> fields_;
    bool wrapped_ = false;
    bool updating_ = false;
};

}  // namespace cstudio::ui
