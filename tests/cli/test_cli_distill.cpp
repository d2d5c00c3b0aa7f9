// `cstudio distill`: seed 002's printed table digit for digit, the JSON rows, student losses,
// file input and exit code 2 with a clear message for bad arguments.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {
struct Run {
    int exitCode = -1;
    QString out, err;
};

Run cstudio(const QStringList& arguments)
{
    QProcess process;
    process.start(QStringLiteral(CSTUDIO_CLI_PATH), arguments);
    process.waitForFinished(60000);
    return { process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
        QString::fromUtf8(process.readAllStandardError()) };
}

const QStringList kSeedArguments { "distill", "--logits", "9,6.5,4,2.5,1,-4", "--labels",
    "cat,kitten,lynx,dog,loaf,carburetor", "--tau", "1,2,5,10" };
} // namespace

class TestCliDistill : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void printsSeed002TableToEveryDigit()
    {
        const Run run = cstudio(kSeedArguments);
        QCOMPARE(run.exitCode, 0);
        // The output of the Python code printed in seed 002.
        QCOMPARE(run.out,
            QStringLiteral("tau= 1 H=0.458 bits | cat 0.917 kitten 0.075 lynx 0.006 dog 0.001 loaf 0.000 "
                           "carburetor 0.000\n"
                           "tau= 2 H=1.294 bits | cat 0.701 kitten 0.201 lynx 0.058 dog 0.027 loaf 0.013 "
                           "carburetor 0.001\n"
                           "tau= 5 H=2.217 bits | cat 0.396 kitten 0.240 lynx 0.146 dog 0.108 loaf 0.080 "
                           "carburetor 0.029\n"
                           "tau=10 H=2.476 bits | cat 0.276 kitten 0.215 lynx 0.167 dog 0.144 loaf 0.124 "
                           "carburetor 0.075\n"));
    }

    void jsonHasRowsWithTauEntropyAndProbs()
    {
        const Run run = cstudio(kSeedArguments + QStringList { "--json" });
        QCOMPARE(run.exitCode, 0);
        const QJsonArray rows
            = QJsonDocument::fromJson(run.out.toUtf8()).object()[QStringLiteral("rows")].toArray();
        QCOMPARE(rows.size(), 4);
        QCOMPARE(rows[2][QStringLiteral("tau")].toDouble(), 5.0);
        QVERIFY(std::abs(rows[2][QStringLiteral("entropy_bits")].toDouble() - 2.2166682744698916) < 1e-12);
        QVERIFY(std::abs(rows[0][QStringLiteral("probs")][0].toDouble() - 0.9168725667901794) < 1e-12);
        QVERIFY(!rows[0].toObject().contains(QStringLiteral("kl")));
    }

    void studentAddsKlCrossEntropyAndLoss()
    {
        const Run run = cstudio(
            kSeedArguments + QStringList { "--student", "9,6.5,4,2.5,1,-4", "--alpha", "0.7", "--json" });
        QCOMPARE(run.exitCode, 0);
        const QJsonObject row
            = QJsonDocument::fromJson(run.out.toUtf8())[QStringLiteral("rows")][1].toObject();
        // A student equal to the teacher: KL 0, loss = (1 - α)·CE = 0.3·(-log 0.9168725667901794).
        QCOMPARE(row[QStringLiteral("kl")].toDouble(), 0.0);
        const double ce = -std::log(0.9168725667901794);
        QVERIFY(std::abs(row[QStringLiteral("ce")].toDouble() - ce) < 1e-12);
        QVERIFY(std::abs(row[QStringLiteral("loss")].toDouble() - 0.3 * ce) < 1e-12);
        const Run text
            = cstudio(kSeedArguments + QStringList { "--student", "5,5,5,5,5,5", "--hard-label", "kitten" });
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains(QStringLiteral("hard label: kitten")));
        QVERIFY(text.out.contains(QStringLiteral("KL(T||S)")));
    }

    void readsLogitsFromAFileAndSummarisesLargeVocabularies()
    {
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("vocab.csv")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (int i = 0; i < 1000; ++i)
            file.write(QByteArray::number(-i * 0.01) + "\n");
        file.close();
        const Run run = cstudio({ "distill", "--file", file.fileName(), "--tau", "1", "--top", "3" });
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.startsWith(QStringLiteral("tau= 1 H=")), qPrintable(run.out));
        QVERIFY(run.out.contains(QStringLiteral("class 0 ")));
        QVERIFY(run.out.contains(QStringLiteral("(other 997) ")));
    }

    void badArgumentsExitWithCode2AndAMessage_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("no logits") << QStringList { "distill" } << "exactly one of --logits or --file";
        QTest::newRow("empty") << QStringList { "distill", "--logits", "" } << "empty";
        QTest::newRow("non-numeric") << QStringList { "distill", "--logits", "1,x" }
                                     << "entry 2 'x' is not a number";
        QTest::newRow("nan") << QStringList { "distill", "--logits", "1,nan" } << "not a finite number";
        QTest::newRow("inf") << QStringList { "distill", "--logits", "inf,1" } << "not a finite number";
        QTest::newRow("labels") << QStringList { "distill", "--logits", "1,2", "--labels", "a,b,c" }
                                << "3 labels for 2 logits";
        QTest::newRow("tau zero") << QStringList { "distill", "--logits", "1,2", "--tau", "0" }
                                  << "tau must be";
        QTest::newRow("tau negative")
            << QStringList { "distill", "--logits", "1,2", "--tau", "1,-2" } << "tau must be";
        QTest::newRow("student length")
            << QStringList { "distill", "--logits", "1,2", "--student", "1" } << "student has 1 logits";
        QTest::newRow("alpha") << QStringList { "distill", "--logits", "1,2", "--student", "1,2", "--alpha",
            "2" } << "alpha 2 is outside";
    }

    void badArgumentsExitWithCode2AndAMessage()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const Run run = cstudio(arguments);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
        QVERIFY(run.out.isEmpty());
    }

    void unreadableFileExitsWithCode1()
    {
        const Run run = cstudio({ "distill", "--file", "/nonexistent/logits.npy" });
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.err.contains(QStringLiteral("/nonexistent/logits.npy")));
    }
};

QTEST_GUILESS_MAIN(TestCliDistill)
#include "test_cli_distill.moc"
