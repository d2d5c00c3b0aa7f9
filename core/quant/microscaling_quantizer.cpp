#include "core/quant/microscaling_quantizer.h"

#include "core/dtypes/minifloat_rounding.h"
#include "core/quant/simd_dispatch.h"

#include <algorithm>
#include <cmath>

namespace cstudio {

namespace {
constexpr int kE2M1MaxExponent = 2;  // largest power of two in E2M1 is 4 = 2^2

struct BlockExtent {
    float absMax = 0;
    bool finite = true;
};

BlockExtent blockExtent(const float* x, qint64 n)
{
    std::uint32_t key = 0;
    for (qint64 i = 0; i < n; ++i)
        key = std::max(key, simd::magnitudeKey(x[i]));
    return {std::bit_cast<float>(key), key < simd::kInfinityKey};
}

// MX shared exponent of a block, clamped to E8M0's range.
int mxScaleExponent(float absMax)
{
    return std::clamp(floorLog2(absMax) - kE2M1MaxExponent, -127, 127);
}

void mxfp4Block(const float* x, float* y, qint64 n)
{
    const BlockExtent extent = blockExtent(x, n);
    if (!extent.finite) {
        std::copy(x, x + n, y);
        return;
    }
    if (extent.absMax == 0.0f) {
        std::fill(y, y + n, 0.0f);
        return;
    }
    const int exponent = mxScaleExponent(extent.absMax);
    // Dividing by a power of two is exact while the quotient is a normal float; ldexp keeps it
    // exact for the extreme exponents too.
    for (qint64 i = 0; i < n; ++i)
        y[i] = std::ldexp(roundToMinifloat(std::ldexp(x[i], -exponent), kFp4E2M1), exponent);
}

void nvfp4Block(const float* x, float* y, qint64 n, float tensorScale)
{
    const BlockExtent extent = blockExtent(x, n);
    if (!extent.finite) {
        std::copy(x, x + n, y);
        return;
    }
    const float blockScale = roundToMinifloat(extent.absMax / 6.0f * tensorScale, kFp8E4M3);
    if (extent.absMax == 0.0f || blockScale == 0.0f) {
        std::fill(y, y + n, 0.0f);
        return;
    }
    const float encodeScale = 1.0f / (blockScale * (1.0f / tensorScale));
    for (qint64 i = 0; i < n; ++i)
        y[i] = roundToMinifloat(x[i] * encodeScale, kFp4E2M1) * blockScale / tensorScale;
}
}  // namespace

float nvfp4TensorScale(const TensorRange& range)
{
    if (!(range.absMax > 0.0f) || range.nonFiniteCount > 0)
        return 0.0f;
    return 448.0f * 6.0f / range.absMax;
}

void microscalingRoundTrip(const Scheme& scheme, std::span<const float> in, std::span<float> out,
                           const TensorRange& range, qint64 /*rowLength*/)
{
    const auto n = static_cast<qint64>(std::min(in.size(), out.size()));
    if (scheme.kind == SchemeKind::MxFp4) {
        for (qint64 start = 0; start < n; start += kMxBlockSize)
            mxfp4Block(in.data() + start, out.data() + start, std::min<qint64>(kMxBlockSize, n - start));
        return;
    }
    const float tensorScale = nvfp4TensorScale(range);
    if (!std::isfinite(tensorScale) || tensorScale == 0.0f) {  // zero or NaN/Inf tensor
        for (qint64 i = 0; i < n; ++i)
            out[static_cast<std::size_t>(i)] = range.absMax == 0.0f ? 0.0f : in[static_cast<std::size_t>(i)];
        return;
    }
    for (qint64 start = 0; start < n; start += kNvFp4BlockSize)
        nvfp4Block(in.data() + start, out.data() + start, std::min<qint64>(kNvFp4BlockSize, n - start), tensorScale);
}

QByteArray mxfp4Encode(std::span<const float> in)
{
    const auto n = static_cast<qint64>(in.size());
    const qint64 blocks = (n + kMxBlockSize - 1) / kMxBlockSize;
    QByteArray bytes(static_cast<qsizetype>(blocks * (1 + kMxBlockSize / 2)), '\0');
    auto* out = reinterpret_cast<std::uint8_t*>(bytes.data());
    for (qint64 b = 0; b < blocks; ++b) {
        const float* x = in.data() + b * kMxBlockSize;
        const qint64 len = std::min<qint64>(kMxBlockSize, n - b * kMxBlockSize);
        const BlockExtent extent = blockExtent(x, len);
        std::uint8_t* block = out + b * (1 + kMxBlockSize / 2);
        if (!extent.finite) {
            block[0] = 0xff;  // E8M0 NaN: the whole block is NaN
            continue;
        }
        const int exponent = extent.absMax == 0.0f ? -127 : mxScaleExponent(extent.absMax);
        block[0] = encodeE8M0(exponent);
        for (qint64 i = 0; i < len; ++i) {
            const std::uint8_t code = encodeFp4E2M1(std::ldexp(x[i], -exponent));
            block[1 + i / 2] |= static_cast<std::uint8_t>(i % 2 == 0 ? code : code << 4);
        }
    }
    return bytes;
}

}  // namespace cstudio
