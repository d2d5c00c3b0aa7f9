#include "core/session/session_file.h"

#include "core/export/atomic_file.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>

namespace cstudio {
namespace {
constexpr qint64 kMaxSessionBytes = 64 << 20;  // a session holds settings and logits, not weights
}

QByteArray sessionToJson(const SessionDocument& session)
{
    QJsonObject root{{QStringLiteral("format"), QStringLiteral("compression-studio-session")},
                     {QStringLiteral("version"), session.version},
                     {QStringLiteral("currentPage"), session.currentPage},
                     {QStringLiteral("pages"), session.pages}};
    if (!session.lesson.isEmpty())
        root.insert(QStringLiteral("lesson"), session.lesson);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Result<SessionDocument> sessionFromJson(const QByteArray& json, const QString& fileName)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error{fileName, parseError.offset, QStringLiteral("not a session file: %1").arg(parseError.errorString())};
    const QJsonObject root = document.object();
    if (!document.isObject() || root.value(QStringLiteral("format")).toString() != QLatin1String("compression-studio-session"))
        return Error{fileName, -1, QStringLiteral("not a Compression Studio session (no \"format\": \"compression-studio-session\")")};
    const QJsonValue version = root.value(QStringLiteral("version"));
    if (!version.isDouble() || version.toInt() < 1)
        return Error{fileName, -1, QStringLiteral("the session has no valid \"version\"")};
    if (version.toInt() > kSessionFormatVersion)
        return Error{fileName, -1,
                     QStringLiteral("the session was saved in format version %1; this build reads up to version %2")
                         .arg(version.toInt())
                         .arg(kSessionFormatVersion)};
    const QJsonValue pages = root.value(QStringLiteral("pages"));
    if (!pages.isObject())
        return Error{fileName, -1, QStringLiteral("\"pages\" must be an object of page title -> page state")};
    SessionDocument session;
    session.version = version.toInt();
    session.currentPage = root.value(QStringLiteral("currentPage")).toString();
    session.pages = pages.toObject();
    for (auto it = session.pages.begin(); it != session.pages.end(); ++it) {
        if (!it.value().isObject())
            return Error{fileName, -1, QStringLiteral("the state of page \"%1\" must be an object").arg(it.key())};
    }
    session.lesson = root.value(QStringLiteral("lesson")).toObject();
    return session;
}

Result<SessionDocument> readSessionFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{path, -1, QStringLiteral("cannot be opened: %1").arg(file.errorString())};
    if (file.size() > kMaxSessionBytes)
        return Error{path, -1, QStringLiteral("is %1 bytes, too large for a session file").arg(file.size())};
    return sessionFromJson(file.readAll(), path);
}

Result<void> writeSessionFile(const QString& path, const SessionDocument& session)
{
    return writeFileAtomically(path, sessionToJson(session));
}

}  // namespace cstudio
