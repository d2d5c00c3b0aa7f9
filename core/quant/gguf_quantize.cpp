#include "core/quant/gguf_quantize.h"

#include "core/dtypes/minifloat_rounding.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace cstudio {

namespace {

constexpr int kLegacyBlock = 32;
constexpr int kSuperBlock = 256;

bool isKQuant(SchemeKind kind)
{
    return kind == SchemeKind::GgufQ2_K || kind == SchemeKind::GgufQ3_K || kind == SchemeKind::GgufQ4_K ||
           kind == SchemeKind::GgufQ5_K || kind == SchemeKind::GgufQ6_K;
}

void putFp16(std::uint8_t* at, float value)
{
    const std::uint16_t bits = encodeFp16(value);
    at[0] = static_cast<std::uint8_t>(bits & 0xff);
    at[1] = static_cast<std::uint8_t>(bits >> 8);
}

float fp16Value(float value) { return roundToMinifloat(value, kFp16); }

// 1 / d, or 0 when d == 0 (gguf-py: np.where(d == 0, 0, 1 / d)).
float inverseOrZero(float d) { return d == 0.0f ? 0.0f : 1.0f / d; }

// The element of largest magnitude, first one on ties (ggml: `if (amax < fabsf(v))`).
float signedAbsMax(const float* x)
{
    float amax = 0.0f, max = 0.0f;
    for (int j = 0; j < kLegacyBlock; ++j)
        if (amax < std::fabs(x[j])) {
            amax = std::fabs(x[j]);
            max = x[j];
        }
    return max;
}

// One legacy block: codes (unsigned, as stored), then bytes and decoded values.
void legacyBlock(SchemeKind kind, const float* x, std::uint8_t* bytes, float* decoded)
{
    int q[kLegacyBlock];
    float d = 0.0f, m = 0.0f;
    switch (kind) {
    case SchemeKind::GgufQ8_0: {
        float amax = 0.0f;
        for (int j = 0; j < kLegacyBlock; ++j)
            amax = std::max(amax, std::fabs(x[j]));
        d = amax / 127.0f;
        const float id = inverseOrZero(d);
        for (int j = 0; j < kLegacyBlock; ++j)
            q[j] = static_cast<int>(std::round(x[j] * id));  // half away from zero, like roundf
        break;
    }
    case SchemeKind::GgufQ4_0:
    case SchemeKind::GgufQ5_0: {
        const float levels = kind == SchemeKind::GgufQ4_0 ? 8.0f : 16.0f;
        d = signedAbsMax(x) / -levels;
        const float id = inverseOrZero(d);
        const int top = kind == SchemeKind::GgufQ4_0 ? 15 : 31;
        for (int j = 0; j < kLegacyBlock; ++j)
            q[j] = std::min(top, static_cast<int>(std::trunc(x[j] * id + (levels + 0.5f))));
        break;
    }
    case SchemeKind::GgufQ4_1:
    case SchemeKind::GgufQ5_1: {
        float min = x[0], max = x[0];
        for (int j = 1; j < kLegacyBlock; ++j) {
            min = std::min(min, x[j]);
            max = std::max(max, x[j]);
        }
        const int top = kind == SchemeKind::GgufQ4_1 ? 15 : 31;
        d = (max - min) / static_cast<float>(top);
        m = min;
        const float id = inverseOrZero(d);
        for (int j = 0; j < kLegacyBlock; ++j)
            q[j] = std::min(top, static_cast<int>(std::trunc((x[j] - min) * id + 0.5f)));
        break;
    }
    default: break;
    }
    for (int& code : q)
        code = std::max(code, kind == SchemeKind::GgufQ8_0 ? -128 : 0);

    // decode exactly as gguf-py / ggml: fp16 scales, then d * q (+ m)
    const float d16 = fp16Value(d), m16 = fp16Value(m);
    for (int j = 0; j < kLegacyBlock; ++j) {
        switch (kind) {
        case SchemeKind::GgufQ8_0: decoded[j] = static_cast<float>(q[j]) * d16; break;
        case SchemeKind::GgufQ4_0: decoded[j] = d16 * static_cast<float>(q[j] - 8); break;
        case SchemeKind::GgufQ5_0: decoded[j] = d16 * static_cast<float>(q[j] - 16); break;
        default: decoded[j] = d16 * static_cast<float>(q[j]) + m16; break;
        }
    }
    if (!bytes)
        return;
    putFp16(bytes, d);
    std::uint8_t* p = bytes + 2;
    if (kind == SchemeKind::GgufQ4_1 || kind == SchemeKind::GgufQ5_1) {
        putFp16(p, m);
        p += 2;
    }
    if (kind == SchemeKind::GgufQ8_0) {
        for (int j = 0; j < kLegacyBlock; ++j)
            p[j] = static_cast<std::uint8_t>(static_cast<std::int8_t>(q[j]));
        return;
    }
    if (kind == SchemeKind::GgufQ5_0 || kind == SchemeKind::GgufQ5_1) {
        std::uint32_t high = 0;
        for (int j = 0; j < kLegacyBlock; ++j)
            high |= static_cast<std::uint32_t>((q[j] >> 4) & 1) << j;
        for (int k = 0; k < 4; ++k)
            p[k] = static_cast<std::uint8_t>(high >> (8 * k));
        p += 4;
    }
    for (int j = 0; j < kLegacyBlock / 2; ++j)
        p[j] = static_cast<std::uint8_t>((q[j] & 0x0f) | ((q[j + 16] & 0x0f) << 4));
}

void encodeBlock(SchemeKind kind, const float* x, std::uint8_t* bytes, float* decoded)
{
    if (isKQuant(kind)) {
        kquantEncodeBlock(kind, x, bytes, decoded);
        return;
    }
    legacyBlock(kind, x, bytes, decoded);
}

bool blockFinite(const float* x, int n)
{
    for (int j = 0; j < n; ++j)
        if (!std::isfinite(x[j]))
            return false;
    return true;
}

}  // namespace

