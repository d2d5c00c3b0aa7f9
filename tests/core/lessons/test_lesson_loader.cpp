// Lessons are data: the shipped ones all load, a teacher's own folder adds or replaces lessons,
// and a malformed lesson file is reported with its name and what is wrong.
#include "core/lessons/lesson_loader.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace cstudio;

class TestLessonLoader : public QObject {
    Q_OBJECT

    static void write(const QString& path, const QByteArray& bytes)
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
    }

private Q_SLOTS:
    void theSevenShippedLessonsLoadInOrder()
    {
        const LessonLibrary library = loadLessonLibrary({builtInLessonFolder()}, {});
        for (const Error& error : library.errors)
            qWarning("%s", qPrintable(error.toString()));
        QVERIFY(library.errors.isEmpty());
        QCOMPARE(library.lessons.size(), 7);
        const QStringList titles = {QStringLiteral("Bits are memory"),       QStringLiteral("Bits are speed"),
                                    QStringLiteral("Scales and groups"),     QStringLiteral("The format ladder"),
                                    QStringLiteral("Not all layers are equal"), QStringLiteral("Dark knowledge"),
                                    QStringLiteral("Soft labels teach more")};
        for (int i = 0; i < titles.size(); ++i)
            QCOMPARE(library.lessons[i].title, titles[i]);
        for (const Lesson& lesson : library.lessons) {
            QVERIFY(!lesson.userLesson);
            QVERIFY2(lesson.steps.size() >= 3, qPrintable(lesson.id));
            for (const LessonStep& step : lesson.steps) {
                // One short paragraph a step: a projector shows it without scrolling.
                QVERIFY2(step.text.size() <= 420, qPrintable(lesson.id + QStringLiteral(": ") + step.title));
                QVERIFY(!step.tryIt.isEmpty());
            }
        }
    }

    void theFirstLessonCarriesTheSeedTableActions()
    {
        const Result<Lesson> lesson = loadLessonFile(QStringLiteral(":/lessons/01_bits_are_memory.json"));
        QVERIFY(lesson.ok());
        QCOMPARE(lesson->steps.size(), 4);
        QCOMPARE(lesson->steps[0].page, QStringLiteral("Budget"));
        QCOMPARE(lesson->steps[0].actions[0].key, QStringLiteral("params"));
        QCOMPARE(lesson->steps[0].actions[0].value.toDouble(), 70e9);
        QCOMPARE(lesson->steps.last().actions[0].key, QStringLiteral("bits"));
        QCOMPARE(lesson->steps.last().actions[0].value.toDouble(), 4.0);
    }

    void actionsKeepTheirOrder()
    {
        const Result<Lesson> lesson = parseLesson(
            R"({"title": "T", "steps": [{"page": "Budget", "title": "s", "text": "p", "try": "t",
                "actions": [{"model": "X"}, {"bits": 4}, {"device": "Y"}]}]})",
            QStringLiteral("order.json"));
        QVERIFY(lesson.ok());
        const auto& actions = lesson->steps[0].actions;
        QCOMPARE(actions.size(), 3);
        QCOMPARE(actions[0].key, QStringLiteral("model"));
        QCOMPARE(actions[1].key, QStringLiteral("bits"));
        QCOMPARE(actions[2].key, QStringLiteral("device"));
    }

    void malformedLessonsAreReportedWithFileAndProblem_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("bad JSON") << QByteArray("{\"title\": \"T\",\n \"steps\": [ }") << QStringLiteral("line 2, column");
        QTest::newRow("not an object") << QByteArray("[1, 2]") << QStringLiteral("must be a JSON object");
        QTest::newRow("no title") << QByteArray(R"({"steps": []})") << QStringLiteral("the lesson has no \"title\"");
        QTest::newRow("no steps") << QByteArray(R"({"title": "T", "steps": []})")
                                  << QStringLiteral("\"steps\" must be a non-empty list");
        QTest::newRow("step without text")
            << QByteArray(R"({"title": "T", "steps": [{"page": "Budget", "title": "s", "text": "p", "try": "t"},
                                                    {"page": "Budget", "title": "s", "try": "t"}]})")
            << QStringLiteral("step 2 has no \"text\"");
        QTest::newRow("typo in a key")
            << QByteArray(R"({"title": "T", "steps": [{"page": "Budget", "title": "s", "text": "p", "tryit": "t"}]})")
            << QStringLiteral("step 1 has an unknown key \"tryit\"");
        QTest::newRow("actions as an object")
            << QByteArray(R"({"title": "T", "steps": [{"page": "B", "title": "s", "text": "p", "try": "t",
                                                      "actions": {"bits": 4}}]})")
            << QStringLiteral("\"actions\" must be a list");
        QTest::newRow("two keys in one action")
            << QByteArray(R"({"title": "T", "steps": [{"page": "B", "title": "s", "text": "p", "try": "t",
                                                      "actions": [{"bits": 4, "model": "X"}]}]})")
            << QStringLiteral("step 1, action 1: expected an object with exactly one key");
        QTest::newRow("order not a number") << QByteArray(R"({"title": "T", "order": "first", "steps": [1]})")
                                            << QStringLiteral("\"order\" must be a number");
    }

    void malformedLessonsAreReportedWithFileAndProblem()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("teacher_lesson.json"));
        write(path, json);
        const Result<Lesson> lesson = loadLessonFile(path);
        QVERIFY(!lesson.ok());
        const QString message = lesson.error().toString();
        QVERIFY2(message.startsWith(path), qPrintable(message));
        QVERIFY2(message.contains(expected), qPrintable(message));
    }

    void aTeachersFolderAddsLessonsAndReportsBrokenOnes()
    {
        QTemporaryDir dir;
        write(dir.filePath(QStringLiteral("10_my_lesson.json")),
              R"({"title": "My own lesson", "order": 10, "steps": [{"page": "Budget", "title": "s", "text": "p",
                  "try": "t", "actions": [{"bits": 3}]}]})");
        write(dir.filePath(QStringLiteral("broken.json")), "{ not json");
        write(dir.filePath(QStringLiteral("notes.txt")), "not a lesson, ignored");
        const LessonLibrary library = loadLessonLibrary({builtInLessonFolder()}, {dir.path()});
        QCOMPARE(library.lessons.size(), 8);
        QCOMPARE(library.lessons.last().title, QStringLiteral("My own lesson"));
        QVERIFY(library.lessons.last().userLesson);
        QCOMPARE(library.errors.size(), 1);
        QVERIFY(library.errors[0].file.endsWith(QStringLiteral("broken.json")));
    }

    void aTeachersLessonWithAShippedNameReplacesIt()
    {
        QTemporaryDir dir;
        write(dir.filePath(QStringLiteral("06_dark_knowledge.json")),
              R"({"title": "Dark knowledge, our way", "order": 6, "steps": [{"page": "Distillation", "title": "s",
                  "text": "p", "try": "t", "actions": [{"tau": 3}]}]})");
        const LessonLibrary library = loadLessonLibrary({builtInLessonFolder()}, {dir.path()});
        QCOMPARE(library.lessons.size(), 7);
        QCOMPARE(library.lessons[5].title, QStringLiteral("Dark knowledge, our way"));
    }

    void aMissingUserFolderIsNotAnError()
    {
        const LessonLibrary library = loadLessonLibrary({builtInLessonFolder()}, {QStringLiteral("/nonexistent/lessons")});
        QCOMPARE(library.lessons.size(), 7);
        QVERIFY(library.errors.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestLessonLoader)
#include "test_lesson_loader.moc"
