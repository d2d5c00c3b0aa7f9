#pragma once
// Bounds-checked little-endian reading of a header held in memory (a mapped file). Every read
// checks the remaining length first, so a hostile count or length can never read past the end;
// after a failed read the cursor stays failed and reports where it stopped.
#include <QByteArray>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace cstudio {

class ByteCursor {
public:
    ByteCursor(const unsigned char* data, qint64 size, qint64 position = 0)
        : data_(data), size_(size), position_(position)
    {
    }

    qint64 position() const { return position_; }
    qint64 remaining() const { return size_ - position_; }
    bool failed() const { return failed_; }

    template <class T>
    bool read(T& value)
    {
        static_assert(std::is_trivially_copyable_v<T>);
        if (failed_ || remaining() < qint64(sizeof(T)))
            return fail();
        std::memcpy(&value, data_ + position_, sizeof(T));  // file order is little-endian, as ours
        position_ += qint64(sizeof(T));
        return true;
    }

    // Points at `length` bytes and moves past them.
    bool take(qint64 length, const unsigned char*& bytes)
    {
        if (failed_ || length < 0 || remaining() < length)
            return fail();
        bytes = data_ + position_;
        position_ += length;
        return true;
    }

    bool skip(qint64 length)
    {
        const unsigned char* ignored;
        return take(length, ignored);
    }

    bool seek(qint64 position)
    {
        if (position < 0 || position > size_)
            return fail();
        position_ = position;
        return true;
    }

private:
    bool fail()
    {
        failed_ = true;
        return false;
    }

    const unsigned char* data_;
    qint64 size_;
    qint64 position_;
    bool failed_ = false;
};

}  // namespace cstudio
