#pragma once
// Hot loops are written as plain loops the compiler vectorizes; CSTUDIO_VECTOR_CLONES compiles a
// function once per x86-64 level (AVX-512, AVX2+FMA, baseline SSE2) and picks one at load time
// (GCC/Clang target_clones), so the portable build still runs AVX2 code where the CPU has it.
// The core is built with -ffp-contract=off so every clone rounds exactly like the scalar code.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(__SANITIZE_ADDRESS__)
#define CSTUDIO_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define CSTUDIO_VECTOR_CLONES
#endif

#include <bit>
#include <cstdint>

namespace cstudio::simd {

// Round to nearest, ties to even, for |value| < 2^22, exactly like numpy.rint: adding 1.5*2^23
// leaves no fraction bits, so the FPU's default rounding mode does the work, and unlike
// std::nearbyint it vectorizes everywhere.
[[gnu::always_inline]] inline float roundHalfEven(float value)
{
    constexpr float kMagic = 12582912.0f;  // 1.5 * 2^23
    return (value + kMagic) - kMagic;
}

// |x| as an unsigned integer that orders like |x|; NaN sorts above +inf (0x7f800000), so one
// integer max gives both the absmax and whether the group is finite.
[[gnu::always_inline]] inline std::uint32_t magnitudeKey(float x) { return std::bit_cast<std::uint32_t>(x) & 0x7fffffffu; }
inline constexpr std::uint32_t kInfinityKey = 0x7f800000u;

// x as a signed integer that orders like x (NaNs land outside [-inf, +inf]).
[[gnu::always_inline]] inline std::int32_t orderKey(float x)
{
    const auto bits = std::bit_cast<std::int32_t>(x);
    return bits ^ ((bits >> 31) & 0x7fffffff);
}
inline float fromOrderKey(std::int32_t key)
{
    return std::bit_cast<float>(key ^ ((key >> 31) & 0x7fffffff));
}

}  // namespace cstudio::simd
