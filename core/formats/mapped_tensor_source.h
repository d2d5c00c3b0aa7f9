#pragma once
// The TensorSource behind every file reader: tensors that live in memory-mapped files at known
// offsets with a known encoding. readFloats() decodes only the requested range, straight from
// the mapping, block by block; nothing tensor-sized is allocated.
#include "core/formats/mapped_file.h"
#include "core/formats/tensor_encoding.h"
#include "core/formats/tensor_source.h"

namespace cstudio {

struct StoredTensor {
    TensorInfo info;
    std::shared_ptr<const MappedFile> file;  // null when the tensor is listed but not decodable
    qint64 offset = 0;                       // of the first byte in `file`
    TensorEncoding encoding;
    bool fortranOrder = false;  // NumPy column-major storage: readFloats() still returns row-major
};

class MappedTensorSource : public TensorSource {
public:
    // Readers have validated every tensor's byte range against its file before this.
    MappedTensorSource(QString displayName, std::vector<StoredTensor> tensors,
                       std::vector<std::pair<QString, QString>> metadata = {});

    QString displayName() const override { return displayName_; }
    const std::vector<TensorInfo>& tensors() const override { return infos_; }
    Result<void> readFloats(int index, qint64 firstElement, std::span<float> out) const override;
    std::vector<std::pair<QString, QString>> metadata() const override { return metadata_; }
    RawTensorBytes rawBytes(int index) const override;
    void releaseRawBytes(int index, qint64 offset, qint64 length) const override;
    Result<void> copyRawBytes(int index, qint64 offset, std::span<unsigned char> out) const override;

private:
    Result<void> readContiguous(const StoredTensor& tensor, qint64 firstElement, std::span<float> out) const;
    Result<void> readFortranOrder(const StoredTensor& tensor, qint64 firstElement, std::span<float> out) const;

    QString displayName_;
    std::vector<StoredTensor> stored_;
    std::vector<TensorInfo> infos_;
    std::vector<std::pair<QString, QString>> metadata_;
};

}  // namespace cstudio