int ggufBlockElements(SchemeKind kind)
{
    return isKQuant(kind) ? kSuperBlock : kLegacyBlock;
}

int ggufBlockBytes(SchemeKind kind)
{
    switch (kind) {
    case SchemeKind::GgufQ8_0: return 34;
    case SchemeKind::GgufQ4_0: return 18;
    case SchemeKind::GgufQ4_1: return 20;
    case SchemeKind::GgufQ5_0: return 22;
    case SchemeKind::GgufQ5_1: return 24;
    case SchemeKind::GgufQ2_K: return 84;
    case SchemeKind::GgufQ3_K: return 110;
    case SchemeKind::GgufQ4_K: return 144;
    case SchemeKind::GgufQ5_K: return 176;
    case SchemeKind::GgufQ6_K: return 210;
    default: return 0;
    }
}

void ggufRoundTrip(const Scheme& scheme, std::span<const float> in, std::span<float> out,
                   const TensorRange& /*range*/, qint64 /*rowLength*/)
{
    const int block = ggufBlockElements(scheme.kind);
    const std::size_t n = std::min(in.size(), out.size());
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(ggufBlockBytes(scheme.kind)));
    std::size_t start = 0;
    for (; start + static_cast<std::size_t>(block) <= n; start += static_cast<std::size_t>(block)) {
        if (!blockFinite(in.data() + start, block))  // NaN/Inf block: left as is, metrics skip it
            std::copy_n(in.data() + start, block, out.data() + start);
        else
            encodeBlock(scheme.kind, in.data() + start, bytes.data(), out.data() + start);
    }
    // appliesTo() rejects rows that are not whole blocks; a stray tail is passed through.
    std::copy(in.begin() + static_cast<std::ptrdiff_t>(start), in.begin() + static_cast<std::ptrdiff_t>(n),
              out.begin() + static_cast<std::ptrdiff_t>(start));
}

Result<QByteArray> ggufEncode(const Scheme& scheme, std::span<const float> in, qint64 rowLength)
{
    const int block = ggufBlockElements(scheme.kind);
    if (rowLength <= 0 || rowLength % block != 0 || static_cast<qint64>(in.size()) % block != 0)
        return Error{{}, -1, QStringLiteral("%1 needs rows of whole %2-element blocks (row length %3, %4 values)")
                                 .arg(scheme.name).arg(block).arg(rowLength).arg(in.size())};
    const qint64 blocks = static_cast<qint64>(in.size()) / block;
    QByteArray bytes(static_cast<qsizetype>(blocks * ggufBlockBytes(scheme.kind)), '\0');
    std::vector<float> decoded(static_cast<std::size_t>(block));
    for (qint64 b = 0; b < blocks; ++b)
        if (!blockFinite(in.data() + b * block, block))
            return Error{{}, -1, QStringLiteral("%1: block %2 (elements %3..%4) holds NaN or Inf, which GGUF blocks cannot encode")
                                     .arg(scheme.name).arg(b).arg(b * block).arg(b * block + block - 1)};
    for (qint64 b = 0; b < blocks; ++b)
        encodeBlock(scheme.kind, in.data() + b * block,
                    reinterpret_cast<std::uint8_t*>(bytes.data()) + b * ggufBlockBytes(scheme.kind), decoded.data());
    return bytes;
}

}  // namespace cstudio
