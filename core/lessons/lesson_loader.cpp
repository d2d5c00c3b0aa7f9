#include "core/lessons/lesson_loader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QStandardPaths>
#include <algorithm>

namespace cstudio {
namespace {

// Line and column of a byte offset, for "line 12, column 5" messages a text editor can find.
QString lineAndColumn(const QByteArray& json, int offset)
{
    const QByteArray before = json.left(offset);
    const int line = static_cast<int>(before.count('\n')) + 1;
    const int column = offset - static_cast<int>(before.lastIndexOf('\n'));
    return QStringLiteral("line %1, column %2").arg(line).arg(column);
}

// A required, non-empty string member; the error names where it was expected.
Result<QString> requiredString(const QJsonObject& object, const QString& key, const QString& where,
                               const QString& fileName)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return Error{fileName, -1, QStringLiteral("%1 has no \"%2\"").arg(where, key)};
    if (!value.isString() || value.toString().trimmed().isEmpty())
        return Error{fileName, -1, QStringLiteral("%1: \"%2\" must be a non-empty string").arg(where, key)};
    return value.toString().trimmed();
}

Result<LessonStep> parseStep(const QJsonValue& value, int stepNumber, const QString& fileName)
{
    const QString where = QStringLiteral("step %1").arg(stepNumber);
    if (!value.isObject())
        return Error{fileName, -1, where + QStringLiteral(" must be an object with page, title, text and try")};
    const QJsonObject object = value.toObject();
    static const QStringList known = {QStringLiteral("page"), QStringLiteral("title"), QStringLiteral("text"),
                                      QStringLiteral("try"), QStringLiteral("actions")};
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!known.contains(it.key()))
            return Error{fileName, -1,
                         QStringLiteral("%1 has an unknown key \"%2\" (expected: %3)")
                             .arg(where, it.key(), known.join(QStringLiteral(", ")))};
    }
    LessonStep step;
    for (const auto& [key, target] : {std::pair{QStringLiteral("page"), &step.page},
                                      std::pair{QStringLiteral("title"), &step.title},
                                      std::pair{QStringLiteral("text"), &step.text},
                                      std::pair{QStringLiteral("try"), &step.tryIt}}) {
        auto text = requiredString(object, key, where, fileName);
        if (!text)
            return text.error();
        *target = *text;
    }
    const QJsonValue actions = object.value(QStringLiteral("actions"));
    if (actions.isUndefined())
        return step;
    if (!actions.isArray())
        return Error{fileName, -1,
                     where + QStringLiteral(": \"actions\" must be a list of one-key objects such as "
                                            "[{\"bits\": 4}, {\"model\": \"Llama 3.1 70B\"}]")};
    const QJsonArray list = actions.toArray();
    for (int i = 0; i < list.size(); ++i) {
        const QJsonObject action = list.at(i).toObject();
        if (!list.at(i).isObject() || action.size() != 1)
            return Error{fileName, -1,
                         QStringLiteral("%1, action %2: expected an object with exactly one key, such as "
                                        "{\"bits\": 4}")
                             .arg(where)
                             .arg(i + 1)};
        if (action.begin().value().isNull())
            return Error{fileName, -1,
                         QStringLiteral("%1, action %2 (\"%3\"): the value is null")
                             .arg(where)
                             .arg(i + 1)
                             .arg(action.begin().key())};
        step.actions.append(LessonAction{action.begin().key(), action.begin().value()});
    }
    return step;
}

}  // namespace

Result<Lesson> parseLesson(const QByteArray& json, const QString& fileName)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error{fileName, parseError.offset,
                     QStringLiteral("not valid JSON (%1, %2)")
                         .arg(parseError.errorString(), lineAndColumn(json, parseError.offset))};
    if (!document.isObject())
        return Error{fileName, -1, QStringLiteral("a lesson must be a JSON object with \"title\" and \"steps\"")};
    const QJsonObject root = document.object();

    Lesson lesson;
    lesson.id = QFileInfo(fileName).completeBaseName();
    lesson.source = fileName;
    auto title = requiredString(root, QStringLiteral("title"), QStringLiteral("the lesson"), fileName);
    if (!title)
        return title.error();
    lesson.title = *title;
    lesson.summary = root.value(QStringLiteral("summary")).toString().trimmed();
    const QJsonValue order = root.value(QStringLiteral("order"));
    if (!order.isUndefined() && !order.isDouble())
        return Error{fileName, -1, QStringLiteral("\"order\" must be a number")};
    lesson.order = order.toInt();

    const QJsonValue steps = root.value(QStringLiteral("steps"));
    if (!steps.isArray() || steps.toArray().isEmpty())
        return Error{fileName, -1, QStringLiteral("\"steps\" must be a non-empty list of steps")};
    const QJsonArray stepList = steps.toArray();
    for (int i = 0; i < stepList.size(); ++i) {
        auto step = parseStep(stepList.at(i), i + 1, fileName);
        if (!step)
            return step.error();
        lesson.steps.append(std::move(step).value());
    }
    return lesson;
}

Result<Lesson> loadLessonFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{path, -1, QStringLiteral("cannot be read: %1").arg(file.errorString())};
    // A lesson is a few kilobytes; refuse anything that could not be one before reading it.
    constexpr qint64 kMaxLessonBytes = 1 << 20;
    if (file.size() > kMaxLessonBytes)
        return Error{path, -1, QStringLiteral("is %1 bytes; a lesson file must be under 1 MiB").arg(file.size())};
    return parseLesson(file.readAll(), path);
}

LessonLibrary loadLessonLibrary(const QStringList& builtInFolders, const QStringList& userFolders)
{
    LessonLibrary library;
    auto loadFolder = [&library](const QString& folder, bool user) {
        const QDir dir(folder);
        const QStringList names = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
        for (const QString& name : names) {
            auto lesson = loadLessonFile(dir.filePath(name));
            if (!lesson) {
                library.errors.append(lesson.error());
                continue;
            }
            lesson->userLesson = user;
            auto same = std::find_if(library.lessons.begin(), library.lessons.end(),
                                     [&](const Lesson& known) { return known.id == lesson->id; });
            if (same != library.lessons.end())
                *same = std::move(lesson).value();
            else
                library.lessons.append(std::move(lesson).value());
        }
    };
    for (const QString& folder : builtInFolders)
        loadFolder(folder, false);
    for (const QString& folder : userFolders)
        loadFolder(folder, true);
    std::stable_sort(library.lessons.begin(), library.lessons.end(), [](const Lesson& a, const Lesson& b) {
        return a.order != b.order ? a.order < b.order : a.title < b.title;
    });
    return library;
}

QString builtInLessonFolder() { return QStringLiteral(":/lessons"); }

QString userLessonFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/lessons");
}

}  // namespace cstudio
