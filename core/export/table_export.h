#pragma once
// Any table the studio shows (a QAbstractItemModel: QtCore) as CSV or JSON, exactly as
// displayed: the header row from the model's horizontal headers, each cell's DisplayRole.
// Numbers stay numbers in JSON; in CSV every cell is quoted when RFC 4180 requires it.
#include "core/report/report_document.h"

#include <QByteArray>
#include <QJsonDocument>

class QAbstractItemModel;

namespace cstudio {

QByteArray tableToCsv(const QAbstractItemModel& model);

// {"columns": ["Bits", "Weights (GB)", ...], "rows": [{"Bits": 16, "Weights (GB)": 140.0}, ...]}
QJsonDocument tableToJson(const QAbstractItemModel& model);

// The header texts, column by column (a column without a header is named "Column N").
QStringList tableColumnNames(const QAbstractItemModel& model);

// The table as a report table (display text), for the HTML/PDF report.
ReportTable tableToReport(const QString& title, const QAbstractItemModel& model, const QString& caption = {});

}  // namespace cstudio
