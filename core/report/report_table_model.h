#pragma once
// A ReportTable as a read-only Qt item model, so a table computed in core for a report is
// also what a page offers for CSV/JSON export (StudioPage::exportableTables) and can be shown
// in a QTableView. Cells that read as numbers are returned as doubles (JSON keeps them numeric).
#include "core/report/report_document.h"

#include <QAbstractTableModel>

namespace cstudio {

class ReportTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    using QAbstractTableModel::QAbstractTableModel;

    void setTable(ReportTable table);
    const ReportTable& table() const { return table_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    ReportTable table_;
};

}  // namespace cstudio
