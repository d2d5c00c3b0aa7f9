#include "core/dtypes/minifloat_rounding.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

namespace cstudio {

namespace {

// 2^exponent as a float, exact; ldexp only for the rare exponents outside the normal range.
float powerOfTwo(int exponent)
{
    if (exponent >= -126 && exponent <= 127)
        return std::bit_cast<float>(static_cast<std::uint32_t>(exponent + 127) << 23);
    return std::ldexp(1.0f, exponent);
}

// Round-to-nearest-even of a non-negative value below 2^22, exact: adding 2^23 leaves no
// fraction bits, so the FPU's default rounding (to nearest, ties to even) does the work.
float roundHalfEvenSmall(float value)
{
    constexpr float kMagic = 8388608.0f;  // 2^23
    return (value + kMagic) - kMagic;
}

// Magnitude rounded to the format's grid (no sign, no NaN/inf handling).
float roundMagnitude(float magnitude, const MinifloatFormat& format)
{
    if (magnitude == 0.0f)
        return 0.0f;
    const int exponent = std::max(floorLog2(magnitude), format.minNormalExponent);
    const int shift = format.mantissaBits - exponent;
    float scaled;
    if (shift >= -126 && shift <= 127) {
        scaled = magnitude * powerOfTwo(shift);
    } else {
        scaled = std::ldexp(magnitude, shift);
    }
    const float rounded = roundHalfEvenSmall(scaled);
    return (-shift >= -126 && -shift <= 127) ? rounded * powerOfTwo(-shift) : std::ldexp(rounded, -shift);
}

std::uint32_t encodeMinifloat(float x, const MinifloatFormat& format, std::uint32_t nanCode)
{
    const int bias = 1 - format.minNormalExponent;
    const std::uint32_t signBit = std::signbit(x) ? 1u << (format.exponentBits + format.mantissaBits) : 0u;
    if (std::isnan(x))
        return nanCode;
    const float value = std::fabs(roundToMinifloat(x, format));
    if (std::isinf(value))
        return signBit | (((1u << format.exponentBits) - 1) << format.mantissaBits);
    if (value == 0.0f)
        return signBit;
    const int exponent = floorLog2(value);
    if (exponent < format.minNormalExponent) {  // subnormal: mantissa counts units of 2^(emin-M)
        const auto mantissa = static_cast<std::uint32_t>(std::ldexp(value, format.mantissaBits - format.minNormalExponent));
        return signBit | mantissa;
    }
    const auto mantissa = static_cast<std::uint32_t>(std::ldexp(value, format.mantissaBits - exponent)) - (1u << format.mantissaBits);
    return signBit | (static_cast<std::uint32_t>(exponent + bias) << format.mantissaBits) | mantissa;
}

}  // namespace

int floorLog2(float x)
{
    const std::uint32_t bits = std::bit_cast<std::uint32_t>(x) & 0x7fffffffu;
    const int biased = static_cast<int>(bits >> 23);
    if (biased != 0)
        return biased - 127;
    // subnormal float32: the leading mantissa bit gives the exponent
    return -149 + (31 - std::countl_zero(bits & 0x7fffffu));
}

float roundToMinifloat(float x, const MinifloatFormat& format)
{
    if (std::isnan(x))
        return x;
    const float magnitude = std::fabs(x);
    float rounded;
    if (std::isinf(magnitude)) {
        rounded = format.saturating ? format.maxFinite : magnitude;
    } else {
        rounded = roundMagnitude(magnitude, format);
        if (rounded > format.maxFinite)
            rounded = format.saturating ? format.maxFinite : std::numeric_limits<float>::infinity();
    }
    return std::copysign(rounded, x);
}

void roundToMinifloat(std::span<const float> in, std::span<float> out, const MinifloatFormat& format)
{
    const std::size_t n = std::min(in.size(), out.size());
    for (std::size_t i = 0; i < n; ++i)
        out[i] = roundToMinifloat(in[i], format);
}

std::uint16_t encodeFp16(float x)
{
    return static_cast<std::uint16_t>(encodeMinifloat(x, kFp16, 0x7e00u));
}

std::uint16_t encodeBf16(float x)
{
    const std::uint32_t bits = std::bit_cast<std::uint32_t>(x);
    if (std::isnan(x))
        return static_cast<std::uint16_t>((bits >> 16) | 0x40u);  // keep sign, force a quiet NaN
    const std::uint32_t roundingBias = 0x7fffu + ((bits >> 16) & 1u);
    return static_cast<std::uint16_t>((bits + roundingBias) >> 16);
}

std::uint8_t encodeFp8E4M3(float x)
{
    return static_cast<std::uint8_t>(encodeMinifloat(x, kFp8E4M3, 0x7fu));
}

std::uint8_t encodeFp8E5M2(float x)
{
    return static_cast<std::uint8_t>(encodeMinifloat(x, kFp8E5M2, 0x7fu));
}

std::uint8_t encodeFp4E2M1(float x)
{
    // E2M1 has no NaN; OCP MX maps NaN elements to the block's NaN scale instead.
    return static_cast<std::uint8_t>(encodeMinifloat(std::isnan(x) ? 0.0f : x, kFp4E2M1, 0u));
}

std::uint8_t encodeE8M0(int exponent)
{
    return static_cast<std::uint8_t>(std::clamp(exponent, -127, 127) + 127);
}

}  // namespace cstudio
