#include "core/quant/gguf_blocks.h"

#include "core/dtypes/float_decode.h"
#include "core/formats/element_type.h"

#include <algorithm>
#include <cstring>

namespace cstudio::ggml {
namespace {

float fp16(half bits)
{
    return decodeFloat16(bits);
}

template <class Block>
constexpr int elementsOf = kSuperBlock;
template <> constexpr int elementsOf<BlockQ4_0> = kBlock32;
template <> constexpr int elementsOf<BlockQ4_1> = kBlock32;
template <> constexpr int elementsOf<BlockQ5_0> = kBlock32;
template <> constexpr int elementsOf<BlockQ5_1> = kBlock32;
template <> constexpr int elementsOf<BlockQ8_0> = kBlock32;

// File bytes need not be aligned for the structs' fp16 fields: copy a batch of blocks into
// aligned storage first, then decode.
template <class Block>
void blocksToFloat(const unsigned char* source, std::int64_t blocks, float* out)
{
    constexpr std::int64_t kBatch = 16;
    Block local[kBatch];
    for (std::int64_t done = 0; done < blocks; done += kBatch) {
        const std::int64_t count = std::min(kBatch, blocks - done);
        std::memcpy(local, source + done * std::int64_t(sizeof(Block)), std::size_t(count) * sizeof(Block));
        dequantize(std::span<const Block>(local, std::size_t(count)), out + done * elementsOf<Block>);
    }
}

template <ElementType Element>
void plainToFloat(const unsigned char* source, std::int64_t count, float* out)
{
    elementDecoder(Element, false)(source, count, out);
}

}  // namespace

void dequantize(std::span<const BlockQ4_0> blocks, float* y)
{
    for (const BlockQ4_0& block : blocks) {
        const float d = fp16(block.d);
        for (int j = 0; j < kBlock32 / 2; ++j) {
            y[j] = float((block.qs[j] & 0x0f) - 8) * d;
            y[j + kBlock32 / 2] = float((block.qs[j] >> 4) - 8) * d;
        }
        y += kBlock32;
    }
}

void dequantize(std::span<const BlockQ4_1> blocks, float* y)
{
    for (const BlockQ4_1& block : blocks) {
        const float d = fp16(block.d), m = fp16(block.m);
        for (int j = 0; j < kBlock32 / 2; ++j) {
            y[j] = float(block.qs[j] & 0x0f) * d + m;
            y[j + kBlock32 / 2] = float(block.qs[j] >> 4) * d + m;
        }
        y += kBlock32;
    }
}

void dequantize(std::span<const BlockQ5_0> blocks, float* y)
{
    for (const BlockQ5_0& block : blocks) {
        const float d = fp16(block.d);
        std::uint32_t qh;
        std::memcpy(&qh, block.qh, sizeof(qh));
        for (int j = 0; j < kBlock32 / 2; ++j) {
            const int high0 = int(((qh >> j) << 4) & 0x10);
            const int high1 = int((qh >> (j + 12)) & 0x10);
            y[j] = float(((block.qs[j] & 0x0f) | high0) - 16) * d;
            y[j + kBlock32 / 2] = float(((block.qs[j] >> 4) | high1) - 16) * d;
        }
        y += kBlock32;
    }
}

void dequantize(std::span<const BlockQ5_1> blocks, float* y)
{
    for (const BlockQ5_1& block : blocks) {
        const float d = fp16(block.d), m = fp16(block.m);
        std::uint32_t qh;
        std::memcpy(&qh, block.qh, sizeof(qh));
        for (int j = 0; j < kBlock32 / 2; ++j) {
            const int high0 = int(((qh >> j) << 4) & 0x10);
            const int high1 = int((qh >> (j + 12)) & 0x10);
            y[j] = float((block.qs[j] & 0x0f) | high0) * d + m;
            y[j + kBlock32 / 2] = float((block.qs[j] >> 4) | high1) * d + m;
        }
        y += kBlock32;
    }
}

void dequantize(std::span<const BlockQ8_0> blocks, float* y)
{
    for (const BlockQ8_0& block : blocks) {
        const float d = fp16(block.d);
        for (int j = 0; j < kBlock32; ++j)
            y[j] = float(block.qs[j]) * d;
        y += kBlock32;
    }
}

void dequantize(std::span<const BlockQ2_K> blocks, float* y)
{
    for (const BlockQ2_K& block : blocks) {
        const float d = fp16(block.d), min = fp16(block.dmin);
        const std::uint8_t* q = block.qs;
        int group = 0;
        for (int n = 0; n < kSuperBlock; n += 128) {
            for (int shift = 0; shift < 8; shift += 2) {
                for (int half16 = 0; half16 < 2; ++half16) {
                    const std::uint8_t scale = block.scales[group++];
                    const float dl = d * float(scale & 0x0f), ml = min * float(scale >> 4);
                    for (int l = 0; l < 16; ++l)
                        *y++ = dl * float((q[l + 16 * half16] >> shift) & 3) - ml;
                }
            }
            q += 32;
        }
    }
}

void dequantize(std::span<const BlockQ3_K> blocks, float* y)
{
    for (const BlockQ3_K& block : blocks) {
        const float dAll = fp16(block.d);
        // Unpack the sixteen 6-bit scales: low 4 bits from bytes 0-7, high 2 bits from 8-11.
        std::int8_t scales[16];
        for (int j = 0; j < 16; ++j) {
            const int low = j < 8 ? block.scales[j] & 0x0f : block.scales[j - 8] >> 4;
            const int high = (block.scales[8 + j % 4] >> (2 * (j / 4))) & 3;
            scales[j] = std::int8_t(low | (high << 4));
        }
        const std::uint8_t* q = block.qs;
        const std::uint8_t* hm = block.hmask;
        std::uint8_t m = 1;
        int group = 0;
        for (int n = 0; n < kSuperBlock; n += 128) {
            for (int shift = 0; shift < 8; shift += 2) {
                for (int half16 = 0; half16 < 2; ++half16) {
                    const float dl = dAll * float(scales[group++] - 32);
                    for (int l = 16 * half16; l < 16 * half16 + 16; ++l)
                        *y++ = dl * float(((q[l] >> shift) & 3) - ((hm[l] & m) ? 0 : 4));
                }
                m = std::uint8_t(m << 1);
            }
            q += 32;
        }
    }
}

void scaleMinK4(int j, const std::uint8_t* q, std::uint8_t& scale, std::uint8_t& min)
{
    if (j < 4) {
        scale = q[j] & 63;
        min = q[j + 4] & 63;
    } else {
        scale = std::uint8_t((q[j + 4] & 0x0f) | ((q[j - 4] >> 6) << 4));
        min = std::uint8_t((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }
}

void dequantize(std::span<const BlockQ4_K> blocks, float* y)
{
    for (const BlockQ4_K& block : blocks) {
        const float d = fp16(block.d), min = fp16(block.dmin);
        const std::uint8_t* q = block.qs;
        for (int group = 0; group < 8; group += 2) {
            std::uint8_t scale, m;
            scaleMinK4(group, block.scales, scale, m);
            const float d1 = d * float(scale), m1 = min * float(m);
            scaleMinK4(group + 1, block.scales, scale, m);
            const float d2 = d * float(scale), m2 = min * float(m);
            for (int l = 0; l < 32; ++l)
                *y++ = d1 * float(q[l] & 0x0f) - m1;
            for (int l = 0; l < 32; ++l)
                *y++ = d2 * float(q[l] >> 4) - m2;
            q += 32;
        }
    }
}

void dequantize(std::span<const BlockQ5_K> blocks, float* y)
{
    for (const BlockQ5_K& block : blocks) {
        const float d = fp16(block.d), min = fp16(block.dmin);
        const std::uint8_t* ql = block.qs;
        const std::uint8_t* qh = block.qh;
        std::uint8_t u1 = 1, u2 = 2;
        for (int group = 0; group < 8; group += 2) {
            std::uint8_t scale, m;
            scaleMinK4(group, block.scales, scale, m);
            const float d1 = d * float(scale), m1 = min * float(m);
            scaleMinK4(group + 1, block.scales, scale, m);
            const float d2 = d * float(scale), m2 = min * float(m);
            for (int l = 0; l < 32; ++l)
                *y++ = d1 * float((ql[l] & 0x0f) + ((qh[l] & u1) ? 16 : 0)) - m1;
            for (int l = 0; l < 32; ++l)
                *y++ = d2 * float((ql[l] >> 4) + ((qh[l] & u2) ? 16 : 0)) - m2;
            ql += 32;
            u1 = std::uint8_t(u1 << 2);
            u2 = std::uint8_t(u2 << 2);
        }
    }
}

void dequantize(std::span<const BlockQ6_K> blocks, float* y)
{
    for (const BlockQ6_K& block : blocks) {
        const float d = fp16(block.d);
        const std::uint8_t* ql = block.ql;
        const std::uint8_t* qh = block.qh;
        const std::int8_t* sc = block.scales;
        for (int n = 0; n < kSuperBlock; n += 128) {
            for (int l = 0; l < 32; ++l) {
                const int group = l / 16;
                const int q1 = ((ql[l] & 0x0f) | (((qh[l] >> 0) & 3) << 4)) - 32;
                const int q2 = ((ql[l + 32] & 0x0f) | (((qh[l] >> 2) & 3) << 4)) - 32;
                const int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                const int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
                y[l] = d * float(sc[group]) * float(q1);
                y[l + 32] = d * float(sc[group + 2]) * float(q2);
                y[l + 64] = d * float(sc[group + 4]) * float(q3);
                y[l + 96] = d * float(sc[group + 6]) * float(q4);
            }
            y += 128;
            ql += 64;
            qh += 32;
            sc += 8;
        }
    }
}

std::span<const TypeTraits> typeTable()
{
    // Block sizes and bytes as ggml's type_traits (and gguf-py's GGML_QUANT_SIZES).
    static const TypeTraits table[] = {
        {Type::F32, "F32", 1, 4, &plainToFloat<ElementType::F32>},
        {Type::F16, "F16", 1, 2, &plainToFloat<ElementType::F16>},
        {Type::BF16, "BF16", 1, 2, &plainToFloat<ElementType::BF16>},
        {Type::F64, "F64", 1, 8, &plainToFloat<ElementType::F64>},
        {Type::I8, "I8", 1, 1, &plainToFloat<ElementType::I8>},
        {Type::I16, "I16", 1, 2, &plainToFloat<ElementType::I16>},
        {Type::I32, "I32", 1, 4, &plainToFloat<ElementType::I32>},
        {Type::I64, "I64", 1, 8, &plainToFloat<ElementType::I64>},
        {Type::Q4_0, "Q4_0", 32, 18, &blocksToFloat<BlockQ4_0>},
        {Type::Q4_1, "Q4_1", 32, 20, &blocksToFloat<BlockQ4_1>},
        {Type::Q5_0, "Q5_0", 32, 22, &blocksToFloat<BlockQ5_0>},
        {Type::Q5_1, "Q5_1", 32, 24, &blocksToFloat<BlockQ5_1>},
        {Type::Q8_0, "Q8_0", 32, 34, &blocksToFloat<BlockQ8_0>},
        {Type::Q2_K, "Q2_K", 256, 84, &blocksToFloat<BlockQ2_K>},
        {Type::Q3_K, "Q3_K", 256, 110, &blocksToFloat<BlockQ3_K>},
        {Type::Q4_K, "Q4_K", 256, 144, &blocksToFloat<BlockQ4_K>},
        {Type::Q5_K, "Q5_K", 256, 176, &blocksToFloat<BlockQ5_K>},
        {Type::Q6_K, "Q6_K", 256, 210, &blocksToFloat<BlockQ6_K>},
        // Listed with their size, not decoded.
        {Type::Q8_1, "Q8_1", 32, 40, nullptr},
        {Type::Q8_K, "Q8_K", 256, 292, nullptr},
        {Type::IQ2_XXS, "IQ2_XXS", 256, 66, nullptr},
        {Type::IQ2_XS, "IQ2_XS", 256, 74, nullptr},
        {Type::IQ3_XXS, "IQ3_XXS", 256, 98, nullptr},
        {Type::IQ1_S, "IQ1_S", 256, 50, nullptr},
        {Type::IQ4_NL, "IQ4_NL", 32, 18, nullptr},
        {Type::IQ3_S, "IQ3_S", 256, 110, nullptr},
        {Type::IQ2_S, "IQ2_S", 256, 82, nullptr},
        {Type::IQ4_XS, "IQ4_XS", 256, 136, nullptr},
        {Type::IQ1_M, "IQ1_M", 256, 56, nullptr},
        {Type::TQ1_0, "TQ1_0", 256, 54, nullptr},
        {Type::TQ2_0, "TQ2_0", 256, 66, nullptr},
        {Type::MXFP4, "MXFP4", 32, 17, nullptr},
    };
    return table;
}

const TypeTraits* typeTraits(std::uint32_t type)
{
    for (const TypeTraits& row : typeTable())
        if (std::uint32_t(row.type) == type)
            return &row;
    return nullptr;
}

}  // namespace cstudio::ggml
