#include "core/formats/gguf_metadata.h"

namespace cstudio {
namespace {
constexpr int kMaxArrayDepth = 8;
constexpr int kShownArrayItems = 8;
constexpr int kShownStringChars = 160;
constexpr int kShownArrayChars = 400;

QString quoted(const QString& text)
{
    QString shown = text.size() > kShownStringChars ? text.left(kShownStringChars) + QStringLiteral("…") : text;
    return QLatin1Char('"') + shown.replace(QLatin1Char('\n'), QStringLiteral("\\n")) + QLatin1Char('"');
}

template <class T>
bool readNumber(ByteCursor& cursor, GgufValue& value)
{
    T number;
    if (!cursor.read(number))
        return false;
    if constexpr (std::is_floating_point_v<T>) {
        value.scalar = double(number);
        value.text = QString::number(double(number), 'g', 9);
    } else if constexpr (std::is_signed_v<T>) {
        value.scalar = qint64(number);
        value.text = QString::number(qint64(number));
    } else {
        value.scalar = quint64(number);
        value.text = QString::number(quint64(number));
    }
    return true;
}

// The smallest number of bytes one element of `type` occupies, to bound array counts.
qint64 minimumBytes(std::uint32_t type)
{
    switch (GgufValueType(type)) {
    case GgufValueType::UInt8:
    case GgufValueType::Int8:
    case GgufValueType::Bool: return 1;
    case GgufValueType::UInt16:
    case GgufValueType::Int16: return 2;
    case GgufValueType::UInt32:
    case GgufValueType::Int32:
    case GgufValueType::Float32: return 4;
    case GgufValueType::String:
    case GgufValueType::UInt64:
    case GgufValueType::Int64:
    case GgufValueType::Float64: return 8;
    case GgufValueType::Array: return 12;
    }
    return 1;
}

}  // namespace

QString ggufValueTypeName(std::uint32_t type)
{
    static const char* names[] = {"UINT8", "INT8", "UINT16", "INT16", "UINT32", "INT32", "FLOAT32",
                                  "BOOL", "STRING", "ARRAY", "UINT64", "INT64", "FLOAT64"};
    return type < std::size(names) ? QString::fromLatin1(names[type]) : QStringLiteral("type %1").arg(type);
}

bool readGgufString(ByteCursor& cursor, QString& text)
{
    quint64 length;
    const unsigned char* bytes;
    if (!cursor.read(length) || length > quint64(cursor.remaining()) || !cursor.take(qint64(length), bytes))
        return false;
    text = QString::fromUtf8(reinterpret_cast<const char*>(bytes), qsizetype(length));
    return true;
}

QString readGgufValue(ByteCursor& cursor, std::uint32_t type, GgufValue& value, int depth)
{
    const auto truncated = [&] { return QStringLiteral("the file ends inside a %1 value").arg(ggufValueTypeName(type)); };
    switch (GgufValueType(type)) {
    case GgufValueType::UInt8: return readNumber<std::uint8_t>(cursor, value) ? QString() : truncated();
    case GgufValueType::Int8: return readNumber<std::int8_t>(cursor, value) ? QString() : truncated();
    case GgufValueType::UInt16: return readNumber<std::uint16_t>(cursor, value) ? QString() : truncated();
    case GgufValueType::Int16: return readNumber<std::int16_t>(cursor, value) ? QString() : truncated();
    case GgufValueType::UInt32: return readNumber<std::uint32_t>(cursor, value) ? QString() : truncated();
    case GgufValueType::Int32: return readNumber<std::int32_t>(cursor, value) ? QString() : truncated();
    case GgufValueType::UInt64: return readNumber<std::uint64_t>(cursor, value) ? QString() : truncated();
    case GgufValueType::Int64: return readNumber<std::int64_t>(cursor, value) ? QString() : truncated();
    case GgufValueType::Float32: return readNumber<float>(cursor, value) ? QString() : truncated();
    case GgufValueType::Float64: return readNumber<double>(cursor, value) ? QString() : truncated();
    case GgufValueType::Bool: {
        std::uint8_t flag;
        if (!cursor.read(flag))
            return truncated();
        if (flag > 1)
            return QStringLiteral("a BOOL value is %1, not 0 or 1").arg(flag);
        value.scalar = flag == 1;
        value.text = flag ? QStringLiteral("true") : QStringLiteral("false");
        return {};
    }
    case GgufValueType::String: {
        QString text;
        if (!readGgufString(cursor, text))
            return QStringLiteral("a string's length runs past the end of the file");
        value.scalar = text;
        value.text = quoted(text);
        return {};
    }
    case GgufValueType::Array: {
        if (depth >= kMaxArrayDepth)
            return QStringLiteral("arrays nested deeper than %1 levels").arg(kMaxArrayDepth);
        std::uint32_t elementType;
        quint64 count;
        if (!cursor.read(elementType) || !cursor.read(count))
            return truncated();
        if (elementType > std::uint32_t(GgufValueType::Float64))
            return QStringLiteral("unknown array element type %1").arg(elementType);
        if (count > quint64(cursor.remaining() / minimumBytes(elementType)))
            return QStringLiteral("an array claims %1 elements of %2, more than the rest of the file can hold")
                .arg(count).arg(ggufValueTypeName(elementType));
        QStringList shown;
        for (quint64 i = 0; i < count; ++i) {
            GgufValue element;
            if (QString problem = readGgufValue(cursor, elementType, element, depth + 1); !problem.isEmpty())
                return problem;
            if (i < quint64(kShownArrayItems))
                shown << element.text;
        }
        value.scalar = QVariant();
        const QString items = shown.join(QStringLiteral(", "));
        value.text = count <= quint64(kShownArrayItems)
                         ? QLatin1Char('[') + items + QLatin1Char(']')
                         : QStringLiteral("[%1 × %2: %3, …]").arg(count).arg(ggufValueTypeName(elementType), items);
        if (value.text.size() > kShownArrayChars)  // nested arrays: keep the display text bounded
            value.text = value.text.left(kShownArrayChars) + QStringLiteral("…]");
        return {};
    }
    }
    return QStringLiteral("unknown value type %1").arg(type);
}

}  // namespace cstudio
