#include "core/formats/element_type.h"

#include "core/dtypes/float_decode.h"

#include <bit>
#include <cstring>

namespace cstudio {
namespace {

template <class T, bool BigEndian>
T loadValue(const unsigned char* source)
{
    T value;
    if constexpr (BigEndian && sizeof(T) > 1) {
        unsigned char swapped[sizeof(T)];
        for (std::size_t i = 0; i < sizeof(T); ++i)
            swapped[i] = source[sizeof(T) - 1 - i];
        std::memcpy(&value, swapped, sizeof(T));
    } else {
        std::memcpy(&value, source, sizeof(T));
    }
    return value;
}

template <class T, bool BigEndian>
void decodeInteger(const unsigned char* source, std::int64_t count, float* out)
{
    for (std::int64_t i = 0; i < count; ++i)
        out[i] = float(loadValue<T, BigEndian>(source + i * std::int64_t(sizeof(T))));
}

void decodeBool(const unsigned char* source, std::int64_t count, float* out)
{
    for (std::int64_t i = 0; i < count; ++i)
        out[i] = source[i] ? 1.0f : 0.0f;
}

template <bool BigEndian>
void decodeF16(const unsigned char* source, std::int64_t count, float* out)
{
    for (std::int64_t i = 0; i < count; ++i)
        out[i] = decodeFloat16(loadValue<std::uint16_t, BigEndian>(source + 2 * i));
}

template <bool BigEndian>
void decodeBF16(const unsigned char* source, std::int64_t count, float* out)
{
    for (std::int64_t i = 0; i < count; ++i)
        out[i] = decodeBFloat16(loadValue<std::uint16_t, BigEndian>(source + 2 * i));
}

template <bool BigEndian>
void decodeF32(const unsigned char* source, std::int64_t count, float* out)
{
    if constexpr (!BigEndian) {
        std::memcpy(out, source, std::size_t(count) * 4);
    } else {
        for (std::int64_t i = 0; i < count; ++i)
            out[i] = std::bit_cast<float>(loadValue<std::uint32_t, true>(source + 4 * i));
    }
}

template <bool BigEndian>
void decodeF64(const unsigned char* source, std::int64_t count, float* out)
{
    for (std::int64_t i = 0; i < count; ++i)
        out[i] = float(std::bit_cast<double>(loadValue<std::uint64_t, BigEndian>(source + 8 * i)));
}

void decodeE4M3(const unsigned char* source, std::int64_t count, float* out)
{
    decodeFloat8E4M3Fn(std::span<const std::uint8_t>(source, std::size_t(count)), out);
}

void decodeE5M2(const unsigned char* source, std::int64_t count, float* out)
{
    decodeFloat8E5M2(std::span<const std::uint8_t>(source, std::size_t(count)), out);
}

template <bool BigEndian>
DecodeElementsFunction decoderFor(ElementType type)
{
    switch (type) {
    case ElementType::Bool: return &decodeBool;
    case ElementType::I8: return &decodeInteger<std::int8_t, BigEndian>;
    case ElementType::U8: return &decodeInteger<std::uint8_t, BigEndian>;
    case ElementType::I16: return &decodeInteger<std::int16_t, BigEndian>;
    case ElementType::U16: return &decodeInteger<std::uint16_t, BigEndian>;
    case ElementType::I32: return &decodeInteger<std::int32_t, BigEndian>;
    case ElementType::U32: return &decodeInteger<std::uint32_t, BigEndian>;
    case ElementType::I64: return &decodeInteger<std::int64_t, BigEndian>;
    case ElementType::U64: return &decodeInteger<std::uint64_t, BigEndian>;
    case ElementType::F16: return &decodeF16<BigEndian>;
    case ElementType::BF16: return &decodeBF16<BigEndian>;
    case ElementType::F32: return &decodeF32<BigEndian>;
    case ElementType::F64: return &decodeF64<BigEndian>;
    case ElementType::F8E4M3Fn: return &decodeE4M3;
    case ElementType::F8E5M2: return &decodeE5M2;
    }
    return nullptr;
}

}  // namespace

int elementBytes(ElementType type)
{
    switch (type) {
    case ElementType::Bool:
    case ElementType::I8:
    case ElementType::U8:
    case ElementType::F8E4M3Fn:
    case ElementType::F8E5M2: return 1;
    case ElementType::I16:
    case ElementType::U16:
    case ElementType::F16:
    case ElementType::BF16: return 2;
    case ElementType::I32:
    case ElementType::U32:
    case ElementType::F32: return 4;
    case ElementType::I64:
    case ElementType::U64:
    case ElementType::F64: return 8;
    }
    return 0;
}

DecodeElementsFunction elementDecoder(ElementType type, bool bigEndian)
{
    return bigEndian ? decoderFor<true>(type) : decoderFor<false>(type);
}

std::optional<ElementType> elementTypeFromSafetensorsName(const QString& name)
{
    static const std::pair<const char*, ElementType> names[] = {
        {"BOOL", ElementType::Bool}, {"I8", ElementType::I8},     {"U8", ElementType::U8},
        {"I16", ElementType::I16},   {"U16", ElementType::U16},   {"I32", ElementType::I32},
        {"U32", ElementType::U32},   {"I64", ElementType::I64},   {"U64", ElementType::U64},
        {"F16", ElementType::F16},   {"BF16", ElementType::BF16}, {"F32", ElementType::F32},
        {"F64", ElementType::F64},   {"F8_E4M3", ElementType::F8E4M3Fn}, {"F8_E5M2", ElementType::F8E5M2},
    };
    for (const auto& [text, type] : names)
        if (name == QLatin1String(text))
            return type;
    return std::nullopt;
}

}  // namespace cstudio
