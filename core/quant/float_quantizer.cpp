#include "core/quant/float_quantizer.h"

#include "core/dtypes/minifloat_rounding.h"

#include <algorithm>
#include <cstring>

namespace cstudio {

namespace {
const MinifloatFormat& formatOf(const Scheme& scheme)
{
    switch (scheme.kind) {
    case SchemeKind::Fp8E4M3: return kFp8E4M3;
    case SchemeKind::Fp8E5M2: return kFp8E5M2;
    case SchemeKind::Bf16: return kBf16;
    default: return kFp16;
    }
}
bool hasTensorScale(const Scheme& scheme)
{
    return scheme.kind == SchemeKind::Fp8E4M3 || scheme.kind == SchemeKind::Fp8E5M2;
}
}  // namespace

float fp8TensorScale(const Scheme& scheme, const TensorRange& range)
{
    return range.absMax / formatOf(scheme).maxFinite;
}

void floatRoundTrip(const Scheme& scheme, std::span<const float> in, std::span<float> out,
                    const TensorRange& range, qint64 /*rowLength*/)
{
    const MinifloatFormat& format = formatOf(scheme);
    const std::size_t n = std::min(in.size(), out.size());
    if (!hasTensorScale(scheme)) {
        roundToMinifloat(in.first(n), out.first(n), format);
        return;
    }
    const float scale = fp8TensorScale(scheme, range);
    if (range.nonFiniteCount > 0 || !(scale > 0.0f)) {  // NaN/Inf tensor: no scale; zero tensor: exact
        for (std::size_t i = 0; i < n; ++i)
            out[i] = scale == 0.0f ? 0.0f : in[i];
        return;
    }
    for (std::size_t i = 0; i < n; ++i)
        out[i] = roundToMinifloat(in[i] / scale, format) * scale;
}

QByteArray floatEncode(const Scheme& scheme, std::span<const float> in, const TensorRange& range)
{
    QByteArray bytes;
    if (hasTensorScale(scheme)) {
        const float scale = fp8TensorScale(scheme, range);
        bytes.resize(static_cast<qsizetype>(in.size()));
        for (std::size_t i = 0; i < in.size(); ++i) {
            const float v = scale > 0.0f ? in[i] / scale : 0.0f;
            bytes[static_cast<qsizetype>(i)] = static_cast<char>(scheme.kind == SchemeKind::Fp8E4M3 ? encodeFp8E4M3(v) : encodeFp8E5M2(v));
        }
        return bytes;
    }
    bytes.resize(static_cast<qsizetype>(in.size() * 2));
    for (std::size_t i = 0; i < in.size(); ++i) {
        const std::uint16_t code = scheme.kind == SchemeKind::Bf16 ? encodeBf16(in[i]) : encodeFp16(in[i]);
        bytes[static_cast<qsizetype>(2 * i)] = static_cast<char>(code & 0xff);
        bytes[static_cast<qsizetype>(2 * i + 1)] = static_cast<char>(code >> 8);
    }
    return bytes;
}

}  // namespace cstudio
