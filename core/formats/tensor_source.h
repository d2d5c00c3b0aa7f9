#pragma once
// One tensor abstraction for every weight file and for the demo model: a list of tensors with
// their metadata, and a way to read any element range of a tensor as float32. Analysis pulls
// chunks through readFloats() so a 140 GB model is never resident in memory.
#include "core/result.h"

#include <QString>
#include <QStringList>
#include <algorithm>
#include <memory>
#include <span>
#include <vector>

namespace cstudio {

struct TensorInfo {
    QString name;               // as stored in the file, e.g. "model.layers.3.mlp.down_proj.weight"
    std::vector<qint64> shape;  // outermost first, as the file lists it (GGUF: reversed to row-major)
    QString dtype;              // the file's own type name: "BF16", "F32", "Q4_K", "<f4"...
    qint64 elementCount = 0;
    qint64 byteSize = 0;        // bytes the tensor occupies in the file
    bool decodable = false;     // readFloats() works for it (numeric and a type we decode)
    int layer = -1;             // transformer block index recovered from the name, -1 if none
    QString role;               // "attn_q", "attn_k", "attn_v", "attn_o", "attn_qkv", "mlp_up",
                                // "mlp_gate", "mlp_down", "expert_up", ..., "embedding", "norm",
                                // "lm_head", "other"

    // Row length used for per-channel statistics: the innermost dimension (1 for scalars).
    qint64 rowLength() const { return shape.empty() ? 1 : shape.back(); }
};

// A tensor's stored bytes when they are plain little-endian float32, float16 or bfloat16 in
// row-major order: lets an accelerator copy them as they are and convert on the device (half
// the bytes of float32 for 16-bit weights). Empty (data == nullptr) when not available.
struct RawTensorBytes {
    enum class Encoding { None, F32, F16, BF16 };
    const unsigned char* data = nullptr;  // valid while the source lives
    qint64 size = 0;                      // bytes: elementCount * elementBytes()
    Encoding encoding = Encoding::None;
    int elementBytes() const { return encoding == Encoding::F32 ? 4 : encoding == Encoding::None ? 0 : 2; }
};

class TensorSource {
public:
    virtual ~TensorSource() = default;

    // File or folder path, or a descriptive name such as "Demo model".
    virtual QString displayName() const = 0;
    virtual const std::vector<TensorInfo>& tensors() const = 0;

    // Reads elements [firstElement, firstElement + out.size()) of tensor `index`, in row-major
    // order, converted to float32. Safe to call from several threads at once.
    virtual Result<void> readFloats(int index, qint64 firstElement, std::span<float> out) const = 0;

    // The stored bytes of tensor `index`, if they are plain F32/F16/BF16 (see RawTensorBytes).
    // Optional: the default says "not available" and callers fall back to readFloats().
    virtual RawTensorBytes rawBytes(int /*index*/) const { return {}; }
    // Says that bytes [offset, offset + length) of rawBytes(index) will not be read again soon
    // (a streaming pass read them in place), so a mapped file can give the pages back.
    virtual void releaseRawBytes(int /*index*/, qint64 /*offset*/, qint64 /*length*/) const {}
    // Copies bytes [offset, offset + out.size()) of rawBytes(index) into `out` (e.g. a GPU's
    // pinned staging buffer). A file-backed source reads them with the file's own reads, which
    // neither fault the mapping's pages in nor leave them mapped; the default copies out of
    // rawBytes(). Safe from several threads at once.
    virtual Result<void> copyRawBytes(int index, qint64 offset, std::span<unsigned char> out) const
    {
        const RawTensorBytes raw = rawBytes(index);
        const auto length = static_cast<qint64>(out.size());
        if (!raw.data || offset < 0 || offset > raw.size || length > raw.size - offset)
            return Error{displayName(), offset, QStringLiteral("bytes %1..%2 of tensor %3 are not available as stored bytes")
                                                    .arg(offset).arg(offset + length).arg(index)};
        std::copy_n(raw.data + offset, out.size(), out.data());
        return {};
    }

    // Free-form file metadata for display (safetensors __metadata__, GGUF key/values).
    virtual std::vector<std::pair<QString, QString>> metadata() const { return {}; }
};

}  // namespace cstudio
