#pragma once
// The scheme table: every quantization format the studio knows is one row (name, family,
// element bits, group size, scale format, effective bits per weight) plus two functions, a
// quantize->dequantize round trip and, where the format exists on disk, an encoder to its
// packed bytes. GUI, CLI, JSON and the planner all name schemes by the same strings:
//
//   int2..int8[:G][:mse]   symmetric absmax, seed 002 EQ 7.3:
//                           s = max|w| / (2^(b-1)-1),  q = clip(round(w/s), -2^(b-1), 2^(b-1)-1)
//                           (round = ties to even, like numpy.round)
//   uint2..uint8[:G][:mse] asymmetric min-max with a zero point (AWQ/GPTQ style):
//                           s = (max-min)/(2^b-1), z = clip(-round(min/s), 0, 2^b-1),
//                           q = clip(round(w/s) + z, 0, 2^b-1), w' = (q - z) s
//      G = tensor | ch (one scale per output row = innermost-dimension row) | gN (N elements;
//      groups run over the row-major flattened tensor, the last one may be short). Default g64.
//      :mse searches the clip ratio r in {1, 0.98, ..., 0.50} per group (per tensor for
//      :tensor) that minimises the group's squared error, with s scaled by r.
//   nf4[:dq]               QLoRA NormalFloat4, absmax per 64; :dq = double-quantized scales
//   fp8_e4m3, fp8_e5m2     OCP OFP8, one fp32 scale per tensor (absmax -> max finite), saturating
//   mxfp4                  OCP MX v1.0: E2M1 elements, E8M0 scale per 32
//   nvfp4                  E2M1 elements, E4M3 scale per 16, fp32 scale per tensor
//   bf16, fp16             round to nearest even
//   q8_0 q4_0 q4_1 q5_0 q5_1 q2_k q3_k q4_k q5_k q6_k   GGUF blocks (llama.cpp)
//
// Round trips work on whole groups: `in` must start at a group boundary of the tensor and hold
// whole groups (the tensor's last group may be short, except for GGUF/MX/NV blocks whose rows
// must be whole blocks: see appliesTo()). Schemes with tensor-wide scales (":tensor", fp8,
// nvfp4) read them from a TensorRange computed beforehand over the whole tensor.
#include "core/formats/tensor_source.h"
#include "core/result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <span>
#include <vector>

namespace cstudio {

enum class SchemeFamily {
    Integer,      // int*, uint*
    NormalFloat,  // nf4
    Float,        // fp8_*, bf16, fp16
    Microscaling, // mxfp4, nvfp4
    Gguf,         // q*_0, q*_1, q*_k
};

enum class Granularity {
    Tensor,   // one scale for the whole tensor
    Channel,  // one scale per row (innermost dimension)
    Group,    // one scale per groupSize consecutive elements
    Element,  // no scale (bf16, fp16)
};

enum class SchemeKind {
    SymmetricInt, AsymmetricInt, Nf4, Fp8E4M3, Fp8E5M2, MxFp4, NvFp4, Bf16, Fp16,
    GgufQ8_0, GgufQ4_0, GgufQ4_1, GgufQ5_0, GgufQ5_1, GgufQ2_K, GgufQ3_K, GgufQ4_K, GgufQ5_K, GgufQ6_K,
};

// Tensor-wide statistics that schemes with a tensor-wide scale need before any chunk is
// quantized. Computed over the whole tensor by TensorRange::of() or merged chunk by chunk.
struct TensorRange {
    float absMax = 0.0f;
    float minValue = 0.0f;
    float maxValue = 0.0f;
    qint64 nonFiniteCount = 0;  // NaN/Inf elements (a tensor with any has no meaningful scale)
    float clipRatio = 1.0f;     // for ":tensor:mse": the ratio chosen by the search pass
    bool valid = false;         // at least one element seen

    void include(std::span<const float> values);
    void merge(const TensorRange& other);
    static TensorRange of(std::span<const float> values);
};

struct Scheme {
    QString name;  // canonical spelling, e.g. "int4:g64", "uint8:ch", "nf4:dq", "q4_k"
    SchemeKind kind = SchemeKind::SymmetricInt;
    SchemeFamily family = SchemeFamily::Integer;
    int elementBits = 0;                // bits of one stored element code
    Granularity granularity = Granularity::Group;
    int groupSize = 0;                  // elements per scale group (Group granularity), else 0
    int blockSize = 0;                  // elements per indivisible storage block (GGUF super-block
                                        // 256, nf4:dq 16384), else equal to groupSize
    QString scaleFormat;                // "fp32", "fp16", "e8m0", "e4m3+fp32", "6-bit+fp16", "none"
    bool mseClip = false;               // :mse variant
    bool doubleQuantized = false;       // nf4:dq
    QString llamaType;                  // "Q4_K" for GGUF schemes (llama-quantize type name), else empty
    QString description;                // one line for tooltips and --help

    // Elements that share one scale in this tensor (rowLength for :ch, the whole tensor for
    // :tensor, 1 for bf16/fp16).
    qint64 groupLength(const TensorInfo& tensor) const;
    // Chunks of this tensor handed to roundTrip() must start at multiples of this.
    qint64 alignment(const TensorInfo& tensor) const;
    bool needsTensorRange() const;  // reads TensorRange (tensor scale, or :tensor:mse search)
    // Whether the scheme can encode this tensor; if not, `why` says so ("row length 384 is not
    // a multiple of the q4_k block of 256").
    bool appliesTo(const TensorInfo& tensor, QString* why = nullptr) const;

    // Effective storage: element bits plus every scale, zero point and per-tensor scale.
    qint64 storageBytes(const TensorInfo& tensor) const;
    double bitsPerWeight(const TensorInfo& tensor) const;
    // Nominal bits per weight for display without a tensor (a 4096-element row for :ch).
    double nominalBitsPerWeight() const;

    // Quantize then dequantize. `in` and `out` have the same length, may not overlap, and
    // `in` starts at a multiple of alignment(). `range` is the whole tensor's (needed when
    // needsTensorRange(), ignored otherwise). `rowLength` is the tensor's innermost dimension.
    void roundTrip(std::span<const float> in, std::span<float> out, const TensorRange& range,
                   qint64 rowLength) const;
    // Convenience for a whole tensor in memory: computes the range (and the :tensor:mse clip
    // ratio) itself.
    void roundTripTensor(std::span<const float> in, std::span<float> out, qint64 rowLength) const;

    // Packed bytes as the format stores them on disk (GGUF blocks, fp8/bf16/fp16 codes, MXFP4
    // E8M0 scale + nibbles per 32). Empty for schemes with no single on-disk format.
    bool hasEncoder() const;
    Result<QByteArray> encode(std::span<const float> in, const TensorRange& range, qint64 rowLength) const;
};

// "int4:g64" -> the row. Case-insensitive; "int4" means "int4:g64". Errors name the text and
// what is wrong ("int9: integer schemes take 2 to 8 bits").
Result<Scheme> parseScheme(QStringView text);
// "int8:tensor,int4:g64,nf4" -> rows, in order, duplicates removed.
Result<std::vector<Scheme>> parseSchemeList(QStringView commaSeparated);
// Example of every family, for pickers and --help: "int8:tensor", "int4:g64", ... "q6_k".
QStringList standardSchemeNames();

}  // namespace cstudio
