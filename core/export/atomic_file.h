#pragma once
// Exports and sessions are written atomically: the bytes go to a temporary file beside the
// target, which is renamed over it only once complete (QSaveFile). A crash, a full disk or a
// cancelled export leaves the old file intact, never a half-written one.
#include "core/result.h"

#include <QByteArray>
#include <QString>
#include <functional>

class QIODevice;

namespace cstudio {

Result<void> writeFileAtomically(const QString& path, const QByteArray& bytes);

// For writers that stream into a device (QPdfWriter, QSvgGenerator, QImage::save): `write`
// fills the temporary file and returns an error message, or an empty string on success; the
// file replaces `path` only then.
Result<void> writeFileAtomically(const QString& path, const std::function<QString(QIODevice&)>& write);

}  // namespace cstudio
