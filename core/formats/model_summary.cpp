#include "core/formats/model_summary.h"

#include <QStringList>
#include <algorithm>
#include <map>

namespace cstudio {

ModelSummary summarizeModel(const TensorSource& source)
{
    ModelSummary summary;
    summary.name = source.displayName();
    std::map<QString, DtypeShare> mix;
    qint64 embeddingWidth = 0, attentionWidth = 0;
    for (const TensorInfo& info : source.tensors()) {
        ++summary.tensorCount;
        summary.parameters += info.elementCount;
        summary.bytes += info.byteSize;
        if (info.decodable)
            summary.decodableParameters += info.elementCount;
        DtypeShare& share = mix[info.dtype];
        share.dtype = info.dtype;
        ++share.tensors;
        share.parameters += info.elementCount;
        share.bytes += info.byteSize;
        summary.layerCount = std::max(summary.layerCount, info.layer + 1);
        // The token embedding is [vocabulary, hidden]; its row length is the model width.
        if (info.role == QLatin1String("embedding") && info.shape.size() == 2 &&
            (info.name.contains(QLatin1String("word")) || info.name.contains(QLatin1String("tok")) || embeddingWidth == 0))
            embeddingWidth = info.rowLength();
        if (info.role == QLatin1String("attn_q") && info.shape.size() == 2 && attentionWidth == 0)
            attentionWidth = info.rowLength();
    }
    summary.hiddenSize = embeddingWidth ? embeddingWidth : attentionWidth;
    for (auto& [dtype, share] : mix)
        summary.dtypeMix.push_back(share);
    std::sort(summary.dtypeMix.begin(), summary.dtypeMix.end(),
              [](const DtypeShare& a, const DtypeShare& b) { return a.parameters > b.parameters; });
    return summary;
}

QString formatCount(qint64 count)
{
    const double value = double(count);
    if (count >= 1'000'000'000'000)
        return QStringLiteral("%1 T").arg(value / 1e12, 0, 'g', 3);
    if (count >= 1'000'000'000)
        return QStringLiteral("%1 B").arg(value / 1e9, 0, 'g', 3);
    if (count >= 1'000'000)
        return QStringLiteral("%1 M").arg(value / 1e6, 0, 'g', 3);
    if (count >= 10'000)
        return QStringLiteral("%1 k").arg(value / 1e3, 0, 'g', 3);
    return QString::number(count);
}

QString formatBytes(qint64 bytes)
{
    const double value = double(bytes);
    if (bytes >= 1'000'000'000)
        return QStringLiteral("%1 GB").arg(value / 1e9, 0, 'f', 2);
    if (bytes >= 1'000'000)
        return QStringLiteral("%1 MB").arg(value / 1e6, 0, 'f', 1);
    if (bytes >= 1'000)
        return QStringLiteral("%1 kB").arg(value / 1e3, 0, 'f', 1);
    return QStringLiteral("%1 B").arg(bytes);
}

QString formatShape(const std::vector<qint64>& shape)
{
    QStringList parts;
    for (qint64 extent : shape)
        parts << QString::number(extent);
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

}  // namespace cstudio
