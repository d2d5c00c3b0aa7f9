#include "core/analysis/group_inspection.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace cstudio {

namespace {

// A group as wide as a whole tensor (":tensor") is shown by its first elements only.
constexpr qint64 kMaxInspectedElements = qint64(1) << 18;
constexpr qint64 kRangeChunk = qint64(1) << 20;

Result<TensorRange> readRange(const TensorSource& source, int tensorIndex, const JobControl& control)
{
    const TensorInfo& tensor = source.tensors()[static_cast<std::size_t>(tensorIndex)];
    TensorRange range;
    std::vector<float> chunk(static_cast<std::size_t>(std::min(kRangeChunk, tensor.elementCount)));
    for (qint64 first = 0; first < tensor.elementCount; first += kRangeChunk) {
        if (control.cancelled())
            return Error{tensor.name, first, QStringLiteral("cancelled")};
        const qint64 length = std::min(kRangeChunk, tensor.elementCount - first);
        std::span<float> part(chunk.data(), static_cast<std::size_t>(length));
        if (auto read = source.readFloats(tensorIndex, first, part); !read)
            return read.error();
        range.include(part);
    }
    return range;
}

std::vector<double> asymmetricIntegerLevels(int bits, double minValue, double maxValue, double* scale)
{
    // uint-b as documented in scheme.h: s = (max-min)/(2^b-1), z = clip(-round(min/s), 0, 2^b-1).
    const double qmax = std::ldexp(1.0, bits) - 1.0;
    const double lo = std::min(minValue, 0.0), hi = std::max(maxValue, 0.0);
    const double s = (hi - lo) / qmax;
    *scale = s;
    if (!(s > 0))
        return {0.0};
    const double zero = std::clamp(-std::nearbyint(lo / s), 0.0, qmax);
    std::vector<double> levels;
    for (int q = 0; q <= int(qmax); ++q)
        levels.push_back((q - zero) * s);
    return levels;
}

}  // namespace

std::vector<double> symmetricIntegerLevels(int bits, double absMax, double* scale)
{
    const int qmax = (1 << (bits - 1)) - 1;
    const double s = absMax / qmax;
    if (scale)
        *scale = s;
    if (!(s > 0))
        return {0.0};
    std::vector<double> levels;
    for (int k = -qmax - 1; k <= qmax; ++k)
        levels.push_back(k * s);
    return levels;
}

Result<GroupInspection> inspectGroup(const TensorSource& source, int tensorIndex, const Scheme& scheme,
                                     qint64 groupIndex, float clipRatio, const JobControl& control)
{
    if (tensorIndex < 0 || tensorIndex >= int(source.tensors().size()))
        return Error{source.displayName(), 0, QStringLiteral("no tensor %1").arg(tensorIndex)};
    const TensorInfo& tensor = source.tensors()[static_cast<std::size_t>(tensorIndex)];
    if (!tensor.decodable || tensor.elementCount <= 0)
        return Error{tensor.name, 0, QStringLiteral("%1 cannot be decoded to float").arg(tensor.name)};
    QString why;
    if (!scheme.appliesTo(tensor, &why))
        return Error{tensor.name, 0, QStringLiteral("%1 does not apply to %2: %3").arg(scheme.name, tensor.name, why)};

    const qint64 groupLength = scheme.groupLength(tensor);
    GroupInspection inspection;
    inspection.scheme = scheme.name;
    inspection.groupCount = (tensor.elementCount + groupLength - 1) / groupLength;
    if (groupIndex < 0 || groupIndex >= inspection.groupCount)
        return Error{tensor.name, 0,
                     QStringLiteral("group %1 is out of range: %2 has %3 groups of %4 under %5")
                         .arg(groupIndex).arg(tensor.name).arg(inspection.groupCount).arg(groupLength).arg(scheme.name)};
    inspection.groupIndex = groupIndex;
    inspection.firstElement = groupIndex * groupLength;

    Result<TensorRange> rangeRead = readRange(source, tensorIndex, control);
    if (!rangeRead)
        return rangeRead.error();
    TensorRange range = *rangeRead;
    range.clipRatio = clipRatio;
    inspection.tensorAbsMax = range.absMax;

    // Round trip the whole storage block(s) that hold the group (k-quant super-blocks carry
    // the sub-block scales), then keep the group's part.
    const qint64 alignment = std::max<qint64>(1, scheme.alignment(tensor));
    const qint64 groupEnd = std::min(tensor.elementCount, inspection.firstElement + groupLength);
    const qint64 shownEnd = std::min(groupEnd, inspection.firstElement + kMaxInspectedElements);
    const qint64 blockFirst = inspection.firstElement / alignment * alignment;
    const qint64 blockEnd = scheme.granularity == Granularity::Tensor
                                ? shownEnd
                                : std::min(tensor.elementCount, (groupEnd + alignment - 1) / alignment * alignment);
    std::vector<float> block(static_cast<std::size_t>(blockEnd - blockFirst));
    std::vector<float> roundTripped(block.size());
    if (auto read = source.readFloats(tensorIndex, blockFirst, block); !read)
        return read.error();
    scheme.roundTrip(block, roundTripped, range, tensor.rowLength());

    const auto offset = static_cast<std::size_t>(inspection.firstElement - blockFirst);
    const auto shown = static_cast<std::size_t>(shownEnd - inspection.firstElement);
    inspection.values.assign(block.begin() + long(offset), block.begin() + long(offset + shown));
    inspection.dequantized.assign(roundTripped.begin() + long(offset), roundTripped.begin() + long(offset + shown));

    double sumSquares = 0;
    float groupMin = 0, groupMax = 0, groupAbsMax = 0;
    std::set<double> used;
    for (std::size_t i = 0; i < shown; ++i) {
        const float w = inspection.values[i];
        const float q = inspection.dequantized[i];
        if (!std::isfinite(w))
            continue;
        const double error = double(q) - double(w);
        sumSquares += error * error;
        inspection.maxAbsError = std::max(inspection.maxAbsError, std::abs(error));
        groupMin = std::min(groupMin, w);
        groupMax = std::max(groupMax, w);
        groupAbsMax = std::max(groupAbsMax, std::abs(w));
        used.insert(double(q));
    }
    inspection.rmse = shown ? std::sqrt(sumSquares / double(shown)) : 0.0;

    const bool wholeTensor = scheme.granularity == Granularity::Tensor;
    if (scheme.kind == SchemeKind::SymmetricInt && !scheme.mseClip) {
        inspection.groupLevels = symmetricIntegerLevels(scheme.elementBits, wholeTensor ? range.absMax : groupAbsMax,
                                                        &inspection.groupScale);
        inspection.groupGridComplete = true;
    } else if (scheme.kind == SchemeKind::AsymmetricInt && !scheme.mseClip) {
        inspection.groupLevels = asymmetricIntegerLevels(scheme.elementBits, wholeTensor ? range.minValue : groupMin,
                                                         wholeTensor ? range.maxValue : groupMax, &inspection.groupScale);
        inspection.groupGridComplete = true;
    } else {
        inspection.groupLevels.assign(used.begin(), used.end());
    }

    if (scheme.elementBits <= 8) {
        inspection.tensorGridBits = std::clamp(scheme.elementBits, 2, 8);
        inspection.tensorLevels = symmetricIntegerLevels(inspection.tensorGridBits, range.absMax, &inspection.tensorScale);
    }
    return inspection;
}

}  // namespace cstudio
