#pragma once
// GGUF / ggml tensor types: the packed block layouts of llama.cpp's quantization formats and
// their exact dequantization, one row per type in a table (after ggml's type_traits): name,
// elements per block, bytes per block, to-float. The quantizing direction lives in its own file
// and uses these structs. Layouts and arithmetic follow ggml-common.h and ggml-quants.c
// (dequantize_row_*), checked value for value against the gguf Python package's quants.py by
// the conformance tests. All multi-byte fields are little-endian; `half` fields are IEEE fp16.
#include <cstdint>
#include <span>

namespace cstudio::ggml {

using half = std::uint16_t;  // raw fp16 bits; decode with decodeFloat16()

inline constexpr int kBlock32 = 32;   // QK4_0, QK4_1, QK5_0, QK5_1, QK8_0
inline constexpr int kSuperBlock = 256;  // QK_K for the k-quants

// ggml_type: the numbers stored in GGUF tensor infos.
enum class Type : std::uint32_t {
    F32 = 0, F16 = 1, Q4_0 = 2, Q4_1 = 3, Q5_0 = 6, Q5_1 = 7, Q8_0 = 8, Q8_1 = 9,
    Q2_K = 10, Q3_K = 11, Q4_K = 12, Q5_K = 13, Q6_K = 14, Q8_K = 15,
    IQ2_XXS = 16, IQ2_XS = 17, IQ3_XXS = 18, IQ1_S = 19, IQ4_NL = 20, IQ3_S = 21, IQ2_S = 22, IQ4_XS = 23,
    I8 = 24, I16 = 25, I32 = 26, I64 = 27, F64 = 28, IQ1_M = 29, BF16 = 30,
    TQ1_0 = 34, TQ2_0 = 35, MXFP4 = 39,
};

// x = d * q, q in [-8, 7]; element j in the low nibble of qs[j], element j+16 in the high one.
struct BlockQ4_0 {
    half d;
    std::uint8_t qs[kBlock32 / 2];
};
static_assert(sizeof(BlockQ4_0) == 18);

// x = d * q + m, q in [0, 15].
struct BlockQ4_1 {
    half d;
    half m;
    std::uint8_t qs[kBlock32 / 2];
};
static_assert(sizeof(BlockQ4_1) == 20);

// Like Q4_0 with a fifth bit per element in qh (bit j for element j): q in [-16, 15].
struct BlockQ5_0 {
    half d;
    std::uint8_t qh[4];
    std::uint8_t qs[kBlock32 / 2];
};
static_assert(sizeof(BlockQ5_0) == 22);

struct BlockQ5_1 {
    half d;
    half m;
    std::uint8_t qh[4];
    std::uint8_t qs[kBlock32 / 2];
};
static_assert(sizeof(BlockQ5_1) == 24);

struct BlockQ8_0 {
    half d;
    std::int8_t qs[kBlock32];
};
static_assert(sizeof(BlockQ8_0) == 34);

// 16 groups of 16; each group has a 4-bit scale and a 4-bit min (scales[j] = scale | min << 4)
// scaled by the fp16 d and dmin: x = d * scale * q - dmin * min, q in [0, 3].
struct BlockQ2_K {
    std::uint8_t scales[kSuperBlock / 16];
    std::uint8_t qs[kSuperBlock / 4];
    half d;
    half dmin;
};
static_assert(sizeof(BlockQ2_K) == 84);

// 16 groups of 16 with 6-bit signed scales packed in 12 bytes; 2 low bits in qs, the third bit
// in hmask: x = d * (scale - 32) * (q - 4 if the high bit is clear else q).
struct BlockQ3_K {
    std::uint8_t hmask[kSuperBlock / 8];
    std::uint8_t qs[kSuperBlock / 4];
    std::uint8_t scales[12];
    half d;
};
static_assert(sizeof(BlockQ3_K) == 110);

// 8 groups of 32 with 6-bit scales and mins packed in 12 bytes: x = d * scale * q - dmin * min.
struct BlockQ4_K {
    half d;
    half dmin;
    std::uint8_t scales[12];
    std::uint8_t qs[kSuperBlock / 2];
};
static_assert(sizeof(BlockQ4_K) == 144);

struct BlockQ5_K {
    half d;
    half dmin;
    std::uint8_t scales[12];
    std::uint8_t qh[kSuperBlock / 8];
    std::uint8_t qs[kSuperBlock / 2];
};
static_assert(sizeof(BlockQ5_K) == 176);

// 16 groups of 16 with 8-bit signed scales; 6-bit quants (4 low bits in ql, 2 high in qh):
// x = d * scale * (q - 32).
struct BlockQ6_K {
    std::uint8_t ql[kSuperBlock / 2];
    std::uint8_t qh[kSuperBlock / 4];
    std::int8_t scales[kSuperBlock / 16];
    half d;
};
static_assert(sizeof(BlockQ6_K) == 210);

// Dequantizes `blocks` consecutive blocks; out receives blocks * block-size floats.
void dequantize(std::span<const BlockQ4_0> blocks, float* out);
void dequantize(std::span<const BlockQ4_1> blocks, float* out);
void dequantize(std::span<const BlockQ5_0> blocks, float* out);
void dequantize(std::span<const BlockQ5_1> blocks, float* out);
void dequantize(std::span<const BlockQ8_0> blocks, float* out);
void dequantize(std::span<const BlockQ2_K> blocks, float* out);
void dequantize(std::span<const BlockQ3_K> blocks, float* out);
void dequantize(std::span<const BlockQ4_K> blocks, float* out);
void dequantize(std::span<const BlockQ5_K> blocks, float* out);
void dequantize(std::span<const BlockQ6_K> blocks, float* out);

// ggml's get_scale_min_k4: the j-th 6-bit scale and min of a Q4_K/Q5_K block.
void scaleMinK4(int j, const std::uint8_t* scales, std::uint8_t& scale, std::uint8_t& min);

struct TypeTraits {
    Type type;
    const char* name;
    int blockElements;
    int blockBytes;
    // Decodes `blocks` blocks from raw file bytes (any alignment); null: listed, not decoded.
    void (*toFloat)(const unsigned char* source, std::int64_t blocks, float* out);
};

// Every ggml type a GGUF file may hold, decoded or not.
std::span<const TypeTraits> typeTable();
// The row for the numeric type id read from a file, or nullptr for an unknown id.
const TypeTraits* typeTraits(std::uint32_t type);

}  // namespace cstudio::ggml
