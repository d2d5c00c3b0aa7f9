// `cstudio budget`: seed 000's table, its JSON, catalog options and exit code 2 on bad input.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

namespace {
struct CliRun {
    int exitCode = -1;
    QString out;
    QString err;
};

CliRun runCli(const QStringList& arguments)
{
    QProcess process;
    process.start(QStringLiteral(CSTUDIO_CLI_PATH), arguments);
    CliRun run;
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}
}  // namespace

class TestBudgetCommand : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void printsTheSeedTableExactly();
    void jsonRowsCarryBitsWeightsKvTotalAndGpus();
    void modelDeviceAndContextAddKvSpeedCostAndAnswers();
    void formatsByNameUseTheirEffectiveBits();
    void listsTheCatalogs();
    void helpNamesTheSubcommandAndExitsZero();
    void badArgumentsExitWithCode2AndAMessage_data();
    void badArgumentsExitWithCode2AndAMessage();
};

void TestBudgetCommand::printsTheSeedTableExactly()
{
    const CliRun run = runCli({QStringLiteral("budget"), QStringLiteral("--params"), QStringLiteral("70e9"),
                               QStringLiteral("--bits"), QStringLiteral("32,16,8,4")});
    QCOMPARE(run.exitCode, 0);
    // Seed 000, "The bill, bit by bit": the printed output of its seven lines of Python.
    QCOMPARE(run.out, QStringLiteral("32-bit:  280.0 GB  ->  5 GPU(s)\n"
                                     "16-bit:  140.0 GB  ->  3 GPU(s)\n"
                                     " 8-bit:   70.0 GB  ->  2 GPU(s)\n"
                                     " 4-bit:   35.0 GB  ->  1 GPU(s)\n"));
    QVERIFY(run.err.isEmpty());
}

