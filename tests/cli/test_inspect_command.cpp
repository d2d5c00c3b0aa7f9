// `cstudio inspect FILE [--json]` prints the summary and the tensor list; `--demo` inspects the
// built-in model; unreadable files exit 1 with the file named, bad arguments exit 2.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestInspectCommand : public QObject {
    Q_OBJECT

    struct Run {
        int exitCode;
        QString out, err;
    };
    static Run cstudio(const QStringList& arguments)
    {
        QProcess process;
        process.start(QStringLiteral(CSTUDIO_CLI_PATH), QStringList{QStringLiteral("inspect")} + arguments);
        process.waitForFinished(60000);
        return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
                QString::fromUtf8(process.readAllStandardError())};
    }

private Q_SLOTS:
    void demoSummaryAndTensorListAsText()
    {
        const Run run = cstudio({QStringLiteral("--demo")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains(QLatin1String("Demo model")));
        QVERIFY(run.out.contains(QLatin1String("parameters  29.9 M (29893120)")));
        QVERIFY(run.out.contains(QLatin1String("layers      8")));
        QVERIFY(run.out.contains(QLatin1String("hidden size 512")));
        QVERIFY(run.out.contains(QLatin1String("F32 100.0%")));
        QVERIFY(run.out.contains(QRegularExpression(QStringLiteral(
            R"(model\.layers\.7\.mlp\.down_proj\.weight\s+7\s+mlp_down\s+\[512, 1408\]\s+F32\s+720896\s+2883584)"))));
    }

    void demoAsJson()
    {
        const Run run = cstudio({QStringLiteral("--demo"), QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject json = QJsonDocument::fromJson(run.out.toUtf8()).object();
        QCOMPARE(json.value(QStringLiteral("parameters")).toInteger(), 29893120);
        QCOMPARE(json.value(QStringLiteral("layers")).toInt(), 8);
        QCOMPARE(json.value(QStringLiteral("hidden_size")).toInt(), 512);
        const QJsonArray tensors = json.value(QStringLiteral("tensors")).toArray();
        QCOMPARE(tensors.size(), 75);
        const QJsonObject first = tensors.first().toObject();
        QCOMPARE(first.value(QStringLiteral("name")).toString(), QStringLiteral("model.embed_tokens.weight"));
        QCOMPARE(first.value(QStringLiteral("role")).toString(), QStringLiteral("embedding"));
        QCOMPARE(first.value(QStringLiteral("shape")).toArray(), (QJsonArray{4096, 512}));
        QCOMPARE(first.value(QStringLiteral("bytes")).toInteger(), 4096 * 512 * 4);
    }

    void ggufFileShowsQuantizedTypesAndUndecodedOnes()
    {
        const QString path = QStringLiteral(CSTUDIO_FIXTURE_DIR "/readers/quantized.gguf");
        if (!QFile::exists(path))
            QSKIP("conformance fixtures missing (make_fixtures.py has not run)");
        const Run run = cstudio({path});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains(QLatin1String("Q4_K")));
        QVERIFY(run.out.contains(QLatin1String("(not decoded)")));
        QVERIFY(run.out.contains(QLatin1String("general.architecture = \"llama\"")));
    }

    void unreadableFileExitsOneNamingTheFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("broken.safetensors"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray("\xff\xff\xff\xff\x00\x00\x00\x00{}", 10));
        file.close();
        const Run run = cstudio({path});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.err.contains(path));
        QVERIFY(run.err.contains(QLatin1String("header length")));
        QCOMPARE(cstudio({dir.filePath(QStringLiteral("missing.gguf"))}).exitCode, 1);
    }

    void badArgumentsExitTwo()
    {
        QCOMPARE(cstudio({}).exitCode, 2);
        QCOMPARE(cstudio({QStringLiteral("a"), QStringLiteral("b")}).exitCode, 2);
        QCOMPARE(cstudio({QStringLiteral("--frobnicate")}).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestInspectCommand)
#include "test_inspect_command.moc"
