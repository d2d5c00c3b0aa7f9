// File > Export Report from the window: every page's charts are in the report at their
// on-screen size, pages the user never opened included, and the user is left on the page
// they were on. The Quant Lab reports its analysis by scheme and by layer, as the CLI does;
// its table of every tensor stays for Export Table.
#include "ui/main_window.h"
#include "ui/quantlab/quantlab_page.h"
#include "ui/workshop/workshop_controller.h"

#include <QApplication>
#include <QFile>
#include <QImage>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace cstudio::ui;

class TestReportDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName(QStringLiteral("CompressionStudioTests"));
        QApplication::setApplicationName(QStringLiteral("test_report_dialog"));
    }

    void chartsOfPagesNeverOpenedAreLaidOutInTheReport()
    {
        MainWindow window;
        window.resize(1600, 1000);
        QVERIFY(window.showPage(QStringLiteral("Budget")));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* quantLab = qobject_cast<QuantLabPage*>(window.page(QStringLiteral("Quant Lab")));
        QVERIFY(quantLab);
        QTRY_VERIFY_WITH_TIMEOUT(quantLab->analysis() != nullptr, 300000);  // the demo model, analysed
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("report.html"));
        window.workshop()->savePrompts().savePath = [&](const QString&, const QString&, const QString&, QString*) { return path; };
        window.workshop()->exportReportDialog();
        QCOMPARE(window.currentPageTitle(), QStringLiteral("Budget"));

        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString html = QString::fromUtf8(file.readAll());
        QVERIFY(html.contains(QStringLiteral("<h3>Schemes over the whole model</h3>")));
        QVERIFY(html.contains(QStringLiteral("<h3>Relative RMSE by layer</h3>")));
        QVERIFY(!html.contains(QStringLiteral("Quantization error per tensor and scheme")));
        // The Distillation page was never opened; its temperature explorer is in the report.
        QVERIFY(html.contains(QStringLiteral("alt=\"Teacher softened at")));
        const QRegularExpression image(QStringLiteral("<img src=\"data:image/png;base64,([^\"]+)\" alt=\"([^\"]*)\""));
        int images = 0;
        for (const QRegularExpressionMatch& match : image.globalMatch(html)) {
            const QImage chart = QImage::fromData(QByteArray::fromBase64(match.captured(1).toLatin1()), "PNG");
            // Laid out: at least the charts' minimum size (at 2x), not a never-shown view's default.
            QVERIFY2(chart.width() >= 2 * 200 && chart.height() >= 2 * 150,
                     qPrintable(QStringLiteral("%1: %2 x %3").arg(match.captured(2)).arg(chart.width()).arg(chart.height())));
            ++images;
        }
        QVERIFY(images >= 8);
    }
};

QTEST_MAIN(TestReportDialog)
#include "test_report_dialog.moc"
