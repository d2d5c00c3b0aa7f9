#pragma once
// Exact decoding of the narrow floating-point storage types into float32: IEEE 754 binary16
// (fp16), bfloat16, and the two OCP 8-bit formats fp8 E4M3FN and fp8 E5M2. Every value of each
// type is representable in float32, so decoding is exact (NaN payloads aside). The encoding
// direction (rounding) lives in its own files beside this one.
#include <bit>
#include <cstdint>
#include <span>

namespace cstudio {

// IEEE 754 binary16: 1 sign, 5 exponent (bias 15), 10 mantissa bits; subnormals, inf, NaN.
inline float decodeFloat16(std::uint16_t bits)
{
    const std::uint32_t sign = std::uint32_t(bits & 0x8000u) << 16;
    const std::uint32_t exponent = (bits >> 10) & 0x1fu;
    const std::uint32_t mantissa = bits & 0x3ffu;
    if (exponent == 0x1f)  // inf or NaN: keep the payload in the top mantissa bits
        return std::bit_cast<float>(sign | 0x7f800000u | (mantissa << 13));
    if (exponent == 0) {  // zero or subnormal: mantissa * 2^-24, exact in float32
        const float magnitude = float(mantissa) * 0x1p-24f;
        return sign ? -magnitude : magnitude;
    }
    return std::bit_cast<float>(sign | ((exponent + (127 - 15)) << 23) | (mantissa << 13));
}

// bfloat16 is the top half of a float32.
inline float decodeBFloat16(std::uint16_t bits)
{
    return std::bit_cast<float>(std::uint32_t(bits) << 16);
}

// fp8 E4M3FN (OCP 8-bit floating point spec, "fn": finite, no infinities): 1 sign, 4 exponent
// (bias 7), 3 mantissa bits; S.1111.111 is NaN, largest finite 448, subnormals m * 2^-9.
inline float decodeFloat8E4M3Fn(std::uint8_t bits)
{
    const bool negative = bits & 0x80u;
    const unsigned exponent = (bits >> 3) & 0xfu;
    const unsigned mantissa = bits & 0x7u;
    float magnitude;
    if (exponent == 0xf && mantissa == 0x7)
        magnitude = std::bit_cast<float>(0x7fc00000u);
    else if (exponent == 0)
        magnitude = float(mantissa) * 0x1p-9f;
    else
        magnitude = std::bit_cast<float>(((exponent + (127 - 7)) << 23) | (mantissa << 20));
    return negative ? -magnitude : magnitude;
}

// fp8 E5M2: 1 sign, 5 exponent (bias 15), 2 mantissa bits, IEEE-like with inf and NaN. It is
// exactly the top byte of a binary16.
inline float decodeFloat8E5M2(std::uint8_t bits)
{
    return decodeFloat16(std::uint16_t(std::uint16_t(bits) << 8));
}

// Whole-array forms; `out` must be at least as long as `in`.
void decodeFloat16(std::span<const std::uint16_t> in, float* out);
void decodeBFloat16(std::span<const std::uint16_t> in, float* out);
void decodeFloat8E4M3Fn(std::span<const std::uint8_t> in, float* out);
void decodeFloat8E5M2(std::span<const std::uint8_t> in, float* out);

}  // namespace cstudio
