#include "core/export/table_export.h"

#include <QAbstractItemModel>
#include <QJsonArray>
#include <QJsonObject>

namespace cstudio {
namespace {

QString csvField(const QString& text)
{
    // RFC 4180: quote fields holding a comma, a quote or a line break; double inner quotes.
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n'))
        && !text.contains(QLatin1Char('\r')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QJsonValue jsonCell(const QVariant& value)
{
    switch (value.typeId()) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Double:
    case QMetaType::Float:
        return value.toDouble();
    case QMetaType::Bool:
        return value.toBool();
    default:
        return value.isValid() ? QJsonValue(value.toString()) : QJsonValue();
    }
}

}  // namespace

QStringList tableColumnNames(const QAbstractItemModel& model)
{
    QStringList names;
    for (int column = 0; column < model.columnCount(); ++column) {
        const QString header = model.headerData(column, Qt::Horizontal, Qt::DisplayRole).toString();
        names.append(header.isEmpty() ? QStringLiteral("Column %1").arg(column + 1) : header);
    }
    return names;
}

QByteArray tableToCsv(const QAbstractItemModel& model)
{
    QStringList lines;
    QStringList header;
    for (const QString& name : tableColumnNames(model))
        header.append(csvField(name));
    lines.append(header.join(QLatin1Char(',')));
    for (int row = 0; row < model.rowCount(); ++row) {
        QStringList fields;
        for (int column = 0; column < model.columnCount(); ++column)
            fields.append(csvField(model.data(model.index(row, column), Qt::DisplayRole).toString()));
        lines.append(fields.join(QLatin1Char(',')));
    }
    return (lines.join(QStringLiteral("\r\n")) + QStringLiteral("\r\n")).toUtf8();
}

ReportTable tableToReport(const QString& title, const QAbstractItemModel& model, const QString& caption)
{
    ReportTable table{title, tableColumnNames(model), {}, caption};
    for (int row = 0; row < model.rowCount(); ++row) {
        QStringList cells;
        for (int column = 0; column < model.columnCount(); ++column)
            cells.append(model.data(model.index(row, column), Qt::DisplayRole).toString());
        table.rows.append(cells);
    }
    return table;
}

QJsonDocument tableToJson(const QAbstractItemModel& model)
{
    const QStringList columns = tableColumnNames(model);
    QJsonArray rows;
    for (int row = 0; row < model.rowCount(); ++row) {
        QJsonObject object;
        for (int column = 0; column < columns.size(); ++column)
            object.insert(columns[column], jsonCell(model.data(model.index(row, column), Qt::DisplayRole)));
        rows.append(object);
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("columns"), QJsonArray::fromStringList(columns)},
                                     {QStringLiteral("rows"), rows}});
}

}  // namespace cstudio
