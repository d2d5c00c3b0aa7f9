// cstudio report writes one self-contained HTML report or a PDF: seed 000's budget table, the
// quantization of a weights file for the chosen schemes, and seed 002's temperature table,
// with the pages' charts; bad arguments exit 2, unreadable files exit 1, and the report is
// written atomically.
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>

class TestReportCommand : public QObject {
    Q_OBJECT

    struct Run {
        int exitCode = -1;
        QString out, err;
    };

    // `headless`: no display and no platform chosen, as on a server or in a cron job.
    static Run cstudio(const QStringList& arguments, bool headless = false)
    {
        QProcess process;
        if (headless) {
            QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
            for (const char* name : {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"})
                environment.remove(QString::fromLatin1(name));
            process.setProcessEnvironment(environment);
        }
        process.start(QStringLiteral(CSTUDIO_CLI_PATH), QStringList{QStringLiteral("report")} + arguments);
        process.waitForFinished(300000);
        return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
    }

    static QString readAll(const QString& path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
    }

    static QByteArray sha256(const QString& path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256) : QByteArray();
    }

    // The PDF's text (pdftotext -layout), or a null string when the tool failed.
    static QString pdfText(const QString& pdf)
    {
        QProcess process;
        process.start(QStringLiteral("pdftotext"), {QStringLiteral("-layout"), pdf, QStringLiteral("-")});
        if (!process.waitForFinished(60000) || process.exitCode() != 0)
            return {};
        return QString::fromUtf8(process.readAllStandardOutput());
    }

    // Pixels of page `page` rendered by poppler (pdftoppm, 50 dpi) that have a strong colour:
    // chart bars and lines (text and table rules are black and grey). -1 when it did not render.
    // The page comes as a binary PPM ("P6 width height 255" then RGB bytes): no image library needed.
    static int colouredPixels(const QString& pdf, int page, const QString& folder)
    {
        const QString prefix = QDir(folder).filePath(QStringLiteral("page"));
        QProcess process;
        process.start(QStringLiteral("pdftoppm"), {QStringLiteral("-r"), QStringLiteral("50"), QStringLiteral("-singlefile"), QStringLiteral("-f"),
                                                   QString::number(page), QStringLiteral("-l"), QString::number(page), pdf, prefix});
        QFile file(prefix + QStringLiteral(".ppm"));
        if (!process.waitForFinished(60000) || process.exitCode() != 0 || !file.open(QIODevice::ReadOnly))
            return -1;
        const QByteArray bytes = file.readAll();
        const QList<QByteArray> header = bytes.left(40).simplified().split(' ');
        if (header.size() < 4 || header[0] != "P6" || header[3].toInt() != 255)
            return -1;
        const qsizetype pixels = header[1].toLongLong() * header[2].toLongLong();
        qsizetype offset = 0;
        for (int fields = 0; fields < 4; ++fields) {  // past magic, width, height, maximum and one whitespace
            while (offset < bytes.size() && QChar::isSpace(bytes[offset]))
                ++offset;
            while (offset < bytes.size() && !QChar::isSpace(bytes[offset]))
                ++offset;
        }
        ++offset;
        if (bytes.size() - offset < pixels * 3)
            return -1;
        int count = 0;
        for (qsizetype i = 0; i < pixels; ++i) {
            const auto* rgb = reinterpret_cast<const unsigned char*>(bytes.constData() + offset + 3 * i);
            const int high = std::max({rgb[0], rgb[1], rgb[2]}), low = std::min({rgb[0], rgb[1], rgb[2]});
            count += high - low > 80 ? 1 : 0;
        }
        return count;
    }

    static bool havePoppler()
    {
        return !QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty()
               && !QStandardPaths::findExecutable(QStringLiteral("pdftoppm")).isEmpty();
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
        // The pages' charts, embedded: memory and devices, RMSE per layer, softened teacher and
        // entropy (a build without the Qt GUI libraries writes the tables alone).
        QCOMPARE(html.count(QStringLiteral("<img src=\"data:image/png;base64,")), CSTUDIO_CLI_HAS_GUI ? 5 : 0);
        if (CSTUDIO_CLI_HAS_GUI)
            QVERIFY(html.contains(QStringLiteral("alt=\"Relative RMSE per layer, by scheme\"")));
    }

    void noChartsGivesTablesAlone()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("tables.html"));
        const Run run = cstudio({QStringLiteral("--no-charts"), QStringLiteral("--out"), path}, true);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QString html = readAll(path);
        QVERIFY(html.contains(QStringLiteral("<td>2.217</td>")));
        QVERIFY(!html.contains(QStringLiteral("<img")));
    }

    void aPdfReportHoldsTheSummaryFiguresAndItsChartsWithNoDisplay()
    {
        if (!CSTUDIO_CLI_HAS_GUI)
            QSKIP("this build has no Qt GUI libraries: cstudio report writes HTML only (see badArgumentsExitTwoWithAMessage)");
        if (!havePoppler())
            QSKIP("pdftotext and pdftoppm (poppler-utils) are not installed; installer/install-deps.sh --test installs them");
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("report.pdf"));
        const QString weights = QStringLiteral(CSTUDIO_SOURCE_DIR "/tests/data/seed002_weights.npy");
        const QByteArray weightsBefore = sha256(weights);
        QVERIFY(!weightsBefore.isEmpty());
        const Run run = cstudio({weights, QStringLiteral("--schemes"), QStringLiteral("int8:tensor,int4:g64"), QStringLiteral("--out"), path}, true);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
        QCOMPARE(sha256(weights), weightsBefore);  // the input is only read
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("report.pdf")});  // no temporary file left
        QVERIFY(readAll(path).startsWith(QStringLiteral("%PDF-")));

        const QString text = pdfText(path).simplified();
        QVERIFY2(!text.isEmpty(), "pdftotext could not read the report");
        // Seed 000's summary and table, the quantization of the file, seed 002's entropies.
        QVERIFY2(text.contains(QStringLiteral("weights 35.0 GB")), qPrintable(text.left(600)));
        for (const char* figure : {"280.0 0.00 336.0 5", "140.0 0.00 168.0 3", "70.0 0.00 84.0 2", "35.0 0.00 42.0 1"})
            QVERIFY2(text.contains(QString::fromLatin1(figure)), figure);
        QVERIFY(text.contains(QStringLiteral("seed002_weights")));
        QVERIFY(text.contains(QStringLiteral("int8:tensor")));
        QVERIFY(text.contains(QStringLiteral("int4:g64")));
        for (const char* entropy : {"0.458", "1.294", "2.217", "2.476"})
            QVERIFY2(text.contains(QString::fromLatin1(entropy)), entropy);
        for (const char* chart : {"Memory by precision", "Devices needed", "Teacher softened at", "Teacher entropy over temperature"})
            QVERIFY2(text.contains(QString::fromLatin1(chart)), chart);

        // The first page renders, with its text and the memory chart's coloured bars on it.
        const int coloured = colouredPixels(path, 1, dir.path());
        QVERIFY2(coloured > 2000, qPrintable(QStringLiteral("%1 coloured pixels on page 1").arg(coloured)));
    }

    void budgetAloneAndDistillationAloneWriteToPdf_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QStringList>("present");
        QTest::addColumn<QStringList>("absent");
        QTest::newRow("budget") << QStringList{QStringLiteral("--model"), QStringLiteral("llama-3.1-8b"), QStringLiteral("--formats"),
                                               QStringLiteral("q4_k"), QStringLiteral("--no-distill")}
                                << QStringList{QStringLiteral("Llama 3.1 8B"), QStringLiteral("GGUF Q4_K"), QStringLiteral("Memory by precision")}
                                << QStringList{QStringLiteral("Distillation")};
        QTest::newRow("distillation") << QStringList{QStringLiteral("--no-budget"), QStringLiteral("--tau"), QStringLiteral("1,5")}
                                      << QStringList{QStringLiteral("0.458"), QStringLiteral("2.217"), QStringLiteral("Teacher softened at")}
                                      << QStringList{QStringLiteral("Budget"), QStringLiteral("1.294")};
    }

    void budgetAloneAndDistillationAloneWriteToPdf()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QStringList, present);
        QFETCH(QStringList, absent);
        if (!CSTUDIO_CLI_HAS_GUI)
            QSKIP("this build has no Qt GUI libraries: cstudio report writes HTML only");
        if (!havePoppler())
            QSKIP("pdftotext and pdftoppm (poppler-utils) are not installed; installer/install-deps.sh --test installs them");
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("section.pdf"));
        const Run run = cstudio(arguments + QStringList{QStringLiteral("--out"), path});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QString text = pdfText(path);
        for (const QString& expected : present)
            QVERIFY2(text.contains(expected), qPrintable(expected));
        for (const QString& unexpected : absent)
            QVERIFY2(!text.contains(unexpected), qPrintable(unexpected));
        const int coloured = colouredPixels(path, 1, dir.path());
        QVERIFY2(coloured > 1000, qPrintable(QStringLiteral("%1 coloured pixels on page 1").arg(coloured)));
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
        QTest::newRow("other suffix") << QStringList{QStringLiteral("--out"), QStringLiteral("r.txt")} << QStringLiteral("must end in .html or .pdf");
        if (!CSTUDIO_CLI_HAS_GUI)
            QTest::newRow("pdf without the GUI libraries") << QStringList{QStringLiteral("--out"), QStringLiteral("r.pdf")}
                                                           << QStringLiteral("writes HTML only");
        else
            QTest::newRow("bad tau, pdf") << QStringList{QStringLiteral("--tau"), QStringLiteral("-1"), QStringLiteral("--out"), QStringLiteral("r.pdf")}
                                          << QStringLiteral("tau = -1 is not allowed");
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

    void anUnreadableFileExitsOneAndKeepsTheOldReport_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("html") << QStringLiteral("report.html");
        if (CSTUDIO_CLI_HAS_GUI)
            QTest::newRow("pdf") << QStringLiteral("report.pdf");
    }

    void anUnreadableFileExitsOneAndKeepsTheOldReport()
    {
        QFETCH(QString, name);
        QTemporaryDir dir;
        const QString path = dir.filePath(name);
        QFile old(path);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("the previous report");
        old.close();
        const Run run = cstudio({dir.filePath(QStringLiteral("missing.safetensors")), QStringLiteral("--out"), path});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("missing.safetensors")), qPrintable(run.err));
        QCOMPARE(readAll(path), QStringLiteral("the previous report"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{name});
    }
};

QTEST_GUILESS_MAIN(TestReportCommand)
#include "test_report_command.moc"
