#pragma once
// The encode direction of the small float formats: float32 -> bf16, fp16, fp8 (E4M3, E5M2),
// fp4 (E2M1) with IEEE round-to-nearest-even, and the E8M0 power-of-two scale of OCP MX.
// (The decode direction, bytes -> float, lives in core/dtypes/float_decode.)
//
// One generic rounding covers every format: a value is rounded to the grid of its binade,
// 2^(max(e, emin) - mantissaBits), which is exact in float32 for all the formats here, so the
// results agree value for value with ml_dtypes / numpy `astype`. Formats with `saturating`
// clamp to +-maxFinite (OCP FP8/FP4 "saturation mode", what quantizers use); the others
// overflow to +-inf like IEEE (bf16, fp16, and E5M2 when not saturating).
#include <cstdint>
#include <span>

namespace cstudio {

struct MinifloatFormat {
    const char* name;      // "fp8_e4m3"
    int exponentBits;
    int mantissaBits;
    int minNormalExponent;  // unbiased exponent of the smallest normal number (1 - bias)
    float maxFinite;        // largest finite magnitude
    bool saturating;        // clamp to +-maxFinite instead of overflowing to inf
};

// OCP 8-bit floating point (OFP8) v1.0: E4M3 has no infinities and max 448; E5M2 max 57344.
inline constexpr MinifloatFormat kFp8E4M3{"fp8_e4m3", 4, 3, -6, 448.0f, true};
inline constexpr MinifloatFormat kFp8E5M2{"fp8_e5m2", 5, 2, -14, 57344.0f, true};
// OCP MX v1.0 FP4 element: E2M1, values {0, 0.5, 1, 1.5, 2, 3, 4, 6}.
inline constexpr MinifloatFormat kFp4E2M1{"fp4_e2m1", 2, 1, 0, 6.0f, true};
inline constexpr MinifloatFormat kBf16{"bf16", 8, 7, -126, 3.38953139e38f, false};
inline constexpr MinifloatFormat kFp16{"fp16", 5, 10, -14, 65504.0f, false};

// x rounded to the nearest value of `format` (ties to even); NaN stays NaN.
float roundToMinifloat(float x, const MinifloatFormat& format);
void roundToMinifloat(std::span<const float> in, std::span<float> out, const MinifloatFormat& format);

// Bit patterns, for writing real files. Round to nearest even, like roundToMinifloat.
std::uint16_t encodeFp16(float x);
std::uint16_t encodeBf16(float x);
std::uint8_t encodeFp8E4M3(float x);  // saturating to +-448; NaN -> 0x7F
std::uint8_t encodeFp8E5M2(float x);  // saturating to +-57344; NaN -> 0x7F
std::uint8_t encodeFp4E2M1(float x);  // 4-bit code in the low nibble, saturating to +-6

// E8M0 (OCP MX v1.0 shared scale): the byte for 2^exponent, exponent clamped to [-127, 127].
std::uint8_t encodeE8M0(int exponent);

// floor(log2(|x|)) for finite non-zero x, exact (reads the float's exponent; handles subnormals).
int floorLog2(float x);

}  // namespace cstudio
