// Tables leave the studio as CSV and JSON exactly as shown, reports as one self-contained HTML
// file, and every export is written atomically: a failed write leaves the old file untouched.
#include "core/export/atomic_file.h"
#include "core/export/table_export.h"
#include "core/report/report_document.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QAbstractTableModel>
#include <QTemporaryDir>
#include <QtTest>

using namespace cstudio;

namespace {
// A plain table model (QtCore only, as core is): headers and a grid of display values.
class TableModel : public QAbstractTableModel {
public:
    QStringList headers;
    QList<QList<QVariant>> cells;
    int rowCount(const QModelIndex& = {}) const override { return static_cast<int>(cells.size()); }
    int columnCount(const QModelIndex& = {}) const override { return static_cast<int>(headers.size()); }
    QVariant data(const QModelIndex& index, int role) const override
    {
        return role == Qt::DisplayRole ? cells[index.row()][index.column()] : QVariant();
    }
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        return orientation == Qt::Horizontal && role == Qt::DisplayRole ? QVariant(headers[section]) : QVariant();
    }
};

// Seed 000's table: a 70B model at four precisions.
void fillSeedTable(TableModel& model)
{
    model.headers = {QStringLiteral("Bits"), QStringLiteral("Weights (GB)"), QStringLiteral("GPUs"), QStringLiteral("Note")};
    model.cells = {{32, 280.0, 5, QStringLiteral("full precision")},
                   {16, 140.0, 3, QStringLiteral("the default, \"BF16\"")},
                   {8, 70.0, 2, QStringLiteral("half, and nearly lossless")},
                   {4, 35.0, 1, QStringLiteral("one GPU\nat last")}};
}

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
}  // namespace

class TestTableExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void csvHasTheHeaderAndOneLinePerRowWithRfc4180Quoting()
    {
        TableModel model;
        fillSeedTable(model);
        const QString csv = QString::fromUtf8(tableToCsv(model));
        QVERIFY(csv.startsWith(QStringLiteral("Bits,Weights (GB),GPUs,Note\r\n")));
        QVERIFY(csv.contains(QStringLiteral("\r\n32,280,5,full precision\r\n")));
        QVERIFY(csv.contains(QStringLiteral("16,140,3,\"the default, \"\"BF16\"\"\"\r\n")));
        QVERIFY(csv.contains(QStringLiteral("4,35,1,\"one GPU\nat last\"\r\n")));
        QCOMPARE(csv.count(QStringLiteral("\r\n")), model.rowCount() + 1);
    }

    void jsonKeepsNumbersAsNumbersAndNamesColumnsByHeader()
    {
        TableModel model;
        fillSeedTable(model);
        const QJsonObject root = tableToJson(model).object();
        QCOMPARE(root.value(QStringLiteral("columns")).toArray().size(), 4);
        const QJsonArray rows = root.value(QStringLiteral("rows")).toArray();
        QCOMPARE(rows.size(), 4);
        QCOMPARE(rows[3].toObject().value(QStringLiteral("Weights (GB)")).toDouble(), 35.0);
        QCOMPARE(rows[3].toObject().value(QStringLiteral("GPUs")).toDouble(), 1.0);
        QCOMPARE(rows[1].toObject().value(QStringLiteral("Note")).toString(), QStringLiteral("the default, \"BF16\""));
    }

    void atomicWriteReplacesTheFileOnlyWhenComplete()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("table.csv"));
        QVERIFY(writeFileAtomically(path, QByteArray("old contents\n")).ok());
        QCOMPARE(readAll(path), QByteArray("old contents\n"));

        // A writer that fails halfway: the old file stays, and no temporary file is left over.
        const Result<void> failed = writeFileAtomically(path, [](QIODevice& device) {
            device.write("half a new fi");
            return QStringLiteral("the chart could not be rendered");
        });
        QVERIFY(!failed.ok());
        QVERIFY(failed.error().toString().contains(QStringLiteral("the chart could not be rendered")));
        QCOMPARE(readAll(path), QByteArray("old contents\n"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("table.csv")});

        QVERIFY(writeFileAtomically(path, QByteArray("new contents\n")).ok());
        QCOMPARE(readAll(path), QByteArray("new contents\n"));
    }

    void anUnwritableFolderIsAClearError()
    {
        const Result<void> result = writeFileAtomically(QStringLiteral("/nonexistent-folder/report.html"), QByteArray("x"));
        QVERIFY(!result.ok());
        QVERIFY(result.error().toString().startsWith(QStringLiteral("/nonexistent-folder/report.html: cannot be written")));
    }

    void htmlReportIsSelfContainedWithTablesAndEmbeddedFigures()
    {
        TableModel model;
        fillSeedTable(model);
        ReportDocument report;
        report.subtitle = QStringLiteral("70B <demo>");
        ReportSection section{QStringLiteral("Budget"), QStringLiteral("A <b>70B</b> model at 4 bits fits one GPU."), {}, {}};
        section.tables.append(tableToReport(QStringLiteral("Memory by precision"), model, QStringLiteral("N × bits / 8")));
        section.figures.append(ReportFigure{QStringLiteral("Memory chart"), QByteArray("\x89PNG fake", 9), QStringLiteral("caption")});
        report.sections.append(section);

        const QString html = renderReportHtml(report);
        QVERIFY(html.startsWith(QStringLiteral("<!DOCTYPE html>")));
        QVERIFY(html.contains(QStringLiteral("<h2>Budget</h2>")));
        QVERIFY(html.contains(QStringLiteral("70B &lt;demo&gt;")));  // user text is escaped
        QVERIFY(html.contains(QStringLiteral("<td>280</td>")));
        QCOMPARE(html.count(QStringLiteral("<tr>")), model.rowCount() + 1);
        QVERIFY(html.contains(QStringLiteral("src=\"data:image/png;base64,") + QString::fromLatin1(QByteArray("\x89PNG fake", 9).toBase64())));
        QVERIFY(!html.contains(QStringLiteral("src=\"http")));  // nothing outside the file

        const QString forPdf = renderReportHtml(report, ReportImages::Resources);
        QVERIFY(forPdf.contains(QStringLiteral("src=\"") + reportFigureResourceName(0, 0)));
    }
};

QTEST_GUILESS_MAIN(TestTableExport)
#include "test_table_export.moc"
