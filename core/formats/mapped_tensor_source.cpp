#include "core/formats/mapped_tensor_source.h"

#include "core/formats/element_type.h"

#include <algorithm>
#include <cstring>

namespace cstudio {
namespace {
// Reads of at least this many source bytes give their pages back afterwards, so a full pass
// over a file larger than memory keeps a small resident set (the engine's chunks are 256 Ki
// elements: 512 KiB of BF16, ~150 KB of Q4_K); smaller reads (the GUI's looks at a group) keep
// theirs and skip the system call.
constexpr qint64 kReleaseThresholdBytes = 64 << 10;
constexpr qint64 kMaxBlockElements = 1024;
}  // namespace

MappedTensorSource::MappedTensorSource(QString displayName, std::vector<StoredTensor> tensors,
                                       std::vector<std::pair<QString, QString>> metadata)
    : displayName_(std::move(displayName)), stored_(std::move(tensors)), metadata_(std::move(metadata))
{
    infos_.reserve(stored_.size());
    for (const auto& tensor : stored_)
        infos_.push_back(tensor.info);
}

RawTensorBytes MappedTensorSource::rawBytes(int index) const
{
    if (index < 0 || std::size_t(index) >= stored_.size())
        return {};
    const StoredTensor& tensor = stored_[std::size_t(index)];
    if (!tensor.info.decodable || !tensor.file || tensor.fortranOrder || tensor.encoding.blockElements != 1)
        return {};
    // Plain little-endian types are recognised by their decoder, whatever the file calls them.
    RawTensorBytes raw;
    const auto decoder = tensor.encoding.toFloat;
    if (decoder == elementDecoder(ElementType::F32, false) && tensor.encoding.blockBytes == 4)
        raw.encoding = RawTensorBytes::Encoding::F32;
    else if (decoder == elementDecoder(ElementType::F16, false) && tensor.encoding.blockBytes == 2)
        raw.encoding = RawTensorBytes::Encoding::F16;
    else if (decoder == elementDecoder(ElementType::BF16, false) && tensor.encoding.blockBytes == 2)
        raw.encoding = RawTensorBytes::Encoding::BF16;
    else
        return {};
    raw.size = tensor.info.elementCount * raw.elementBytes();
    if (!tensor.file->contains(tensor.offset, raw.size))
        return {};
    raw.data = tensor.file->data() + tensor.offset;
    return raw;
}

Result<void> MappedTensorSource::copyRawBytes(int index, qint64 offset, std::span<unsigned char> out) const
{
    const RawTensorBytes raw = rawBytes(index);
    const auto length = static_cast<qint64>(out.size());
    if (!raw.data || offset < 0 || offset > raw.size || length > raw.size - offset)
        return TensorSource::copyRawBytes(index, offset, out);  // says what is wrong
    const StoredTensor& tensor = stored_[std::size_t(index)];
    return tensor.file->read(tensor.offset + offset, out);
}

void MappedTensorSource::releaseRawBytes(int index, qint64 offset, qint64 length) const
{
    if (index < 0 || std::size_t(index) >= stored_.size() || length < kReleaseThresholdBytes)
        return;
    const StoredTensor& tensor = stored_[std::size_t(index)];
    if (tensor.file && offset >= 0 && offset <= tensor.info.byteSize && length <= tensor.info.byteSize - offset)
        tensor.file->releasePages(tensor.offset + offset, length);
}

Result<void> MappedTensorSource::readFloats(int index, qint64 firstElement, std::span<float> out) const
{
    if (index < 0 || std::size_t(index) >= stored_.size())
        return Error{displayName_, -1, QStringLiteral("there is no tensor number %1").arg(index)};
    const StoredTensor& tensor = stored_[std::size_t(index)];
    const qint64 count = qint64(out.size());
    if (firstElement < 0 || count > tensor.info.elementCount || firstElement > tensor.info.elementCount - count)
        return Error{displayName_, -1,
                     QStringLiteral("elements %1..%2 are outside tensor '%3' of %4 elements")
                         .arg(firstElement).arg(firstElement + count).arg(tensor.info.name).arg(tensor.info.elementCount)};
    if (!tensor.info.decodable || !tensor.file || !tensor.encoding.toFloat)
        return Error{tensor.file ? tensor.file->path() : displayName_, tensor.offset,
                     QStringLiteral("tensor '%1' of type %2 is not decoded").arg(tensor.info.name, tensor.info.dtype)};
    if (count == 0)
        return {};
    return tensor.fortranOrder ? readFortranOrder(tensor, firstElement, out) : readContiguous(tensor, firstElement, out);
}

Result<void> MappedTensorSource::readContiguous(const StoredTensor& tensor, qint64 firstElement, std::span<float> out) const
{
    const TensorEncoding& encoding = tensor.encoding;
    const qint64 perBlock = encoding.blockElements;
    if (perBlock <= 0 || perBlock > kMaxBlockElements)
        return Error{tensor.file->path(), tensor.offset, QStringLiteral("unsupported block size %1").arg(perBlock)};
    const unsigned char* base = tensor.file->data() + tensor.offset;
    qint64 element = firstElement;
    qint64 written = 0;
    const qint64 total = qint64(out.size());
    float block[kMaxBlockElements];
    // A partial first block, then whole blocks straight into `out`, then a partial last block.
    while (written < total) {
        const qint64 blockIndex = element / perBlock;
        const qint64 within = element % perBlock;
        const qint64 wholeBlocks = within == 0 ? (total - written) / perBlock : 0;
        if (wholeBlocks > 0) {
            encoding.toFloat(base + blockIndex * encoding.blockBytes, wholeBlocks, out.data() + written);
            written += wholeBlocks * perBlock;
            element += wholeBlocks * perBlock;
            continue;
        }
        encoding.toFloat(base + blockIndex * encoding.blockBytes, 1, block);
        const qint64 take = std::min(perBlock - within, total - written);
        std::memcpy(out.data() + written, block + within, std::size_t(take) * sizeof(float));
        written += take;
        element += take;
    }
    const qint64 firstByte = tensor.offset + firstElement / perBlock * encoding.blockBytes;
    const qint64 byteCount = (total / perBlock + 2) * encoding.blockBytes;
    if (byteCount >= kReleaseThresholdBytes)
        tensor.file->releasePages(firstByte, std::min(byteCount, tensor.info.byteSize - (firstByte - tensor.offset)));
    return {};
}

Result<void> MappedTensorSource::readFortranOrder(const StoredTensor& tensor, qint64 firstElement, std::span<float> out) const
{
    // Element (i0, i1, ..., in) lives at i0 + d0 * (i1 + d1 * (...)) in column-major storage.
    // Walk the row-major multi-index of the requested range and decode one element at a time.
    const auto& shape = tensor.info.shape;
    const std::size_t rank = shape.size();
    std::vector<qint64> index(rank, 0), stride(rank, 1);
    for (std::size_t axis = 1; axis < rank; ++axis)
        stride[axis] = stride[axis - 1] * shape[axis - 1];
    qint64 remainder = firstElement;
    for (std::size_t axis = rank; axis-- > 0;) {
        index[axis] = remainder % shape[axis];
        remainder /= shape[axis];
    }
    const unsigned char* base = tensor.file->data() + tensor.offset;
    const qint64 elementBytes = tensor.encoding.blockBytes;
    for (float& value : out) {
        qint64 position = 0;
        for (std::size_t axis = 0; axis < rank; ++axis)
            position += index[axis] * stride[axis];
        tensor.encoding.toFloat(base + position * elementBytes, 1, &value);
        for (std::size_t axis = rank; axis-- > 0;) {
            if (++index[axis] < shape[axis])
                break;
            index[axis] = 0;
        }
    }
    return {};
}

}  // namespace cstudio
