// A .cstudio session is versioned JSON of every page's state; it round-trips exactly, and a
// file that is not a session, or from a newer format, is refused with a clear message.
#include "core/session/session_file.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace cstudio;

class TestSessionFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aSessionRoundTripsThroughAFile()
    {
        SessionDocument session;
        session.currentPage = QStringLiteral("Distillation");
        session.pages.insert(QStringLiteral("Budget"), QJsonObject{{QStringLiteral("bits"), 4.0}, {QStringLiteral("params"), 70e9}});
        session.pages.insert(QStringLiteral("Distillation"),
                             QJsonObject{{QStringLiteral("taus"), QJsonArray{1, 2, 5, 10}},
                                         {QStringLiteral("logits"), QJsonArray{9, 6.5, 4, 2.5, 1, -4}}});
        session.lesson = QJsonObject{{QStringLiteral("id"), QStringLiteral("06_dark_knowledge")}, {QStringLiteral("step"), 2}};
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("workshop.cstudio"));
        QVERIFY(writeSessionFile(path, session).ok());
        const Result<SessionDocument> read = readSessionFile(path);
        QVERIFY2(read.ok(), read.ok() ? "" : qPrintable(read.error().toString()));
        QCOMPARE(read->version, kSessionFormatVersion);
        QCOMPARE(read->currentPage, session.currentPage);
        QCOMPARE(read->pages, session.pages);
        QCOMPARE(read->lesson, session.lesson);
    }

    void notASessionIsRefusedByName_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("garbage") << QByteArray("\x89PNG") << QStringLiteral("not a session file");
        QTest::newRow("other JSON") << QByteArray(R"({"title": "a lesson"})") << QStringLiteral("not a Compression Studio session");
        QTest::newRow("newer version")
            << QByteArray(R"({"format": "compression-studio-session", "version": 99, "pages": {}})")
            << QStringLiteral("format version 99; this build reads up to version 1");
        QTest::newRow("page state not an object")
            << QByteArray(R"({"format": "compression-studio-session", "version": 1, "pages": {"Budget": 4}})")
            << QStringLiteral("the state of page \"Budget\" must be an object");
    }

    void notASessionIsRefusedByName()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        const Result<SessionDocument> session = sessionFromJson(json, QStringLiteral("old.cstudio"));
        QVERIFY(!session.ok());
        QVERIFY2(session.error().toString().startsWith(QStringLiteral("old.cstudio")), qPrintable(session.error().toString()));
        QVERIFY2(session.error().toString().contains(expected), qPrintable(session.error().toString()));
    }

    void aMissingFileSaysSo()
    {
        const Result<SessionDocument> session = readSessionFile(QStringLiteral("/nonexistent/s.cstudio"));
        QVERIFY(!session.ok());
        QVERIFY(session.error().toString().contains(QStringLiteral("cannot be opened")));
    }
};

QTEST_GUILESS_MAIN(TestSessionFile)
#include "test_session_file.moc"
