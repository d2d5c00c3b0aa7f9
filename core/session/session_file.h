#pragma once
// A saved session (.cstudio): JSON holding each page's state under its title, the page that
// was showing and the lesson step the class was on, so a workshop can stop and resume, or a
// finding can be handed to a colleague. The file carries a format version; a newer version
// than this build understands is refused with a message rather than half-read.
#include "core/result.h"

#include <QJsonObject>
#include <QString>

namespace cstudio {

inline constexpr int kSessionFormatVersion = 1;
inline constexpr const char* kSessionFileSuffix = "cstudio";

struct SessionDocument {
    int version = kSessionFormatVersion;
    QString currentPage;   // title of the page that was showing, e.g. "Budget"
    QJsonObject pages;     // page title -> that page's saveState()
    QJsonObject lesson;    // {"id": "...", "step": N} when a lesson was open, else empty
};

QByteArray sessionToJson(const SessionDocument& session);
Result<SessionDocument> sessionFromJson(const QByteArray& json, const QString& fileName);

Result<SessionDocument> readSessionFile(const QString& path);
Result<void> writeSessionFile(const QString& path, const SessionDocument& session);  // atomic

}  // namespace cstudio
