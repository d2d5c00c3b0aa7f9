#pragma once
// Errors are values: a Result<T> holds either a T or an Error that names the file, the byte
// offset where the problem was found (when there is one) and what is wrong, in words a user
// can act on. C++20 has no std::expected yet, so this is the small subset we need.
#include <QString>
#include <optional>
#include <utility>
#include <variant>

namespace cstudio {

struct Error {
    QString file;        // path of the file concerned, empty when the error is not about a file
    qint64 offset = -1;  // byte offset in that file, -1 when not meaningful
    QString message;     // what is wrong, e.g. "header length 2^40 exceeds the file size 1024"

    // "model.safetensors (at byte 8): header length ... exceeds ..."
    QString toString() const
    {
        QString text;
        if (!file.isEmpty())
            text = offset >= 0 ? QStringLiteral("%1 (at byte %2): ").arg(file).arg(offset)
                               : file + QStringLiteral(": ");
        return text + message;
    }
};

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::move(value)) {}
    Result(Error error) : state_(std::move(error)) {}

    bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(state_); }
    const T& value() const& { return std::get<0>(state_); }
    T&& value() && { return std::get<0>(std::move(state_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const { return std::get<1>(state_); }

private:
    std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)) {}

    bool ok() const { return !error_.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return *error_; }

private:
    std::optional<Error> error_;
};

}  // namespace cstudio
