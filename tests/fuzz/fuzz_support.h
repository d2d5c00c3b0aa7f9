#pragma once
// Shared by the fuzz targets: the readers map files, so each input is written to a scratch file
// first; an accepted file then has every decodable tensor read at its start and its end, so
// the decoding paths (and the offsets the parser validated) are exercised too.
#include "core/formats/model_summary.h"
#include "core/formats/tensor_source.h"

#include <QDir>
#include <QFile>
#include <QString>
#include <algorithm>
#include <cstdint>
#include <unistd.h>
#include <vector>

namespace cstudio::fuzz {

inline QString writeInput(const char* suffix, const std::uint8_t* data, std::size_t size)
{
    // run_fuzzers.sh points TMPDIR at a RAM-backed folder: rewriting a disk file each run would
    // cost most of the time.
    static const QString path = QDir::temp().filePath(QStringLiteral("cstudio-fuzz-%1%2").arg(::getpid()).arg(QLatin1String(suffix)));
    QFile file(path);
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        file.write(reinterpret_cast<const char*>(data), qint64(size));
    return path;
}

inline void exercise(const TensorSource& source)
{
    (void)summarizeModel(source);
    (void)source.metadata();
    std::vector<float> buffer(4096);
    const auto& tensors = source.tensors();
    for (std::size_t i = 0; i < tensors.size() && i < 64; ++i) {
        const qint64 count = std::min<qint64>(tensors[i].elementCount, qint64(buffer.size()));
        (void)source.readFloats(int(i), 0, std::span<float>(buffer.data(), std::size_t(count)));
        (void)source.readFloats(int(i), tensors[i].elementCount - count, std::span<float>(buffer.data(), std::size_t(count)));
        (void)source.readFloats(int(i), tensors[i].elementCount, std::span<float>(buffer.data(), 1));  // out of range
        // the stored bytes as the GPU engine reads them (pread at the offsets the parser accepted)
        const RawTensorBytes raw = source.rawBytes(int(i));
        auto* bytes = reinterpret_cast<unsigned char*>(buffer.data());
        const qint64 length = std::min<qint64>(raw.size, qint64(buffer.size() * sizeof(float)));
        (void)source.copyRawBytes(int(i), 0, std::span<unsigned char>(bytes, std::size_t(length)));
        (void)source.copyRawBytes(int(i), raw.size - length, std::span<unsigned char>(bytes, std::size_t(length)));
        (void)source.copyRawBytes(int(i), raw.size, std::span<unsigned char>(bytes, 1));  // out of range
    }
}

}  // namespace cstudio::fuzz
