#include "core/export/atomic_file.h"

#include <QSaveFile>

namespace cstudio {

Result<void> writeFileAtomically(const QString& path, const std::function<QString(QIODevice&)>& write)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{path, -1, QStringLiteral("cannot be written: %1").arg(file.errorString())};
    const QString problem = write(file);
    if (!problem.isEmpty()) {
        file.cancelWriting();
        return Error{path, -1, problem};
    }
    if (file.error() != QFileDevice::NoError) {
        const QString reason = file.errorString();
        file.cancelWriting();
        return Error{path, -1, QStringLiteral("writing failed: %1").arg(reason)};
    }
    if (!file.commit())
        return Error{path, -1, QStringLiteral("could not be saved: %1").arg(file.errorString())};
    return {};
}

Result<void> writeFileAtomically(const QString& path, const QByteArray& bytes)
{
    return writeFileAtomically(path, [&bytes](QIODevice& device) {
        return device.write(bytes) == bytes.size() ? QString() : QStringLiteral("writing failed: %1").arg(device.errorString());
    });
}

}  // namespace cstudio
