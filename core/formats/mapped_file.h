#pragma once
// A file mapped read-only into memory (QFile::map). Readers parse headers from it and tensors
// are decoded straight from the mapping, so nothing the size of a tensor is ever allocated.
#include "core/result.h"

#include <QString>
#include <memory>
#include <span>

class QFile;

namespace cstudio {

class MappedFile {
public:
    // Opens `path` read-only and maps all of it. An empty file maps to a null pointer, size 0.
    static Result<std::shared_ptr<MappedFile>> open(const QString& path);
    // Takes over an already open file (e.g. a QTemporaryFile holding an inflated npz member).
    static Result<std::shared_ptr<MappedFile>> adopt(std::unique_ptr<QFile> file, const QString& displayPath);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const QString& path() const { return path_; }
    const unsigned char* data() const { return data_; }
    qint64 size() const { return size_; }
    bool contains(qint64 offset, qint64 length) const
    {
        return offset >= 0 && length >= 0 && offset <= size_ && length <= size_ - offset;
    }

    // Tells the kernel that our mapping of the pages holding [offset, offset + length) will not
    // be read again soon, so a streaming pass keeps a bounded resident set (the data stays in
    // the page cache; a page read again later is simply mapped again).
    void releasePages(qint64 offset, qint64 length) const;

    // Copies bytes [offset, offset + out.size()) with the file's own reads (pread), not through
    // the mapping: nothing is faulted in or left mapped. Safe from several threads at once.
    Result<void> read(qint64 offset, std::span<unsigned char> out) const;

private:
    MappedFile() = default;
    std::unique_ptr<QFile> file_;
    QString path_;
    const unsigned char* data_ = nullptr;
    qint64 size_ = 0;
};

}  // namespace cstudio
