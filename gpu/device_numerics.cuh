#pragma once
// Device twins of the CPU's scalar helpers (core/quant/simd_dispatch.h, core/dtypes/
// minifloat_rounding.cpp): order keys, std::clamp/min/max with their exact NaN and signed-zero
// behaviour, exact powers of two and the generic minifloat rounding. Compiled with
// --fmad=false so every expression rounds like the CPU build (-ffp-contract=off).
#include <cuda_runtime.h>

namespace cstudio::gpu {

__device__ __forceinline__ unsigned magnitudeKey(float x) { return __float_as_uint(x) & 0x7fffffffu; }
constexpr unsigned kInfinityKey = 0x7f800000u;
__device__ __forceinline__ int orderKey(float x)
{
    const int bits = __float_as_int(x);
    return bits ^ ((bits >> 31) & 0x7fffffff);
}
__device__ __forceinline__ float fromOrderKey(int key) { return __int_as_float(key ^ ((key >> 31) & 0x7fffffff)); }
__device__ __forceinline__ bool isFiniteValue(float x) { return magnitudeKey(x) < kInfinityKey; }

// std::clamp / std::max / std::min, comparison for comparison.
__device__ __forceinline__ float clampStd(float v, float low, float high) { return v < low ? low : (high < v ? high : v); }
__device__ __forceinline__ int clampInt(int v, int low, int high) { return v < low ? low : (high < v ? high : v); }
__device__ __forceinline__ float maxStd(float a, float b) { return a < b ? b : a; }
__device__ __forceinline__ float minStd(float a, float b) { return b < a ? b : a; }

// Round half to even for |v| < 2^22 exactly like simd::roundHalfEven: adding and subtracting
// 1.5 * 2^23 (which also turns -0.3 into +0, where rintf would give -0).
__device__ __forceinline__ float roundHalfEven(float v)
{
    constexpr float kMagic = 12582912.0f;
    return __fadd_rn(__fadd_rn(v, kMagic), -kMagic);
}

// floor(log2|x|) for finite non-zero x (subnormals included).
__device__ __forceinline__ int floorLog2(float x)
{
    const unsigned bits = __float_as_uint(x) & 0x7fffffffu;
    const int biased = static_cast<int>(bits >> 23);
    if (biased != 0)
        return biased - 127;
    return -149 + (31 - __clz(bits & 0x7fffffu));
}

// 2^e as a float for e in [-149, 127] (subnormal powers included), exact.
__device__ __forceinline__ float powerOfTwo(int e)
{
    if (e >= -126)
        return __uint_as_float(static_cast<unsigned>(e + 127) << 23);
    return __uint_as_float(1u << (e + 149));
}

// x * 2^e rounded once to nearest even, like std::ldexp.
__device__ __forceinline__ float ldexpExact(float x, int e)
{
    if (e > 127)
        return (x * powerOfTwo(127)) * powerOfTwo(e - 127 > 127 ? 127 : e - 127);
    if (e < -149)
        return (x * powerOfTwo(-126)) * powerOfTwo(e + 126 < -149 ? -149 : e + 126);
    return x * powerOfTwo(e);
}

struct Minifloat {
    int mantissaBits;
    int minNormalExponent;
    float maxFinite;
    bool saturating;
};
constexpr Minifloat kE4M3{3, -6, 448.0f, true};
constexpr Minifloat kE5M2{2, -14, 57344.0f, true};
constexpr Minifloat kE2M1{1, 0, 6.0f, true};
constexpr Minifloat kBf16{7, -126, 3.38953139e38f, false};
constexpr Minifloat kFp16{10, -14, 65504.0f, false};

// roundToMinifloat() of core/dtypes/minifloat_rounding.cpp.
__device__ __forceinline__ float roundToMinifloat(float x, Minifloat f)
{
    if (x != x)
        return x;
    const float magnitude = fabsf(x);
    float rounded;
    if (magnitude == __int_as_float(0x7f800000)) {
        rounded = f.saturating ? f.maxFinite : magnitude;
    } else {
        if (magnitude == 0.0f) {
            rounded = 0.0f;
        } else {
            const int lg = floorLog2(magnitude);
            const int exponent = lg > f.minNormalExponent ? lg : f.minNormalExponent;
            const int shift = f.mantissaBits - exponent;
            const float scaled = (shift >= -126 && shift <= 127) ? magnitude * powerOfTwo(shift) : ldexpExact(magnitude, shift);
            const float r = roundHalfEven(scaled);
            rounded = (-shift >= -126 && -shift <= 127) ? r * powerOfTwo(-shift) : ldexpExact(r, -shift);
        }
        if (rounded > f.maxFinite)
            rounded = f.saturating ? f.maxFinite : __int_as_float(0x7f800000);
    }
    return copysignf(rounded, x);
}

// Decoding of the stored element types.
// (core/dtypes/float_decode.h, NaN payloads kept the same way)
__device__ __forceinline__ float decodeHalfBits(unsigned short bits)
{
    const unsigned sign = static_cast<unsigned>(bits & 0x8000u) << 16;
    const unsigned exponent = (bits >> 10) & 0x1fu;
    const unsigned mantissa = bits & 0x3ffu;
    if (exponent == 0x1f)
        return __uint_as_float(sign | 0x7f800000u | (mantissa << 13));
    if (exponent == 0) {
        const float magnitude = static_cast<float>(mantissa) * 5.9604644775390625e-8f;  // 2^-24
        return sign ? -magnitude : magnitude;
    }
    return __uint_as_float(sign | ((exponent + (127 - 15)) << 23) | (mantissa << 13));
}
__device__ __forceinline__ float decodeBf16Bits(unsigned short bits) { return __uint_as_float(static_cast<unsigned>(bits) << 16); }

}  // namespace cstudio::gpu
