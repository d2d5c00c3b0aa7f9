// Every chart exports as PNG (at the chosen scale) and SVG, the report as self-contained HTML and
// as PDF; each file is complete and parseable, and is written atomically.
#include "core/report/report_document.h"
#include "ui/export/chart_export.h"
#include "ui/export/report_export.h"
#include "ui/studio_page.h"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QDir>
#include <QXmlStreamReader>
#include <QFile>
#include <QImage>
#include <QLineSeries>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QValueAxis>
#include <QtTest>

using namespace cstudio;
using namespace cstudio::ui;

namespace {
QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// A page with seed 000's table and its memory chart, as a real page would expose them.
class SeedTablePage : public QWidget, public StudioPage {
public:
    SeedTablePage()
    {
        model.setHorizontalHeaderLabels({QStringLiteral("Bits"), QStringLiteral("Weights (GB)"), QStringLiteral("GPUs")});
        auto* series = new QLineSeries;
        series->setName(QStringLiteral("weights"));
        for (int bits : {32, 16, 8, 4}) {
            const double gigabytes = 70e9 * bits / 8 / 1e9;
            model.appendRow({new QStandardItem(QString::number(bits)), new QStandardItem(QString::number(gigabytes, 'f', 1)),
                             new QStandardItem(QString::number(std::ceil(gigabytes * 1.2 / 80)))});
            series->append(bits, gigabytes);
        }
        auto* chart = new QChart;
        chart->setTitle(QStringLiteral("Memory of a 70B model by precision"));
        chart->addSeries(series);
        chart->createDefaultAxes();
        view = new QChartView(chart, this);
        view->resize(640, 400);
    }
    QJsonObject saveState() const override { return {}; }
    void restoreState(const QJsonObject&, QStringList*) override {}
    QList<ExportableChart> exportableCharts() const override { return {{QStringLiteral("Memory by precision"), view}}; }
    QList<ExportableTable> exportableTables() const override { return {{QStringLiteral("Seed 000 table"), &model}}; }
    QString reportSummaryHtml() const override { return QStringLiteral("A 70B model at 4 bits: <b>35.0 GB</b>, 1 GPU."); }

    QStandardItemModel model;
    QChartView* view = nullptr;
};
}  // namespace

class TestWorkshopExports : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aChartExportsAsPngAtTheChosenScale()
    {
        SeedTablePage page;
        page.resize(640, 400);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("memory.png"));
        QVERIFY(exportChart(page.view, path, 2.0).ok());
        QImage image;
        QVERIFY(image.load(path, "PNG"));
        QCOMPARE(image.size(), page.view->viewport()->size() * 2);
        // Not blank: the chart drew something other than the white background.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7)
            for (int x = 0; x < image.width(); x += 7)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 10, qPrintable(QString::number(colours.size())));
    }

    void aChartExportsAsSvgThatParsesAsXml()
    {
        SeedTablePage page;
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("memory.svg"));
        QVERIFY(exportChart(page.view, path, 1.0, QStringLiteral("Memory by precision")).ok());
        QXmlStreamReader xml(readAll(path));
        QString root;
        int elements = 0;
        while (!xml.atEnd()) {
            if (xml.readNext() == QXmlStreamReader::StartElement) {
                if (root.isEmpty())
                    root = xml.name().toString();
                ++elements;
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(root, QStringLiteral("svg"));
        QVERIFY(elements > 20);
        QVERIFY(readAll(path).contains("Memory of a 70B model by precision"));  // the chart title, as text
    }

    void anUnknownChartFormatIsRefusedAndNothingIsWritten()
    {
        SeedTablePage page;
        QTemporaryDir dir;
        const Result<void> result = exportChart(page.view, dir.filePath(QStringLiteral("memory.bmp")), 1.0);
        QVERIFY(!result.ok());
        QVERIFY(result.error().message.contains(QStringLiteral(".png or .svg")));
        QVERIFY(QDir(dir.path()).isEmpty());
    }

    void theReportIsSelfContainedHtmlWithTablesAndCharts()
    {
        SeedTablePage page;
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        const ReportDocument report = buildReport({{QStringLiteral("Budget"), &page}}, QStringLiteral("test"));
        QCOMPARE(report.sections.size(), 1);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("report.html"));
        QVERIFY(exportReport(report, path).ok());
        const QString html = QString::fromUtf8(readAll(path));
        QVERIFY(html.contains(QStringLiteral("<h2>Budget</h2>")));
        QVERIFY(html.contains(QStringLiteral("<b>35.0 GB</b>")));
        QVERIFY(html.contains(QStringLiteral("<td>280.0</td>")));
        // The embedded chart decodes back to a PNG of the chart's size at 2×.
        const int start = html.indexOf(QStringLiteral("data:image/png;base64,")) + 22;
        QVERIFY(start > 22);
        const QByteArray png = QByteArray::fromBase64(html.mid(start, html.indexOf(QLatin1Char('"'), start) - start).toLatin1());
        QImage image;
        QVERIFY(image.loadFromData(png, "PNG"));
        QCOMPARE(image.size(), page.view->viewport()->size() * 2);
    }

    void theReportExportsAsPdf()
    {
        SeedTablePage page;
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("report.pdf"));
        QVERIFY(exportReport(buildReport({{QStringLiteral("Budget"), &page}}, QStringLiteral("test")), path).ok());
        const QByteArray pdf = readAll(path);
        QVERIFY(pdf.startsWith("%PDF-"));
        QVERIFY(pdf.trimmed().endsWith("%%EOF"));
        QVERIFY(pdf.contains("/Image"));  // the chart is in it
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("report.pdf")});  // no temporary left
    }

    void aReportOverAnExistingFileReplacesItWhole()
    {
        SeedTablePage page;
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("report.html"));
        QFile old(path);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write(QByteArray(100000, 'x'));
        old.close();
        QVERIFY(exportReport(buildReport({{QStringLiteral("Budget"), &page}}, {}), path).ok());
        QVERIFY(!readAll(path).contains("xxxx"));
        QVERIFY(readAll(path).trimmed().endsWith("</html>"));
    }
};

QTEST_MAIN(TestWorkshopExports)
#include "test_workshop_exports.moc"
