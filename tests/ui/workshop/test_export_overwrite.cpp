// The GUI never overwrites a file without asking: saving a session or exporting a report or a
// table onto a file that exists asks first (about the final name, after the suffix the filter
// adds), declining leaves the file byte for byte as it was, and accepting replaces it whole.
#include "ui/main_window.h"
#include "ui/workshop/workshop_controller.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace cstudio::ui;

namespace {
QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void runCommand(WorkshopController* workshop, const QString& command)
{
    if (command == QLatin1String("report"))
        workshop->exportReportDialog();
    else if (command == QLatin1String("table"))
        workshop->exportTableDialog();
    else
        workshop->saveSessionAs();
}
}  // namespace

class TestExportOverwrite : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName(QStringLiteral("CompressionStudioTests"));
        QApplication::setApplicationName(QStringLiteral("test_export_overwrite"));
    }

    void writingOntoAnExistingFileAsksAndDecliningLeavesItUntouched_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("typedName");  // what the user types in the file dialog
        QTest::addColumn<QString>("fileName");   // the file that results
        QTest::addColumn<QByteArray>("newStart");
        QTest::newRow("report, suffix added") << QStringLiteral("report") << QStringLiteral("report") << QStringLiteral("report.html")
                                              << QByteArray("<!DOCTYPE html>");
        QTest::newRow("report as pdf") << QStringLiteral("report") << QStringLiteral("report.pdf") << QStringLiteral("report.pdf")
                                       << QByteArray("%PDF-");
        QTest::newRow("table") << QStringLiteral("table") << QStringLiteral("memory.csv") << QStringLiteral("memory.csv")
                               << QByteArray("Precision,");
        QTest::newRow("session") << QStringLiteral("session") << QStringLiteral("workshop") << QStringLiteral("workshop.cstudio")
                                 << QByteArray("{");
    }

    void writingOntoAnExistingFileAsksAndDecliningLeavesItUntouched()
    {
        QFETCH(QString, command);
        QFETCH(QString, typedName);
        QFETCH(QString, fileName);
        QFETCH(QByteArray, newStart);
        MainWindow window;
        QVERIFY(window.showPage(QStringLiteral("Budget")));
        WorkshopController* workshop = window.workshop();
        QTemporaryDir dir;
        const QString path = dir.filePath(fileName);
        const QByteArray previous = "the previous file, which the user wants to keep";
        QFile old(path);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write(previous);
        old.close();

        QStringList asked;
        bool replace = false;
        workshop->savePrompts().savePath = [&](const QString&, const QString&, const QString&, QString*) { return dir.filePath(typedName); };
        workshop->savePrompts().confirmOverwrite = [&](const QString& existing) {
            asked.append(existing);
            return replace;
        };

        runCommand(workshop, command);
        QCOMPARE(asked, QStringList{path});
        QCOMPARE(readAll(path), previous);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{fileName});  // nothing else written either

        replace = true;
        runCommand(workshop, command);
        QCOMPARE(asked.size(), 2);
        QVERIFY2(readAll(path).startsWith(newStart), readAll(path).left(80).constData());
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{fileName});
    }

    void aNewFileIsWrittenWithoutAsking()
    {
        MainWindow window;
        WorkshopController* workshop = window.workshop();
        QTemporaryDir dir;
        int questions = 0;
        workshop->savePrompts().savePath = [&](const QString&, const QString&, const QString&, QString*) {
            return dir.filePath(QStringLiteral("fresh.html"));
        };
        workshop->savePrompts().confirmOverwrite = [&](const QString&) {
            ++questions;
            return false;
        };
        workshop->exportReportDialog();
        QCOMPARE(questions, 0);
        QVERIFY(readAll(dir.filePath(QStringLiteral("fresh.html"))).startsWith("<!DOCTYPE html>"));
    }

    void cancellingTheFileDialogWritesNothing()
    {
        MainWindow window;
        WorkshopController* workshop = window.workshop();
        QTemporaryDir dir;
        QDir::setCurrent(dir.path());
        workshop->savePrompts().savePath = [](const QString&, const QString&, const QString&, QString*) { return QString(); };
        workshop->savePrompts().confirmOverwrite = [](const QString&) {
            return true;
        };
        workshop->exportReportDialog();
        workshop->saveSessionAs();
        QVERIFY(QDir(dir.path()).isEmpty());
    }
};

QTEST_MAIN(TestExportOverwrite)
#include "test_export_overwrite.moc"
