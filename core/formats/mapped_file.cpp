#include "core/formats/mapped_file.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cerrno>

#ifdef __linux__
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace cstudio {

Result<std::shared_ptr<MappedFile>> MappedFile::open(const QString& path)
{
    QFileInfo info(path);
    if (!info.exists())
        return Error{path, -1, QStringLiteral("cannot open: no such file")};
    if (info.isDir())
        return Error{path, -1, QStringLiteral("is a folder, not a file")};
    auto file = std::make_unique<QFile>(path);
    if (!file->open(QIODevice::ReadOnly))
        return Error{path, -1, QStringLiteral("cannot be opened for reading: %1").arg(file->errorString())};
    return adopt(std::move(file), path);
}

Result<std::shared_ptr<MappedFile>> MappedFile::adopt(std::unique_ptr<QFile> file, const QString& displayPath)
{
    std::shared_ptr<MappedFile> mapped(new MappedFile);
    mapped->path_ = displayPath;
    mapped->size_ = file->size();
    if (mapped->size_ > 0) {
        mapped->data_ = file->map(0, mapped->size_);
        if (!mapped->data_)
            return Error{displayPath, -1, QStringLiteral("cannot be memory-mapped: %1").arg(file->errorString())};
    }
    mapped->file_ = std::move(file);
    return mapped;
}

MappedFile::~MappedFile()
{
    if (file_ && data_)
        file_->unmap(const_cast<unsigned char*>(data_));
}

void MappedFile::releasePages(qint64 offset, qint64 length) const
{
#ifdef __linux__
    static const qint64 pageSize = sysconf(_SC_PAGESIZE);
    if (!data_ || !contains(offset, length) || pageSize <= 0)
        return;
    // outward to whole pages: a page shared with the next read is faulted in again if it is
    // still needed (from the page cache), instead of staying resident for good
    const qint64 first = offset / pageSize * pageSize;
    const qint64 last = (offset + length + pageSize - 1) / pageSize * pageSize;
    if (last > first)
        madvise(const_cast<unsigned char*>(data_) + first, std::size_t(last - first), MADV_DONTNEED);
#else
    Q_UNUSED(offset);
    Q_UNUSED(length);
#endif
}

Result<void> MappedFile::read(qint64 offset, std::span<unsigned char> out) const
{
    const auto length = static_cast<qint64>(out.size());
    if (!contains(offset, length))
        return Error{path_, offset, QStringLiteral("bytes %1..%2 are outside the file (%3 bytes)").arg(offset).arg(offset + length).arg(size_)};
#ifdef __linux__
    if (const int descriptor = file_ ? file_->handle() : -1; descriptor >= 0) {
        for (qint64 done = 0; done < length;) {
            const ssize_t got = ::pread(descriptor, out.data() + done, static_cast<std::size_t>(length - done), static_cast<off_t>(offset + done));
            if (got < 0 && errno == EINTR)
                continue;
            if (got < 0)
                return Error{path_, offset + done, QStringLiteral("cannot be read: %1").arg(qt_error_string(errno))};
            if (got == 0)
                return Error{path_, offset + done, QStringLiteral("ends early (was it truncated while open?)")};
            done += got;
        }
        return {};
    }
#endif
    if (length > 0)  // no file descriptor: through the mapping
        std::copy_n(data_ + offset, out.size(), out.data());
    return {};
}

}  // namespace cstudio
