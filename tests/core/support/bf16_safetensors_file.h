#pragma once
// A BF16 safetensors file written on the spot (one tensor of a deterministic pattern) and the
// bytes of mapped files resident in this process: for the tests that stream a file through an
// analysis engine and check that its pages do not stay mapped.
#include "core/formats/weights_loader.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <cstring>

namespace cstudio::test {

inline bool writeBf16Safetensors(const QString& path, qint64 rows, qint64 cols)
{
    const QJsonObject tensor{{QStringLiteral("dtype"), QStringLiteral("BF16")},
                             {QStringLiteral("shape"), QJsonArray{rows, cols}},
                             {QStringLiteral("data_offsets"), QJsonArray{0, rows * cols * 2}}};
    QByteArray header = QJsonDocument(QJsonObject{{QStringLiteral("w"), tensor}}).toJson(QJsonDocument::Compact);
    header.append(QByteArray((8 - header.size() % 8) % 8, ' '));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    const quint64 headerSize = quint64(header.size());
    file.write(reinterpret_cast<const char*>(&headerSize), 8);
    file.write(header);
    QByteArray row(cols * 2, Qt::Uninitialized);
    for (qint64 r = 0; r < rows; ++r) {
        for (qint64 c = 0; c < cols; ++c) {  // magnitudes 2^-7..2^-5, alternating signs
            const quint16 bits = quint16(0x3c00 + (r * 31 + c * 17) % 0x200) | ((c & 1) ? 0x8000 : 0);
            std::memcpy(row.data() + c * 2, &bits, 2);
        }
        file.write(row);
    }
    return file.error() == QFileDevice::NoError;
}

// writeBf16Safetensors() into `dir`, opened as the application opens it.
inline Result<std::shared_ptr<TensorSource>> openBf16Safetensors(const QTemporaryDir& dir, qint64 rows, qint64 cols)
{
    const QString path = dir.filePath(QStringLiteral("model.safetensors"));
    if (!writeBf16Safetensors(path, rows, cols))
        return Error{path, -1, QStringLiteral("could not be written")};
    return openWeights(path);
}

// Bytes of files mapped into this process and resident (Linux), or -1.
inline qint64 residentFileBytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("RssFile:"))
            return line.mid(8).trimmed().split(' ').first().toLongLong() * 1024;
    return -1;
}

}  // namespace cstudio::test
