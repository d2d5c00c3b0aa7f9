// cstudio report writes one self-contained HTML report: seed 000's budget table, the
// quantization of a weights file for the chosen schemes, and seed 002's temperature table;
// bad arguments exit 2, unreadable files exit 1, and the report is written atomically.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

class TestReportCommand : public QObject {
    Q_OBJECT

    struct Run {
        int exitCode = -1;
        QString out, err;
    };

    static Run cstudio(const QStringList& arguments)
    {
        QProcess process;
        process.start(QStringLiteral(CSTUDIO_CLI_PATH), QStringList{QStringLiteral("report")} + arguments);
        process.waitForFinished(300000);
        return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
    }

    static QString readAll(const QString& path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
    }

private Q_SLOTS:
    void theReportHoldsTheSeedTablesAndTheQuantizationOfAFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("report.html"));
        const Run run = cstudio({QStringLiteral("demo:"), QStringLiteral("--schemes"), QStringLiteral("int8:tensor,int4:g64"),
                                 QStringLiteral("--out"), path});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QString html = readAll(path);
        QVERIFY(html.startsWith(QStringLiteral("<!DOCTYPE html>")));
        // Seed 000: 70B at 32/16/8/4 bits -> 280/140/70/35 GB on 5/3/2/1 GPUs of 80 GB.
        for (const auto& [gigabytes, gpus] : {std::pair{"280.0", "5"}, {"140.0", "3"}, {"70.0", "2"}, {"35.0", "1"}})
            QVERIFY2(html.contains(QStringLiteral("<td>%1</td><td>%2</td><td>%3</td>")
                                       .arg(QString::fromLatin1(gigabytes), QStringLiteral("0.00"))
                                       .arg(QString::number(QString::fromLatin1(gigabytes).toDouble() * 1.2, 'f', 1))
                                   + QStringLiteral("<td>%1</td>").arg(QString::fromLatin1(gpus))),
                     gigabytes);
        // Quantization of the demo model: both schemes, by model and by layer.
        QVERIFY(html.contains(QStringLiteral("<h2>Quantization</h2>")));
        QVERIFY(html.contains(QStringLiteral("<td class=\"text\">int8:tensor</td>")));
        QVERIFY(html.contains(QStringLiteral("<td class=\"text\">int4:g64</td>")));
        QVERIFY(html.contains(QStringLiteral("Relative RMSE by layer")));
        // Seed 002: entropies at tau = 1, 2, 5, 10 and the tau = 5 row.
        for (const char* entropy : {"0.458", "1.294", "2.217", "2.476"})
            QVERIFY2(html.contains(QStringLiteral("<td>%1</td>").arg(QString::fromLatin1(entropy))), entropy);
        QVERIFY(html.contains(QStringLiteral("<td>5</td><td>2.217</td><td>4.65</td><td>0.396</td><td>0.240</td><td>0.146</td>"
                                             "<td>0.108</td><td>0.080</td><td>0.029</td>")));
        QVERIFY(!html.contains(QStringLiteral("src=\"http")));
    }

    void sectionsCanBeLeftOutAndTheBudgetFollowsItsOptions()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("budget.html"));
        const Run run = cstudio({QStringLiteral("--model"), QStringLiteral("llama-3.1-8b"), QStringLiteral("--formats"),
                                 QStringLiteral("q4_k"), QStringLiteral("--bits"), QStringLiteral("16"), QStringLiteral("--no-distill"),
                                 QStringLiteral("--out"), path});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QString html = readAll(path);
        QVERIFY(html.contains(QStringLiteral("Llama 3.1 8B")));
        QVERIFY(html.contains(QStringLiteral("GGUF Q4_K")));
        QVERIFY(!html.contains(QStringLiteral("<h2>Distillation</h2>")));
        QVERIFY(!html.contains(QStringLiteral("<h2>Quantization</h2>")));
    }

    void badArgumentsExitTwoWithAMessage_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("no --out") << QStringList{} << QStringLiteral("--out report.html is required");
        QTest::newRow("pdf") << QStringList{QStringLiteral("--out"), QStringLiteral("r.pdf")} << QStringLiteral("PDF reports come from the GUI");
        QTest::newRow("other suffix") << QStringList{QStringLiteral("--out"), QStringLiteral("r.txt")} << QStringLiteral("must end in .html");
        QTest::newRow("bad scheme") << QStringList{QStringLiteral("demo:"), QStringLiteral("--schemes"), QStringLiteral("int99"),
                                                   QStringLiteral("--out"), QStringLiteral("r.html")}
                                    << QStringLiteral("--schemes");
        QTest::newRow("bad tau") << QStringList{QStringLiteral("--tau"), QStringLiteral("0"), QStringLiteral("--out"), QStringLiteral("r.html")}
                                 << QStringLiteral("tau = 0 is not allowed");
        QTest::newRow("unknown model") << QStringList{QStringLiteral("--model"), QStringLiteral("gpt-9"), QStringLiteral("--out"),
                                                      QStringLiteral("r.html")}
                                       << QStringLiteral("no catalog model 'gpt-9'");
    }

    void badArgumentsExitTwoWithAMessage()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        QTemporaryDir dir;
        QDir::setCurrent(dir.path());
        const Run run = cstudio(arguments);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
        QVERIFY(QDir(dir.path()).isEmpty());  // nothing written
    }

    void anUnreadableFileExitsOneAndKeepsTheOldReport()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("report.html"));
        QFile old(path);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("the previous report");
        old.close();
        const Run run = cstudio({dir.filePath(QStringLiteral("missing.safetensors")), QStringLiteral("--out"), path});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("missing.safetensors")), qPrintable(run.err));
        QCOMPARE(readAll(path), QStringLiteral("the previous report"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("report.html")});
    }
};

QTEST_GUILESS_MAIN(TestReportCommand)
#include "test_report_command.moc"
