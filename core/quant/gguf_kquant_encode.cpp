// Our encoders for GGUF k-quant super-blocks (256 elements). The byte layouts and the decode
// arithmetic are ggml's (dequantize_row_q*_K, mirrored by gguf-py's quants.py); the choice of
// scales is ours:
//   1. each sub-block gets a continuous scale (and min) by least squares: start from round to
//      nearest on the range, then alternate "fit scale/min to the codes" and "re-round the
//      codes" (the idea of ggml's make_qkx2_quants), keeping the best;
//   2. the sub-block scales are coded against the fp16 super-block scale(s);
//   3. with the coded scales, each sub-block tries its scale/min code and the neighbours and
//      keeps the combination with the smallest squared error of the values as decoded.
// Decoded values are computed with exactly the float32 operations the decoder performs.
#include "core/dtypes/minifloat_rounding.h"
#include "core/quant/gguf_quantize.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

namespace cstudio {

namespace {

constexpr int kSuper = 256;

float fp16Value(float v) { return roundToMinifloat(v, kFp16); }

void putFp16(std::uint8_t* at, float value)
{
    const std::uint16_t bits = encodeFp16(value);
    at[0] = static_cast<std::uint8_t>(bits & 0xff);
    at[1] = static_cast<std::uint8_t>(bits >> 8);
}

int roundCode(float v, int low, int high)
{
    if (!std::isfinite(v))
        return 0;
    return static_cast<int>(std::clamp(std::nearbyint(v), static_cast<float>(low), static_cast<float>(high)));
}

// Layout of one k-quant type: sub-block size, element code range, scale code range.
struct KQuantLayout {
    int subBlock;
    int codeLow, codeHigh;     // element codes
    bool asymmetric;           // value = d*sc*q - dmin*m (else d*sc*q)
    int scaleLow, scaleHigh;   // sub-block scale codes (and min codes for asymmetric)
};

KQuantLayout layoutOf(SchemeKind kind)
{
    switch (kind) {
    case SchemeKind::GgufQ2_K: return {16, 0, 3, true, 0, 15};
    case SchemeKind::GgufQ3_K: return {16, -4, 3, false, -32, 31};
    case SchemeKind::GgufQ4_K: return {32, 0, 15, true, 0, 63};
    case SchemeKind::GgufQ5_K: return {32, 0, 31, true, 0, 63};
    default: return {16, -32, 31, false, -128, 127};  // Q6_K
    }
}

// Continuous fit of one sub-block: value ~= scale * q - offset with q in [low, high].
struct SubFit {
    float scale = 0;
    float offset = 0;  // asymmetric only, >= 0
};

float fitError(const float* x, int n, float scale, float offset, const KQuantLayout& L)
{
    float err = 0;
    for (int i = 0; i < n; ++i) {
        const int q = scale == 0.0f ? 0 : roundCode((x[i] + offset) / scale, L.codeLow, L.codeHigh);
        const float d = scale * static_cast<float>(q) - offset - x[i];
        err += d * d;
    }
    return err;
}

SubFit fitSubBlock(const float* x, int n, const KQuantLayout& L)
{
    SubFit best;
    float minValue = x[0], maxValue = x[0], amax = 0, signedMax = 0;
    for (int i = 0; i < n; ++i) {
        minValue = std::min(minValue, x[i]);
        maxValue = std::max(maxValue, x[i]);
        if (std::fabs(x[i]) > amax) {
            amax = std::fabs(x[i]);
            signedMax = x[i];
        }
    }
    if (amax == 0.0f)
        return best;
    float bestError = INFINITY;
    auto consider = [&](float scale, float offset) {
        if (!(scale != 0.0f) || !std::isfinite(scale))
            return;
        const float e = fitError(x, n, scale, offset, L);
        if (e < bestError) {
            bestError = e;
            best = {scale, offset};
        }
    };
    if (!L.asymmetric) {
        // the extreme may take the extra negative level (ggml: scale = -max / 2^(b-1))
        for (int step = 0; step <= 12; ++step) {
            const float f = 1.0f - 0.025f * static_cast<float>(step);
            consider(signedMax / static_cast<float>(L.codeLow) * f, 0.0f);
            consider(amax / static_cast<float>(L.codeHigh) * f, 0.0f);
        }
    } else {
        const float low = std::min(minValue, 0.0f);
        for (int step = 0; step <= 12; ++step) {
            const float f = 1.0f - 0.025f * static_cast<float>(step);
            consider((maxValue - low) / static_cast<float>(L.codeHigh) * f, -low);
        }
    }
    // alternate least squares: fit (scale, offset) to the codes, then re-round the codes
    for (int iteration = 0; iteration < 4; ++iteration) {
        double sq = 0, sqq = 0, sx = 0, sxq = 0;
        for (int i = 0; i < n; ++i) {
            const double q = roundCode((x[i] + best.offset) / best.scale, L.codeLow, L.codeHigh);
            sq += q;
            sqq += q * q;
            sx += x[i];
            sxq += x[i] * q;
        }
        float scale = 0, offset = 0;
        if (L.asymmetric) {
            const double det = n * sqq - sq * sq;
            if (det <= 0)
                break;
            scale = static_cast<float>((n * sxq - sq * sx) / det);
            offset = static_cast<float>((sq * sxq - sqq * sx) / det);  // x ~= scale*q - offset
            if (offset < 0) {
                offset = 0;
                scale = sqq > 0 ? static_cast<float>(sxq / sqq) : 0.0f;
            }
        } else {
            if (sqq <= 0)
                break;
            scale = static_cast<float>(sxq / sqq);
        }
        consider(scale, offset);
    }
    return best;
}

struct SubCodes {
    int scale = 0;
    int offset = 0;
    std::array<int, 32> q{};
};

// Decoded value as ggml computes it: (d * sc) * q [- (dmin * m)], all float32.
inline float decodeValue(float d, float dmin, const SubCodes& c, int q, const KQuantLayout& L)
{
    const float dl = d * static_cast<float>(c.scale);
    if (!L.asymmetric)
        return dl * static_cast<float>(q);
    const float ml = dmin * static_cast<float>(c.offset);
    return dl * static_cast<float>(q) - ml;
}

// Codes of one sub-block for given scale codes; returns the squared error as decoded.
float codeSubBlock(const float* x, int n, float d, float dmin, SubCodes& c, const KQuantLayout& L)
{
    const float dl = d * static_cast<float>(c.scale);
    const float ml = L.asymmetric ? dmin * static_cast<float>(c.offset) : 0.0f;
    float err = 0;
    for (int i = 0; i < n; ++i) {
        const int q = dl == 0.0f ? (L.asymmetric ? 0 : 0) : roundCode((x[i] + ml) / dl, L.codeLow, L.codeHigh);
        c.q[static_cast<std::size_t>(i)] = q;
        const float e = decodeValue(d, dmin, c, q, L) - x[i];
        err += e * e;
    }
    return err;
}

}  // namespace

void kquantEncodeBlock(SchemeKind kind, const float* x, std::uint8_t* bytes, float* decoded)
{
    const KQuantLayout L = layoutOf(kind);
    const int subCount = kSuper / L.subBlock;
    std::array<SubFit, 16> fits{};
    float maxScale = 0, maxOffset = 0;
    for (int j = 0; j < subCount; ++j) {
        fits[static_cast<std::size_t>(j)] = fitSubBlock(x + j * L.subBlock, L.subBlock, L);
        maxScale = std::max(maxScale, std::fabs(fits[static_cast<std::size_t>(j)].scale));
        maxOffset = std::max(maxOffset, fits[static_cast<std::size_t>(j)].offset);
    }
    const float scaleTop = static_cast<float>(L.asymmetric ? L.scaleHigh : std::min(-L.scaleLow - 1, L.scaleHigh));
    const float d = fp16Value(maxScale / scaleTop);
    const float dmin = L.asymmetric ? fp16Value(maxOffset / static_cast<float>(L.scaleHigh)) : 0.0f;
    std::array<SubCodes, 16> codes{};
    for (int j = 0; j < subCount; ++j) {
        const float* xs = x + j * L.subBlock;
        const SubFit& fit = fits[static_cast<std::size_t>(j)];
        const int sc0 = d == 0.0f ? 0 : roundCode(fit.scale / d, L.scaleLow, L.scaleHigh);
        const int m0 = dmin == 0.0f ? 0 : roundCode(fit.offset / dmin, L.scaleLow, L.scaleHigh);
        SubCodes best;
        float bestError = INFINITY;
        for (int ds = -1; ds <= 1; ++ds)
            for (int dm = L.asymmetric ? -1 : 0; dm <= (L.asymmetric ? 1 : 0); ++dm) {
                SubCodes trial;
                trial.scale = std::clamp(sc0 + ds, L.scaleLow, L.scaleHigh);
                trial.offset = std::clamp(m0 + dm, L.scaleLow, L.scaleHigh);
                const float e = codeSubBlock(xs, L.subBlock, d, dmin, trial, L);
                if (e < bestError) {
                    bestError = e;
                    best = trial;
                }
            }
        codes[static_cast<std::size_t>(j)] = best;
        for (int i = 0; i < L.subBlock; ++i)
            decoded[j * L.subBlock + i] = decodeValue(d, dmin, best, best.q[static_cast<std::size_t>(i)], L);
    }
    if (!bytes)
        return;
    // element code e of the super-block, as stored (unsigned)
    auto code = [&](int e) {
        const SubCodes& c = codes[static_cast<std::size_t>(e / L.subBlock)];
        return c.q[static_cast<std::size_t>(e % L.subBlock)] - (L.asymmetric ? 0 : L.codeLow);
    };
    std::memset(bytes, 0, static_cast<std::size_t>(ggufBlockBytes(kind)));
    switch (kind) {
    case SchemeKind::GgufQ2_K: {  // scales[16] qs[64] d dmin
        for (int j = 0; j < 16; ++j)
            bytes[j] = static_cast<std::uint8_t>(codes[static_cast<std::size_t>(j)].scale | (codes[static_cast<std::size_t>(j)].offset << 4));
        for (int e = 0; e < kSuper; ++e) {
            const int h = e / 128, r = e % 128;
            bytes[16 + h * 32 + r % 32] |= static_cast<std::uint8_t>(code(e) << (2 * (r / 32)));
        }
        putFp16(bytes + 80, d);
        putFp16(bytes + 82, dmin);
        break;
    }
    case SchemeKind::GgufQ3_K: {  // hmask[32] qs[64] scales[12] d
        for (int e = 0; e < kSuper; ++e) {
            const int u = code(e);  // 0..7 = q + 4; stored low 2 bits, and the high bit set when q >= 0
            const int h = e / 128, r = e % 128;
            bytes[32 + h * 32 + r % 32] |= static_cast<std::uint8_t>((u & 3) << (2 * (r / 32)));
            if (u & 4)
                bytes[e % 32] |= static_cast<std::uint8_t>(1 << (e / 32));
        }
        for (int j = 0; j < 16; ++j) {
            const int s = codes[static_cast<std::size_t>(j)].scale + 32;  // 0..63
            bytes[96 + j % 8] |= static_cast<std::uint8_t>((s & 0x0f) << (4 * (j / 8)));
            bytes[104 + j % 4] |= static_cast<std::uint8_t>((s >> 4) << (2 * (j / 4)));
        }
        putFp16(bytes + 108, d);
        break;
    }
    case SchemeKind::GgufQ4_K:
    case SchemeKind::GgufQ5_K: {  // d dmin scales[12] [qh[32]] qs[128]
        putFp16(bytes, d);
        putFp16(bytes + 2, dmin);
        std::uint8_t* scales = bytes + 4;
        for (int j = 0; j < 8; ++j) {
            const int sc = codes[static_cast<std::size_t>(j)].scale, m = codes[static_cast<std::size_t>(j)].offset;
            if (j < 4) {
                scales[j] |= static_cast<std::uint8_t>(sc & 0x3f);
                scales[j + 4] |= static_cast<std::uint8_t>(m & 0x3f);
            } else {
                scales[j + 4] |= static_cast<std::uint8_t>((sc & 0x0f) | ((m & 0x0f) << 4));
                scales[j - 4] |= static_cast<std::uint8_t>((sc >> 4) << 6);
                scales[j] |= static_cast<std::uint8_t>((m >> 4) << 6);
            }
        }
        const bool five = kind == SchemeKind::GgufQ5_K;
        std::uint8_t* qh = bytes + 16;
        std::uint8_t* qs = bytes + (five ? 48 : 16);
        for (int e = 0; e < kSuper; ++e) {
            const int u = code(e), j = e / 32, l = e % 32;
            qs[(j / 2) * 32 + l] |= static_cast<std::uint8_t>((u & 0x0f) << (4 * (j % 2)));
            if (five && (u & 0x10))
                qh[l] |= static_cast<std::uint8_t>(1 << j);
        }
        break;
    }
    default: {  // Q6_K: ql[128] qh[64] scales[16] d
        for (int e = 0; e < kSuper; ++e) {
            const int u = code(e);  // 0..63
            const int h = e / 128, r = e % 128;
            bytes[h * 64 + r % 64] |= static_cast<std::uint8_t>((u & 0x0f) << (4 * (r / 64)));
            bytes[128 + h * 32 + r % 32] |= static_cast<std::uint8_t>((u >> 4) << (2 * (r / 32)));
        }
        for (int j = 0; j < 16; ++j)
            bytes[192 + j] = static_cast<std::uint8_t>(static_cast<std::int8_t>(codes[static_cast<std::size_t>(j)].scale));
        putFp16(bytes + 208, d);
        break;
    }
    }
}

}  // namespace cstudio
