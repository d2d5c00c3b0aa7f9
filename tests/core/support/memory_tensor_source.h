#pragma once
// A TensorSource over float vectors in memory, for tests of the analysis engine.
#include "core/formats/tensor_source.h"

#include <QFile>
#include <algorithm>
#include <atomic>
#include <cstring>

namespace cstudio::test {

class MemoryTensorSource final : public TensorSource {
public:
    void add(const QString& name, std::vector<qint64> shape, std::vector<float> values, int layer = -1,
             const QString& role = QStringLiteral("other"))
    {
        TensorInfo info;
        info.name = name;
        info.shape = std::move(shape);
        info.dtype = QStringLiteral("F32");
        info.elementCount = static_cast<qint64>(values.size());
        info.byteSize = info.elementCount * 4;
        info.decodable = true;
        info.layer = layer;
        info.role = role;
        infos_.push_back(info);
        data_.push_back(std::move(values));
    }
    QString displayName() const override { return QStringLiteral("memory"); }
    const std::vector<TensorInfo>& tensors() const override { return infos_; }
    Result<void> readFloats(int index, qint64 first, std::span<float> out) const override
    {
        if (index < 0 || index >= static_cast<int>(data_.size()))
            return Error{QStringLiteral("memory"), -1, QStringLiteral("no tensor %1").arg(index)};
        const auto& d = data_[static_cast<std::size_t>(index)];
        if (first < 0 || first + static_cast<qint64>(out.size()) > static_cast<qint64>(d.size()))
            return Error{QStringLiteral("memory"), -1, QStringLiteral("range out of bounds")};
        std::copy_n(d.begin() + first, out.size(), out.begin());
        ++reads_;
        return {};
    }
    // Offer the tensors' bytes as RawTensorBytes (F32), which the engine then reads in place.
    void offerRawBytes(bool offer) { offerRawBytes_ = offer; }
    RawTensorBytes rawBytes(int index) const override
    {
        if (!offerRawBytes_ || index < 0 || index >= static_cast<int>(data_.size()))
            return {};
        const auto& d = data_[static_cast<std::size_t>(index)];
        return {reinterpret_cast<const unsigned char*>(d.data()), static_cast<qint64>(d.size() * 4), RawTensorBytes::Encoding::F32};
    }
    mutable std::atomic<int> reads_{0};

private:
    bool offerRawBytes_ = false;
    std::vector<TensorInfo> infos_;
    std::vector<std::vector<float>> data_;
};

// Seed 002's weights: a 1-D little-endian float64 .npy (format 1.0), read without the
// project's npy reader so the fidelity test depends on nothing but the file.
inline std::vector<double> readFloat64Npy(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = file.readAll();
    if (bytes.size() < 10 || !bytes.startsWith("\x93NUMPY"))
        return {};
    const int headerLength = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
    const QByteArray header = bytes.mid(10, headerLength);
    if (!header.contains("'<f8'") || !header.contains("False"))
        return {};
    const qsizetype offset = 10 + headerLength;
    std::vector<double> values(static_cast<std::size_t>((bytes.size() - offset) / 8));
    std::memcpy(values.data(), bytes.constData() + offset, values.size() * 8);
    return values;
}

}  // namespace cstudio::test
