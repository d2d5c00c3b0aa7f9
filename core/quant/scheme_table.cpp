// The scheme table: one row per kind (name, family, bits, storage, round trip, encoder), and the
// parser that turns "int4:g64:mse" into a Scheme. Adding a format = adding a row here and its
// two functions in the family's file.
#include "core/quant/float_quantizer.h"
#include "core/quant/gguf_quantize.h"
#include "core/quant/integer_quantizer.h"
#include "core/quant/microscaling_quantizer.h"
#include "core/quant/nf4_quantizer.h"
#include "core/quant/scheme.h"

#include <QRegularExpression>
#include <algorithm>
#include <cmath>
#include <numeric>

namespace cstudio {

namespace {

using RoundTripFunction = void (*)(const Scheme&, std::span<const float>, std::span<float>, const TensorRange&, qint64);

struct FixedSchemeRow {
    const char* name;
    SchemeKind kind;
    SchemeFamily family;
    int elementBits;
    Granularity granularity;
    int groupSize;
    int blockSize;
    int blockBytes;  // bytes per block of blockSize elements (0: elementBits per element)
    int tensorScaleBytes;
    const char* scaleFormat;
    const char* llamaType;
    const char* description;
    // what llama-quantize stores instead when a row is not whole blocks (llama_tensor_get_type's
    // fallback): a scheme of ours, or a llama.cpp type we do not model
    const char* llamaFallback = nullptr;
};

// Schemes with fixed parameters (the integer ones are parsed from "int4:g64" etc.).
constexpr FixedSchemeRow kFixedSchemes[] = {
    {"nf4", SchemeKind::Nf4, SchemeFamily::NormalFloat, 4, Granularity::Group, 64, 64, 36, 0, "fp32",
     "", "QLoRA NormalFloat4, fp32 absmax per 64"},
    {"nf4:dq", SchemeKind::Nf4, SchemeFamily::NormalFloat, 4, Granularity::Group, 64, 16384, 8192 + 256 + 8, 0,
     "int8 per 64 + fp32 scale and mean per 16384", "", "NormalFloat4 with double-quantized absmax (QLoRA)"},
    {"fp8_e4m3", SchemeKind::Fp8E4M3, SchemeFamily::Float, 8, Granularity::Tensor, 0, 1, 0, 4, "fp32 per tensor",
     "", "OCP FP8 E4M3 (max 448), saturating, fp32 scale per tensor"},
    {"fp8_e5m2", SchemeKind::Fp8E5M2, SchemeFamily::Float, 8, Granularity::Tensor, 0, 1, 0, 4, "fp32 per tensor",
     "", "OCP FP8 E5M2 (max 57344), saturating, fp32 scale per tensor"},
    {"mxfp4", SchemeKind::MxFp4, SchemeFamily::Microscaling, 4, Granularity::Group, 32, 32, 17, 0, "e8m0",
     "", "OCP MX v1.0 FP4 (E2M1), E8M0 scale per 32"},
    {"nvfp4", SchemeKind::NvFp4, SchemeFamily::Microscaling, 4, Granularity::Group, 16, 16, 9, 4, "e4m3 + fp32 per tensor",
     "", "NVIDIA NVFP4 (E2M1), E4M3 scale per 16, fp32 scale per tensor"},
    {"bf16", SchemeKind::Bf16, SchemeFamily::Float, 16, Granularity::Element, 0, 1, 0, 0, "none", "BF16",
     "bfloat16, round to nearest even"},
    {"fp16", SchemeKind::Fp16, SchemeFamily::Float, 16, Granularity::Element, 0, 1, 0, 0, "none", "F16",
     "IEEE half, round to nearest even"},
    {"q8_0", SchemeKind::GgufQ8_0, SchemeFamily::Gguf, 8, Granularity::Group, 32, 32, 34, 0, "fp16", "Q8_0",
     "GGUF Q8_0: int8 x 32, fp16 scale"},
    {"q4_0", SchemeKind::GgufQ4_0, SchemeFamily::Gguf, 4, Granularity::Group, 32, 32, 18, 0, "fp16", "Q4_0",
     "GGUF Q4_0: 4-bit x 32, fp16 scale"},
    {"q4_1", SchemeKind::GgufQ4_1, SchemeFamily::Gguf, 4, Granularity::Group, 32, 32, 20, 0, "fp16 + fp16 min",
     "Q4_1", "GGUF Q4_1: 4-bit x 32, fp16 scale and min"},
    {"q5_0", SchemeKind::GgufQ5_0, SchemeFamily::Gguf, 5, Granularity::Group, 32, 32, 22, 0, "fp16", "Q5_0",
     "GGUF Q5_0: 5-bit x 32, fp16 scale"},
    {"q5_1", SchemeKind::GgufQ5_1, SchemeFamily::Gguf, 5, Granularity::Group, 32, 32, 24, 0, "fp16 + fp16 min",
     "Q5_1", "GGUF Q5_1: 5-bit x 32, fp16 scale and min"},
    {"q2_k", SchemeKind::GgufQ2_K, SchemeFamily::Gguf, 2, Granularity::Group, 16, 256, 84, 0,
     "4-bit scale+min per 16, fp16 super", "Q2_K", "GGUF Q2_K: 2-bit, 16 x 16 sub-blocks per 256", "IQ4_NL"},
    {"q3_k", SchemeKind::GgufQ3_K, SchemeFamily::Gguf, 3, Granularity::Group, 16, 256, 110, 0,
     "6-bit scale per 16, fp16 super", "Q3_K", "GGUF Q3_K: 3-bit, 16 x 16 sub-blocks per 256", "IQ4_NL"},
    {"q4_k", SchemeKind::GgufQ4_K, SchemeFamily::Gguf, 4, Granularity::Group, 32, 256, 144, 0,
     "6-bit scale+min per 32, fp16 super", "Q4_K", "GGUF Q4_K: 4-bit, 8 x 32 sub-blocks per 256", "q5_0"},
    {"q5_k", SchemeKind::GgufQ5_K, SchemeFamily::Gguf, 5, Granularity::Group, 32, 256, 176, 0,
     "6-bit scale+min per 32, fp16 super", "Q5_K", "GGUF Q5_K: 5-bit, 8 x 32 sub-blocks per 256", "q5_1"},
    {"q6_k", SchemeKind::GgufQ6_K, SchemeFamily::Gguf, 6, Granularity::Group, 16, 256, 210, 0,
     "int8 scale per 16, fp16 super", "Q6_K", "GGUF Q6_K: 6-bit, 16 x 16 sub-blocks per 256", "q8_0"},
};

const FixedSchemeRow* fixedRow(const Scheme& scheme)
{
    for (const auto& row : kFixedSchemes)
        if (scheme.name == QLatin1String(row.name))
            return &row;
    return nullptr;
}

RoundTripFunction roundTripOf(SchemeFamily family)
{
    switch (family) {
    case SchemeFamily::Integer: return integerRoundTrip;
    case SchemeFamily::NormalFloat: return nf4RoundTrip;
    case SchemeFamily::Float: return floatRoundTrip;
    case SchemeFamily::Microscaling: return microscalingRoundTrip;
    case SchemeFamily::Gguf: return ggufRoundTrip;
    }
    return integerRoundTrip;
}

Error schemeError(QStringView text, const QString& why)
{
    return Error{{}, -1, QStringLiteral("scheme '%1': %2").arg(text.toString(), why)};
}

Result<Scheme> parseIntegerScheme(QStringView text, const QStringList& parts)
{
    static const QRegularExpression kHead(QStringLiteral("^(u?)int(\\d+)$"));
    const auto head = kHead.match(parts[0]);
    Scheme scheme;
    const bool asymmetric = !head.captured(1).isEmpty();
    scheme.kind = asymmetric ? SchemeKind::AsymmetricInt : SchemeKind::SymmetricInt;
    scheme.family = SchemeFamily::Integer;
    scheme.elementBits = head.captured(2).toInt();
    if (scheme.elementBits < 2 || scheme.elementBits > 8)
        return schemeError(text, QStringLiteral("integer schemes take 2 to 8 bits"));
    scheme.granularity = Granularity::Group;
    scheme.groupSize = 64;
    QString granularityName = QStringLiteral("g64");
    for (int i = 1; i < parts.size(); ++i) {
        const QString& part = parts[i];
        if (part == QLatin1String("mse")) {
            scheme.mseClip = true;
        } else if (part == QLatin1String("tensor")) {
            scheme.granularity = Granularity::Tensor;
            scheme.groupSize = 0;
            granularityName = part;
        } else if (part == QLatin1String("ch")) {
            scheme.granularity = Granularity::Channel;
            scheme.groupSize = 0;
            granularityName = part;
        } else if (part.startsWith(QLatin1Char('g'))) {
            bool ok = false;
            const int size = part.mid(1).toInt(&ok);
            if (!ok || size < 1 || size > (1 << 20))
                return schemeError(text, QStringLiteral("group size '%1' must be g1 to g1048576").arg(part));
            scheme.granularity = Granularity::Group;
            scheme.groupSize = size;
            granularityName = part;
        } else {
            return schemeError(text, QStringLiteral("unknown option '%1' (use tensor, ch, gN or mse)").arg(part));
        }
    }
    scheme.blockSize = scheme.groupSize;
    scheme.name = QStringLiteral("%1int%2:%3%4")
                      .arg(asymmetric ? QStringLiteral("u") : QString())
                      .arg(scheme.elementBits)
                      .arg(granularityName, scheme.mseClip ? QStringLiteral(":mse") : QString());
    const QString scaleWidth = scheme.granularity == Granularity::Tensor ? QStringLiteral("fp32") : QStringLiteral("fp16");
    scheme.scaleFormat = asymmetric ? scaleWidth + QStringLiteral(" + %1-bit zero point").arg(scheme.elementBits) : scaleWidth;
    scheme.description = QStringLiteral("%1 %2-bit round to nearest, %3 per %4%5")
                             .arg(asymmetric ? QStringLiteral("asymmetric (min-max, zero point)") : QStringLiteral("symmetric absmax"))
                             .arg(scheme.elementBits)
                             .arg(scheme.scaleFormat,
                                  scheme.granularity == Granularity::Tensor ? QStringLiteral("tensor")
                                  : scheme.granularity == Granularity::Channel ? QStringLiteral("row")
                                                                               : QStringLiteral("%1 weights").arg(scheme.groupSize),
                                  scheme.mseClip ? QStringLiteral(", MSE-searched clip ratio") : QString());
    return scheme;
}

}  // namespace

Result<Scheme> parseScheme(QStringView text)
{
    const QString lower = text.trimmed().toString().toLower();
    if (lower.isEmpty())
        return schemeError(text, QStringLiteral("empty scheme name"));
    for (const auto& row : kFixedSchemes) {
        if (lower != QLatin1String(row.name))
            continue;
        Scheme scheme;
        scheme.name = QString::fromLatin1(row.name);
        scheme.kind = row.kind;
        scheme.family = row.family;
        scheme.elementBits = row.elementBits;
        scheme.granularity = row.granularity;
        scheme.groupSize = row.groupSize;
        scheme.blockSize = row.blockSize;
        scheme.scaleFormat = QString::fromLatin1(row.scaleFormat);
        scheme.doubleQuantized = scheme.name == QLatin1String("nf4:dq");
        scheme.llamaType = QString::fromLatin1(row.llamaType);
        scheme.description = QString::fromLatin1(row.description);
        return scheme;
    }
    const QStringList parts = lower.split(QLatin1Char(':'));
    static const QRegularExpression kHead(QStringLiteral("^u?int\\d+$"));
    if (kHead.match(parts[0]).hasMatch())
        return parseIntegerScheme(text, parts);
    return schemeError(text, QStringLiteral("unknown scheme (known: %1)").arg(standardSchemeNames().join(QStringLiteral(", "))));
}

Result<std::vector<Scheme>> parseSchemeList(QStringView commaSeparated)
{
    std::vector<Scheme> schemes;
    for (const auto& piece : commaSeparated.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        auto scheme = parseScheme(piece);
        if (!scheme)
            return scheme.error();
        if (std::none_of(schemes.begin(), schemes.end(), [&](const Scheme& s) { return s.name == scheme->name; }))
            schemes.push_back(std::move(scheme.value()));
    }
    if (schemes.empty())
        return Error{{}, -1, QStringLiteral("no scheme given (e.g. int8:tensor,int4:g64,nf4)")};
    return schemes;
}

QStringList standardSchemeNames()
{
    QStringList names{QStringLiteral("int8:tensor"), QStringLiteral("int8:ch"), QStringLiteral("int8:g64"),
                      QStringLiteral("int4:tensor"), QStringLiteral("int4:ch"), QStringLiteral("int4:g64"),
                      QStringLiteral("int4:g64:mse"), QStringLiteral("int4:g128"), QStringLiteral("int3:g64"),
                      QStringLiteral("int2:g64"), QStringLiteral("uint8:g64"), QStringLiteral("uint4:g64"),
                      QStringLiteral("uint4:g128"), QStringLiteral("uint2:g64")};
    for (const auto& row : kFixedSchemes)
        names << QString::fromLatin1(row.name);
    return names;
}

qint64 Scheme::groupLength(const TensorInfo& tensor) const
{
    switch (granularity) {
    case Granularity::Tensor: return std::max<qint64>(tensor.elementCount, 1);
    case Granularity::Channel: return std::max<qint64>(tensor.rowLength(), 1);
    case Granularity::Element: return 1;
    case Granularity::Group: break;
    }
    return groupSize;
}

qint64 Scheme::alignment(const TensorInfo& tensor) const
{
    switch (granularity) {
    case Granularity::Tensor:
    case Granularity::Element: return 1;
    case Granularity::Channel: return std::max<qint64>(tensor.rowLength(), 1);
    case Granularity::Group: break;
    }
    return std::max(blockSize, groupSize);
}

bool Scheme::needsTensorRange() const
{
    return granularity == Granularity::Tensor || kind == SchemeKind::NvFp4;
}

bool Scheme::appliesTo(const TensorInfo& tensor, QString* why) const
{
    if (family == SchemeFamily::Gguf && tensor.rowLength() % blockSize != 0) {
        if (why) {
            *why = QStringLiteral("row length %1 is not a multiple of the %2 block of %3").arg(tensor.rowLength()).arg(name).arg(blockSize);
            const FixedSchemeRow* row = fixedRow(*this);
            if (row && row->llamaFallback) {
                const auto fallback = parseScheme(QString::fromLatin1(row->llamaFallback));
                constexpr qint64 kUnmodelledBlock = 32;  // IQ4_NL, the one fallback we do not model
                if (tensor.rowLength() % (fallback ? fallback->blockSize : kUnmodelledBlock) != 0)
                    *why += QStringLiteral("; llama-quantize stores such a tensor as F16");
                else if (!fallback)
                    *why += QStringLiteral("; llama-quantize stores such a tensor as %1 (not modelled here)").arg(QString::fromLatin1(row->llamaFallback));
                else
                    *why += QStringLiteral("; llama-quantize stores such a tensor as %1 (add %1 to compare)").arg(fallback->name);
            }
        }
        return false;
    }
    return true;
}

qint64 Scheme::storageBytes(const TensorInfo& tensor) const
{
    const qint64 n = tensor.elementCount;
    if (const FixedSchemeRow* row = fixedRow(*this); row && row->blockBytes > 0) {
        const qint64 blocks = (n + row->blockSize - 1) / row->blockSize;
        qint64 bytes = blocks * row->blockBytes + row->tensorScaleBytes;
        if (doubleQuantized) {  // a short last super-block stores only its own groups
            const qint64 groups = (n + kNf4GroupSize - 1) / kNf4GroupSize;
            bytes = (n + 1) / 2 + groups + blocks * 8;
        }
        return bytes;
    } else if (row) {
        return (n * elementBits + 7) / 8 + row->tensorScaleBytes;
    }
    // integer schemes: codes + one scale (fp32 per tensor, fp16 per row/group) + zero points
    const qint64 codeBytes = (n * elementBits + 7) / 8;
    const bool asymmetric = kind == SchemeKind::AsymmetricInt;
    if (granularity == Granularity::Tensor)
        return codeBytes + 4 + (asymmetric ? 1 : 0);
    const qint64 length = groupLength(tensor);
    const qint64 groups = (n + length - 1) / length;
    return codeBytes + groups * 2 + (asymmetric ? (groups * elementBits + 7) / 8 : 0);
}

double Scheme::bitsPerWeight(const TensorInfo& tensor) const
{
    return tensor.elementCount > 0 ? 8.0 * static_cast<double>(storageBytes(tensor)) / static_cast<double>(tensor.elementCount)
                                   : nominalBitsPerWeight();
}

double Scheme::nominalBitsPerWeight() const
{
    TensorInfo typical;
    typical.shape = {4096, 4096};
    typical.elementCount = 4096LL * 4096LL;
    return bitsPerWeight(typical);
}

void Scheme::roundTrip(std::span<const float> in, std::span<float> out, const TensorRange& range, qint64 rowLength) const
{
    roundTripOf(family)(*this, in, out, range, rowLength);
}

void Scheme::roundTripTensor(std::span<const float> in, std::span<float> out, qint64 rowLength) const
{
    TensorRange range = TensorRange::of(in);
    if (mseClip && granularity == Granularity::Tensor) {
        std::array<double, kClipRatioCount> errors{};
        integerClipSearchErrors(*this, in, range, errors);
        range.clipRatio = clipRatio(static_cast<int>(std::min_element(errors.begin(), errors.end()) - errors.begin()));
    }
    roundTrip(in, out, range, rowLength);
}

bool Scheme::hasEncoder() const
{
    return family == SchemeFamily::Gguf || family == SchemeFamily::Float || kind == SchemeKind::MxFp4;
}

Result<QByteArray> Scheme::encode(std::span<const float> in, const TensorRange& range, qint64 rowLength) const
{
    if (family == SchemeFamily::Gguf)
        return ggufEncode(*this, in, rowLength);
    if (family == SchemeFamily::Float)
        return floatEncode(*this, in, range);
    if (kind == SchemeKind::MxFp4)
        return mxfp4Encode(in);
    return Error{{}, -1, QStringLiteral("%1 has no single on-disk format to encode to").arg(name)};
}

}  // namespace cstudio
