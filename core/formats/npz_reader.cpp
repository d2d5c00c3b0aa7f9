#include "core/formats/npz_reader.h"

#include "core/formats/byte_cursor.h"
#include "core/formats/npy_reader.h"

#include <QDir>
#include <QStorageInfo>
#include <QTemporaryFile>
#include <algorithm>
#include <cstring>
#include <zlib.h>

namespace cstudio {
namespace {

constexpr std::uint32_t kEndOfCentralDirectory = 0x06054b50;
constexpr std::uint32_t kZip64EndLocator = 0x07064b50;
constexpr std::uint32_t kZip64End = 0x06064b50;
constexpr std::uint32_t kCentralEntry = 0x02014b50;
constexpr std::uint32_t kLocalHeader = 0x04034b50;
constexpr qint64 kEndRecordBytes = 22;
constexpr qint64 kCentralEntryBytes = 46;
constexpr qint64 kLocalHeaderBytes = 30;

struct Member {
    QString name;
    std::uint16_t method = 0;
    std::uint16_t flags = 0;
    std::uint32_t crc = 0;
    quint64 compressedSize = 0;
    quint64 size = 0;
    quint64 localHeaderOffset = 0;
    qint64 entryOffset = 0;
};

// ZIP64 extended information (extra field 0x0001) replaces the 32-bit fields that are 0xffffffff.
void applyZip64Extra(const unsigned char* extra, qint64 length, Member& member, bool sizeMax, bool compressedMax, bool offsetMax)
{
    ByteCursor cursor(extra, length);
    std::uint16_t id, size;
    while (cursor.read(id) && cursor.read(size)) {
        const qint64 end = cursor.position() + size;
        if (id == 0x0001) {
            if (sizeMax)
                cursor.read(member.size);
            if (compressedMax)
                cursor.read(member.compressedSize);
            if (offsetMax)
                cursor.read(member.localHeaderOffset);
        }
        if (!cursor.seek(end))
            return;
    }
}

Result<std::vector<Member>> readCentralDirectory(const MappedFile& file)
{
    const QString& path = file.path();
    const qint64 size = file.size();
    if (size < kEndRecordBytes)
        return Error{path, 0, QStringLiteral("too short to be a .npz (ZIP) archive")};
    // The end record sits in the last 22 + 65535 (comment) bytes.
    qint64 end = -1;
    for (qint64 at = size - kEndRecordBytes; at >= std::max<qint64>(0, size - kEndRecordBytes - 65535); --at) {
        std::uint32_t signature;
        std::memcpy(&signature, file.data() + at, 4);
        if (signature == kEndOfCentralDirectory) {
            end = at;
            break;
        }
    }
    if (end < 0)
        return Error{path, -1, QStringLiteral("no ZIP end-of-central-directory record: not a .npz archive, or truncated")};
    ByteCursor record(file.data(), size, end + 10);
    std::uint16_t entryCount16 = 0;
    std::uint32_t directorySize32 = 0, directoryOffset32 = 0;
    record.read(entryCount16);
    record.read(directorySize32);
    record.read(directoryOffset32);
    quint64 entryCount = entryCount16, directoryOffset = directoryOffset32;
    if ((entryCount16 == 0xffff || directoryOffset32 == 0xffffffff) && end >= 20) {
        ByteCursor locator(file.data(), size, end - 20);
        std::uint32_t signature;
        quint64 zip64EndOffset;
        if (locator.read(signature) && signature == kZip64EndLocator && locator.skip(4) && locator.read(zip64EndOffset)) {
            ByteCursor zip64(file.data(), size);
            std::uint32_t zip64Signature;
            if (zip64EndOffset > quint64(size) || !zip64.seek(qint64(zip64EndOffset)) || !zip64.read(zip64Signature) ||
                zip64Signature != kZip64End || !zip64.skip(20) || !zip64.read(entryCount) || !zip64.skip(8) ||
                !zip64.read(directoryOffset))
                return Error{path, qint64(zip64EndOffset), QStringLiteral("damaged ZIP64 end-of-central-directory record")};
        }
    }
    if (directoryOffset > quint64(size))
        return Error{path, end, QStringLiteral("the central directory offset %1 lies beyond the file").arg(directoryOffset)};
    if (entryCount > quint64(size / kCentralEntryBytes))
        return Error{path, end, QStringLiteral("absurd member count %1").arg(entryCount)};
    std::vector<Member> members;
    ByteCursor cursor(file.data(), size, qint64(directoryOffset));
    for (quint64 i = 0; i < entryCount; ++i) {
        Member member;
        member.entryOffset = cursor.position();
        std::uint32_t signature = 0, compressed32 = 0, size32 = 0, offset32 = 0;
        std::uint16_t nameLength = 0, extraLength = 0, commentLength = 0;
        const unsigned char *name, *extra;
        if (!cursor.read(signature) || signature != kCentralEntry)
            return Error{path, member.entryOffset, QStringLiteral("damaged central directory entry %1").arg(i)};
        cursor.skip(4);
        cursor.read(member.flags);
        cursor.read(member.method);
        cursor.skip(4);
        cursor.read(member.crc);
        cursor.read(compressed32);
        cursor.read(size32);
        cursor.read(nameLength);
        cursor.read(extraLength);
        cursor.read(commentLength);
        cursor.skip(8);
        cursor.read(offset32);
        if (!cursor.take(nameLength, name) || !cursor.take(extraLength, extra) || !cursor.skip(commentLength))
            return Error{path, member.entryOffset, QStringLiteral("central directory entry %1 runs past the end of the file").arg(i)};
        member.name = QString::fromUtf8(reinterpret_cast<const char*>(name), nameLength);
        member.compressedSize = compressed32;
        member.size = size32;
        member.localHeaderOffset = offset32;
        applyZip64Extra(extra, extraLength, member, size32 == 0xffffffff, compressed32 == 0xffffffff, offset32 == 0xffffffff);
        members.push_back(member);
    }
    return members;
}

// Inflates a deflated member into a temporary file, checking its size and CRC-32 as it goes.
Result<std::shared_ptr<MappedFile>> inflateMember(const MappedFile& archive, const Member& member, qint64 dataOffset,
                                                  const JobControl& job)
{
    const QString where = QStringLiteral("%1 member '%2'").arg(archive.path(), member.name);
    const QString tempFolder = QDir::tempPath();
    if (qint64(member.size) < 0 || qint64(member.size) > QStorageInfo(tempFolder).bytesAvailable())
        return Error{archive.path(), member.entryOffset,
                     QStringLiteral("member '%1' claims %2 bytes uncompressed, more than the free space in %3")
                         .arg(member.name).arg(member.size).arg(tempFolder)};
    auto temporary = std::make_unique<QTemporaryFile>(QDir(tempFolder).filePath(QStringLiteral("cstudio-npz-XXXXXX")));
    if (!temporary->open())
        return Error{where, -1, QStringLiteral("cannot create a temporary file: %1").arg(temporary->errorString())};
    z_stream stream{};
    if (inflateInit2(&stream, -MAX_WBITS) != Z_OK)
        return Error{where, -1, QStringLiteral("zlib could not start inflating")};
    stream.next_in = const_cast<Bytef*>(archive.data() + dataOffset);
    qint64 inputLeft = qint64(member.compressedSize);
    unsigned char buffer[1 << 16];
    quint64 produced = 0;
    uLong crc = crc32(0, nullptr, 0);
    int status = Z_OK;
    while (status != Z_STREAM_END) {
        if (job.cancelled()) {
            inflateEnd(&stream);
            return Error{where, -1, QStringLiteral("cancelled")};
        }
        if (stream.avail_in == 0 && inputLeft > 0) {
            const qint64 chunk = std::min<qint64>(inputLeft, 1 << 30);
            stream.avail_in = uInt(chunk);
            inputLeft -= chunk;
        }
        stream.next_out = buffer;
        stream.avail_out = sizeof(buffer);
        status = inflate(&stream, Z_NO_FLUSH);
        const qint64 got = qint64(sizeof(buffer) - stream.avail_out);
        if (status != Z_OK && status != Z_STREAM_END && !(status == Z_BUF_ERROR && got > 0)) {
            inflateEnd(&stream);
            return Error{archive.path(), dataOffset, QStringLiteral("member '%1' is corrupt or truncated (zlib: %2)")
                                                         .arg(member.name, QString::fromLatin1(stream.msg ? stream.msg : "no more input"))};
        }
        produced += quint64(got);
        if (produced > member.size) {
            inflateEnd(&stream);
            return Error{archive.path(), dataOffset, QStringLiteral("member '%1' inflates to more than its declared %2 bytes").arg(member.name).arg(member.size)};
        }
        crc = crc32(crc, buffer, uInt(got));
        if (temporary->write(reinterpret_cast<const char*>(buffer), got) != got) {
            inflateEnd(&stream);
            return Error{where, -1, QStringLiteral("cannot write the temporary file: %1").arg(temporary->errorString())};
        }
    }
    inflateEnd(&stream);
    if (produced != member.size || crc != member.crc)
        return Error{archive.path(), dataOffset, QStringLiteral("member '%1' inflates to %2 bytes with CRC %3, the directory says %4 bytes with CRC %5")
                                                     .arg(member.name).arg(produced).arg(crc, 8, 16, QLatin1Char('0'))
                                                     .arg(member.size).arg(member.crc, 8, 16, QLatin1Char('0'))};
    temporary->flush();
    return MappedFile::adopt(std::move(temporary), where);
}

}  // namespace

Result<std::shared_ptr<TensorSource>> openNpz(const QString& path, const JobControl& job)
{
    job.report(0.0, QStringLiteral("Reading %1").arg(path));
    auto opened = MappedFile::open(path);
    if (!opened)
        return opened.error();
    std::shared_ptr<const MappedFile> archive = opened.value();
    auto members = readCentralDirectory(*archive);
    if (!members)
        return members.error();
    std::vector<StoredTensor> tensors;
    const auto& list = members.value();
    for (std::size_t i = 0; i < list.size(); ++i) {
        const Member& member = list[i];
        job.report(double(i) / double(list.size()), QStringLiteral("Reading %1").arg(member.name));
        const auto error = [&](qint64 offset, const QString& message) {
            return Error{path, offset, QStringLiteral("member '%1': %2").arg(member.name, message)};
        };
        if (member.flags & 1)
            return error(member.entryOffset, QStringLiteral("is encrypted"));
        ByteCursor local(archive->data(), archive->size());
        std::uint32_t signature;
        std::uint16_t nameLength, extraLength;
        if (member.localHeaderOffset > quint64(archive->size()) || !local.seek(qint64(member.localHeaderOffset)) ||
            !local.read(signature) || signature != kLocalHeader || !local.skip(kLocalHeaderBytes - 8) ||
            !local.read(nameLength) || !local.read(extraLength) || !local.skip(nameLength + extraLength))
            return error(qint64(std::min<quint64>(member.localHeaderOffset, quint64(archive->size()))),
                         QStringLiteral("damaged local header"));
        const qint64 dataOffset = local.position();
        if (member.compressedSize > quint64(archive->size()) || !archive->contains(dataOffset, qint64(member.compressedSize)))
            return error(dataOffset, QStringLiteral("its %1 bytes of data run past the end of the archive").arg(member.compressedSize));
        QString name = member.name;
        if (name.endsWith(QLatin1String(".npy")))
            name.chop(4);
        Result<StoredTensor> tensor = Error{};
        if (member.method == 0) {
            if (member.size != member.compressedSize)
                return error(member.entryOffset, QStringLiteral("stored member with different sizes"));
            tensor = readNpyArray(archive, dataOffset, qint64(member.size), name);
        } else if (member.method == 8) {
            auto inflated = inflateMember(*archive, member, dataOffset, job);
            if (!inflated)
                return inflated.error();
            std::shared_ptr<const MappedFile> memberFile = inflated.value();
            tensor = readNpyArray(memberFile, 0, memberFile->size(), name);
        } else {
            return error(member.entryOffset, QStringLiteral("compression method %1 is not supported (stored and deflated are)").arg(member.method));
        }
        if (!tensor)
            return tensor.error();
        tensors.push_back(std::move(tensor.value()));
    }
    job.report(1.0, QStringLiteral("Read %1 arrays").arg(tensors.size()));
    return std::shared_ptr<TensorSource>(std::make_shared<MappedTensorSource>(path, std::move(tensors)));
}

}  // namespace cstudio
