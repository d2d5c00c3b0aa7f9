// `cstudio distill-train`: the playground headless, as JSON, and its argument checks.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

class TestCliDistillTrain : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void jsonHasPerEpochCurvesAndFinalNumbers()
    {
        QProcess process;
        process.start(QStringLiteral(CSTUDIO_CLI_PATH),
            { "distill-train", "--tau", "4", "--alpha", "0.7", "--epochs", "6", "--json" });
        QVERIFY(process.waitForFinished(120000));
        QCOMPARE(process.exitCode(), 0);
        const QJsonObject document = QJsonDocument::fromJson(process.readAllStandardOutput()).object();
        QCOMPARE(document[QStringLiteral("tau")].toDouble(), 4.0);
        QCOMPARE(document[QStringLiteral("alpha")].toDouble(), 0.7);
        const QJsonArray epochs = document[QStringLiteral("epochs")].toArray();
        QCOMPARE(epochs.size(), 6);
        QCOMPARE(epochs[5][QStringLiteral("epoch")].toInt(), 6);
        for (const char* student : { "hard", "soft" }) {
            const QJsonObject final = document[QStringLiteral("final")][QLatin1String(student)].toObject();
            QVERIFY(final[QStringLiteral("test_accuracy")].toDouble() > 0.1);
            QVERIFY(final[QStringLiteral("test_loss")].toDouble() > 0.0);
            QCOMPARE(final, epochs[5][QLatin1String(student)].toObject());
        }
        QVERIFY(document[QStringLiteral("teacher_test_accuracy")].toDouble() > 0.9);
        QCOMPARE(document[QStringLiteral("test_images")].toInt(), 597);
    }

    void badArgumentsExitWithCode2_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("tau 0") << QStringList { "--tau", "0" } << "tau must be";
        QTest::newRow("tau text") << QStringList { "--tau", "warm" } << "--tau 'warm' is not a number";
        QTest::newRow("alpha") << QStringList { "--alpha", "-0.1" } << "alpha";
        QTest::newRow("epochs") << QStringList { "--epochs", "-3" } << "--epochs '-3'";
        QTest::newRow("samples") << QStringList { "--train-samples", "99999" } << "training images";
    }

    void badArgumentsExitWithCode2()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        QProcess process;
        process.start(QStringLiteral(CSTUDIO_CLI_PATH), QStringList { "distill-train" } + arguments);
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitCode(), 2);
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(err.contains(message), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestCliDistillTrain)
#include "test_cli_distill_train.moc"
