#pragma once
// Reads lessons from JSON and checks them, so a teacher who mistypes a lesson file gets a
// message naming the file and the step that is wrong instead of a silent gap in the list.
#include "core/lessons/lesson.h"
#include "core/result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace cstudio {

// Parses one lesson file's bytes. `fileName` is used in error messages and as the source.
Result<Lesson> parseLesson(const QByteArray& json, const QString& fileName);

// Reads and parses one file.
Result<Lesson> loadLessonFile(const QString& path);

struct LessonLibrary {
    QList<Lesson> lessons;  // sorted by order, then title
    QList<Error> errors;    // one per file that could not be used
};

// Loads every *.json in each folder (Qt resource paths such as ":/lessons" work too). Lessons
// in later folders are marked as user lessons; a user lesson whose id equals a built-in one
// replaces it, so a teacher can adapt a shipped lesson without rebuilding.
LessonLibrary loadLessonLibrary(const QStringList& builtInFolders, const QStringList& userFolders);

// The folders the studio reads: ":/lessons" and, for teachers' lessons,
// QStandardPaths::AppDataLocation + "/lessons" (e.g. ~/.local/share/CompressionStudio/
// Compression Studio/lessons on Linux).
QString builtInLessonFolder();
QString userLessonFolder();

}  // namespace cstudio