void TestBudgetCommand::jsonRowsCarryBitsWeightsKvTotalAndGpus()
{
    const CliRun run = runCli({QStringLiteral("budget"), QStringLiteral("--params"), QStringLiteral("70e9"),
                               QStringLiteral("--bits"), QStringLiteral("32,16,8,4"), QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 0);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(run.out.toUtf8(), &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    const QJsonArray rows = document.object().value(QStringLiteral("rows")).toArray();
    QCOMPARE(rows.size(), 4);
    const double bits[] = {32, 16, 8, 4};
    const double gigabytes[] = {280, 140, 70, 35};
    const int gpus[] = {5, 3, 2, 1};
    for (int i = 0; i < 4; ++i) {
        const QJsonObject row = rows[i].toObject();
        QCOMPARE(row.value(QStringLiteral("bits")).toDouble(), bits[i]);
        QCOMPARE(row.value(QStringLiteral("weights_gb")).toDouble(), gigabytes[i]);
        QCOMPARE(row.value(QStringLiteral("kv_gb")).toDouble(), 0.0);
        QCOMPARE(row.value(QStringLiteral("total_gb")).toDouble(), gigabytes[i]);
        QCOMPARE(row.value(QStringLiteral("gpus")).toInt(), gpus[i]);
    }
    QCOMPARE(document.object().value(QStringLiteral("overhead")).toDouble(), 0.2);
}

void TestBudgetCommand::modelDeviceAndContextAddKvSpeedCostAndAnswers()
{
    const CliRun run = runCli({QStringLiteral("budget"), QStringLiteral("--model"), QStringLiteral("llama-3.1-70b"),
                               QStringLiteral("--device"), QStringLiteral("h100-sxm"), QStringLiteral("--context"),
                               QStringLiteral("8192"), QStringLiteral("--bits"), QStringLiteral("16,4"),
                               QStringLiteral("--system-ram"), QStringLiteral("128"), QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject document = QJsonDocument::fromJson(run.out.toUtf8()).object();
    const QJsonArray rows = document.value(QStringLiteral("rows")).toArray();
    QCOMPARE(rows.size(), 2);
    const QJsonObject bf16 = rows[0].toObject();
    QCOMPARE(bf16.value(QStringLiteral("kv_gb")).toDouble(), 2.68435456);  // 2 x 80 x 8 x 128 x 2 x 8192 / 1e9
    QCOMPARE(bf16.value(QStringLiteral("gpus")).toInt(), 3);
    QCOMPARE(bf16.value(QStringLiteral("verdict")).toObject().value(QStringLiteral("kind")).toString(),
             QStringLiteral("fits_with_offload"));
    const QJsonObject int4 = rows[1].toObject();
    QCOMPARE(int4.value(QStringLiteral("gpus")).toInt(), 1);
    QVERIFY(int4.value(QStringLiteral("tokens_per_second")).toDouble() > 0);
    QVERIFY(int4.value(QStringLiteral("cost_per_million_tokens")).toDouble() > 0);
    QVERIFY(int4.value(QStringLiteral("max_context_tokens")).toInt() > 8192);
    QCOMPARE(document.value(QStringLiteral("best_format")).toObject().value(QStringLiteral("id")).toString(),
             QStringLiteral("q6_k"));

    const CliRun text = runCli({QStringLiteral("budget"), QStringLiteral("--model"), QStringLiteral("Llama 3.1 70B"),
                                QStringLiteral("--device"), QStringLiteral("h100-sxm"), QStringLiteral("--context"),
                                QStringLiteral("8192"), QStringLiteral("--bits"), QStringLiteral("4")});
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains(QStringLiteral("4-bit:   38.0 GB  ->  1 GPU(s)   weights 35.3 + KV 2.7 GB")), qPrintable(text.out));
    QVERIFY(text.out.contains(QStringLiteral("Best catalog format for 80 GB at this context: GGUF Q6_K")));
}

void TestBudgetCommand::formatsByNameUseTheirEffectiveBits()
{
    const CliRun run = runCli({QStringLiteral("budget"), QStringLiteral("--params"), QStringLiteral("70B"),
                               QStringLiteral("--format"), QStringLiteral("q4_k,nf4_dq"), QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 0);
    const QJsonArray rows = QJsonDocument::fromJson(run.out.toUtf8()).object().value(QStringLiteral("rows")).toArray();
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows[0].toObject().value(QStringLiteral("weights_gb")).toDouble(), 70.0 * 4.5 / 8);
    QCOMPARE(rows[1].toObject().value(QStringLiteral("bits")).toDouble(), 4.127);
}

void TestBudgetCommand::listsTheCatalogs()
{
    const CliRun run = runCli({QStringLiteral("budget"), QStringLiteral("--list-models"), QStringLiteral("--list-devices"),
                               QStringLiteral("--list-formats"), QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject document = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QVERIFY(document.value(QStringLiteral("models")).toArray().size() >= 15);
    QVERIFY(document.value(QStringLiteral("devices")).toArray().size() >= 12);
    QVERIFY(document.value(QStringLiteral("formats")).toArray().size() >= 20);
    const CliRun text = runCli({QStringLiteral("budget"), QStringLiteral("--list-formats")});
    QCOMPARE(text.exitCode, 0);
    QVERIFY(text.out.contains(QStringLiteral("GGUF Q4_K")));
}

void TestBudgetCommand::helpNamesTheSubcommandAndExitsZero()
{
    const CliRun run = runCli({QStringLiteral("budget"), QStringLiteral("--help")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.startsWith(QStringLiteral("Usage: cstudio budget [options]\n")), qPrintable(run.out));
    QVERIFY(run.out.contains(QStringLiteral("--kv-bits")));
}

void TestBudgetCommand::badArgumentsExitWithCode2AndAMessage_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    const QString p = QStringLiteral("--params");
    QTest::newRow("no model") << QStringList{} << "give --params";
    QTest::newRow("zero params") << QStringList{p, QStringLiteral("0")} << "parameter count must be a positive number";
    QTest::newRow("negative params") << QStringList{p, QStringLiteral("-7e9")} << "parameter count must be a positive number";
    QTest::newRow("NaN params") << QStringList{p, QStringLiteral("nan")} << "got NaN";
    QTest::newRow("words for params") << QStringList{p, QStringLiteral("seventy")} << "--params expects";
    QTest::newRow("0 bits") << QStringList{p, QStringLiteral("7e9"), QStringLiteral("--bits"), QStringLiteral("0")} << "bits per weight";
    QTest::newRow("1000 bits") << QStringList{p, QStringLiteral("7e9"), QStringLiteral("--bits"), QStringLiteral("1000")} << "bits per weight";
    QTest::newRow("0 GB device") << QStringList{p, QStringLiteral("7e9"), QStringLiteral("--gpu-mem"), QStringLiteral("0")} << "device memory";
    QTest::newRow("negative context") << QStringList{p, QStringLiteral("7e9"), QStringLiteral("--context"), QStringLiteral("-5")} << "context";
    QTest::newRow("unknown model") << QStringList{QStringLiteral("--model"), QStringLiteral("gpt-9")} << "unknown model 'gpt-9'";
    QTest::newRow("unknown device") << QStringList{p, QStringLiteral("7e9"), QStringLiteral("--device"), QStringLiteral("tpu")} << "unknown device";
    QTest::newRow("unknown format") << QStringList{p, QStringLiteral("7e9"), QStringLiteral("--format"), QStringLiteral("q9_z")} << "unknown format";
    QTest::newRow("model and params") << QStringList{p, QStringLiteral("7e9"), QStringLiteral("--model"), QStringLiteral("llama-3.1-8b")} << "either";
    QTest::newRow("unknown option") << QStringList{QStringLiteral("--frobnicate")} << "frobnicate";
    QTest::newRow("overhead words") << QStringList{p, QStringLiteral("7e9"), QStringLiteral("--overhead"), QStringLiteral("lots")} << "--overhead";
}

void TestBudgetCommand::badArgumentsExitWithCode2AndAMessage()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    arguments.prepend(QStringLiteral("budget"));
    const CliRun run = runCli(arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
    QVERIFY(run.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestBudgetCommand)
#include "test_budget_command.moc"
