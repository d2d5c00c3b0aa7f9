#include "core/formats/gguf_reader.h"

#include "core/formats/gguf_metadata.h"
#include "core/formats/mapped_tensor_source.h"
#include "core/formats/tensor_naming.h"
#include "core/quant/gguf_blocks.h"

#include <QSet>
#include <algorithm>
#include <cstring>
#include <limits>

namespace cstudio {
namespace {

constexpr std::uint32_t kDefaultAlignment = 32;  // GGUF_DEFAULT_ALIGNMENT
constexpr std::uint32_t kMaxDimensions = 4;      // GGML_MAX_DIMS
// A tensor info takes at least: name length 8, n_dims 4, type 4, offset 8.
constexpr qint64 kMinTensorInfoBytes = 24;
// A key/value takes at least: key length 8, value type 4, one byte of value.
constexpr qint64 kMinKeyValueBytes = 13;

struct TensorRecord {
    StoredTensor stored;
    quint64 relativeOffset = 0;
    qint64 infoPosition = 0;
};

}  // namespace

Result<std::shared_ptr<TensorSource>> openGguf(const QString& path, const JobControl& job)
{
    job.report(0.0, QStringLiteral("Reading %1").arg(path));
    auto opened = MappedFile::open(path);
    if (!opened)
        return opened.error();
    std::shared_ptr<const MappedFile> file = opened.value();
    ByteCursor cursor(file->data(), file->size());
    const auto error = [&](qint64 offset, const QString& message) { return Error{path, offset, message}; };

    char magic[4];
    std::uint32_t version;
    quint64 tensorCount, keyValueCount;
    if (!cursor.read(magic) || std::memcmp(magic, "GGUF", 4) != 0)
        return error(0, QStringLiteral("not a GGUF file (the magic 'GGUF' is missing)"));
    if (!cursor.read(version))
        return error(4, QStringLiteral("the file ends inside the header"));
    if (version == 1)
        return error(4, QStringLiteral("GGUF version 1 is obsolete and not supported (versions 2 and 3 are)"));
    if (version != 2 && version != 3) {
        const bool swapped = (version & 0xffff) == 0 && (version >> 24) >= 2 && (version >> 24) <= 3;
        return error(4, swapped ? QStringLiteral("big-endian GGUF files are not supported")
                                : QStringLiteral("unsupported GGUF version %1").arg(version));
    }
    if (!cursor.read(tensorCount) || !cursor.read(keyValueCount))
        return error(cursor.position(), QStringLiteral("the file ends inside the header"));
    if (tensorCount > quint64(cursor.remaining() / kMinTensorInfoBytes))
        return error(8, QStringLiteral("absurd tensor count %1 for a file of %2 bytes").arg(tensorCount).arg(file->size()));
    if (keyValueCount > quint64(cursor.remaining() / kMinKeyValueBytes))
        return error(16, QStringLiteral("absurd metadata count %1 for a file of %2 bytes").arg(keyValueCount).arg(file->size()));

    std::vector<std::pair<QString, QString>> metadata;
    metadata.emplace_back(QStringLiteral("GGUF version"), QString::number(version));
    std::uint32_t alignment = kDefaultAlignment;
    for (quint64 i = 0; i < keyValueCount; ++i) {
        const qint64 at = cursor.position();
        QString key;
        std::uint32_t type;
        if (!readGgufString(cursor, key))
            return error(at, QStringLiteral("metadata key %1: its length runs past the end of the file").arg(i));
        if (!cursor.read(type))
            return error(cursor.position(), QStringLiteral("the file ends inside metadata '%1'").arg(key));
        GgufValue value;
        if (const QString problem = readGgufValue(cursor, type, value); !problem.isEmpty())
            return error(at, QStringLiteral("metadata '%1': %2").arg(key, problem));
        if (key == QLatin1String("general.alignment")) {
            if (GgufValueType(type) != GgufValueType::UInt32)
                return error(at, QStringLiteral("general.alignment must be a UINT32, not %1").arg(ggufValueTypeName(type)));
            alignment = value.scalar.toUInt();
            if (alignment == 0 || (alignment & (alignment - 1)) != 0)
                return error(at, QStringLiteral("general.alignment %1 is not a power of two").arg(alignment));
        }
        metadata.emplace_back(key, value.text);
    }

    std::vector<TensorRecord> records;
    for (quint64 i = 0; i < tensorCount; ++i) {
        if (job.cancelled())
            return error(-1, QStringLiteral("cancelled"));
        TensorRecord record;
        record.infoPosition = cursor.position();
        TensorInfo& info = record.stored.info;
        std::uint32_t dimensions, type;
        if (!readGgufString(cursor, info.name))
            return error(record.infoPosition, QStringLiteral("tensor %1: its name runs past the end of the file").arg(i));
        if (!cursor.read(dimensions))
            return error(cursor.position(), QStringLiteral("the file ends inside tensor info '%1'").arg(info.name));
        if (dimensions > kMaxDimensions)
            return error(cursor.position() - 4, QStringLiteral("tensor '%1' has %2 dimensions; GGUF allows at most %3")
                                                    .arg(info.name).arg(dimensions).arg(kMaxDimensions));
        std::vector<qint64> extents;  // ggml order: innermost (row length) first
        qint64 elements = 1;
        for (std::uint32_t d = 0; d < dimensions; ++d) {
            quint64 extent;
            if (!cursor.read(extent))
                return error(cursor.position(), QStringLiteral("the file ends inside tensor info '%1'").arg(info.name));
            if (extent > quint64(std::numeric_limits<qint64>::max()) ||
                __builtin_mul_overflow(elements, qint64(extent), &elements))
                return error(cursor.position() - 8, QStringLiteral("tensor '%1': its element count overflows").arg(info.name));
            extents.push_back(qint64(extent));
        }
        if (!cursor.read(type) || !cursor.read(record.relativeOffset))
            return error(cursor.position(), QStringLiteral("the file ends inside tensor info '%1'").arg(info.name));
        const ggml::TypeTraits* traits = ggml::typeTraits(type);
        if (!traits)
            return error(cursor.position() - 12, QStringLiteral("tensor '%1' has unknown type %2").arg(info.name).arg(type));
        const qint64 rowLength = extents.empty() ? 1 : extents.front();
        if (rowLength % traits->blockElements != 0)
            return error(record.infoPosition, QStringLiteral("tensor '%1': row length %2 is not a multiple of the %3 block size %4")
                                                  .arg(info.name).arg(rowLength).arg(QLatin1String(traits->name)).arg(traits->blockElements));
        if (__builtin_mul_overflow(elements / traits->blockElements, qint64(traits->blockBytes), &info.byteSize))
            return error(record.infoPosition, QStringLiteral("tensor '%1': its byte size overflows").arg(info.name));
        std::reverse(extents.begin(), extents.end());
        info.shape = extents;
        info.elementCount = elements;
        info.dtype = QLatin1String(traits->name);
        info.decodable = traits->toFloat != nullptr;
        record.stored.encoding = {traits->blockElements, traits->blockBytes, traits->toFloat};
        annotateFromName(info);
        records.push_back(std::move(record));
    }
    QSet<QString> names;
    for (const TensorRecord& record : records) {
        if (names.contains(record.stored.info.name))
            return error(record.infoPosition, QStringLiteral("duplicate tensor name '%1'").arg(record.stored.info.name));
        names.insert(record.stored.info.name);
    }

    // Tensor data starts at the next multiple of the alignment after the tensor infos.
    const qint64 dataStart = (cursor.position() + alignment - 1) / alignment * alignment;
    std::vector<const TensorRecord*> byOffset;
    for (TensorRecord& record : records) {
        StoredTensor& stored = record.stored;
        if (record.relativeOffset % alignment != 0)
            return error(record.infoPosition, QStringLiteral("tensor '%1': data offset %2 is not aligned to %3 bytes")
                                                  .arg(stored.info.name).arg(record.relativeOffset).arg(alignment));
        if (record.relativeOffset > quint64(file->size()) ||
            !file->contains(dataStart + qint64(record.relativeOffset), stored.info.byteSize))
            return error(record.infoPosition, QStringLiteral("tensor '%1': its data (%2 bytes at offset %3) lies beyond the end of the file (%4 bytes)")
                                                  .arg(stored.info.name).arg(stored.info.byteSize)
                                                  .arg(dataStart + qint64(std::min<quint64>(record.relativeOffset, quint64(file->size()))))
                                                  .arg(file->size()));
        stored.offset = dataStart + qint64(record.relativeOffset);
        stored.file = file;
        byOffset.push_back(&record);
    }
    std::sort(byOffset.begin(), byOffset.end(), [](const auto* a, const auto* b) { return a->stored.offset < b->stored.offset; });
    for (std::size_t i = 1; i < byOffset.size(); ++i) {
        const StoredTensor& previous = byOffset[i - 1]->stored;
        const StoredTensor& current = byOffset[i]->stored;
        if (previous.offset + previous.info.byteSize > current.offset)
            return error(current.offset, QStringLiteral("tensors '%1' and '%2' overlap").arg(previous.info.name, current.info.name));
    }

    std::vector<StoredTensor> tensors;
    tensors.reserve(records.size());
    for (TensorRecord& record : records)
        tensors.push_back(std::move(record.stored));
    job.report(1.0, QStringLiteral("Read %1 tensors").arg(tensors.size()));
    return std::shared_ptr<TensorSource>(std::make_shared<MappedTensorSource>(path, std::move(tensors), std::move(metadata)));
}

}  // namespace cstudio
