#pragma once
// GGUF key/value metadata: reads one value of any of the 13 GGUF value types, arrays nested to
// any sensible depth included, and renders it as display text (long arrays abbreviated).
// Spec: ggml/docs/gguf.md.
#include "core/formats/byte_cursor.h"

#include <QString>
#include <QVariant>

namespace cstudio {

enum class GgufValueType : std::uint32_t {
    UInt8 = 0, Int8 = 1, UInt16 = 2, Int16 = 3, UInt32 = 4, Int32 = 5, Float32 = 6, Bool = 7,
    String = 8, Array = 9, UInt64 = 10, Int64 = 11, Float64 = 12,
};

struct GgufValue {
    QString text;      // for display: 4096, "llama", [1, 2, 3], [array of 32000 STRING: "<unk>", ...]
    QVariant scalar;   // integer, float, bool or string value; invalid for arrays
};

// Reads a value of `type` at the cursor. Returns an empty string on success, else the problem.
QString readGgufValue(ByteCursor& cursor, std::uint32_t type, GgufValue& value, int depth = 0);
// Reads a GGUF string (uint64 length + UTF-8 bytes), refusing lengths beyond the data.
bool readGgufString(ByteCursor& cursor, QString& text);
QString ggufValueTypeName(std::uint32_t type);

}  // namespace cstudio
