#include "core/distill/digits_dataset.h"

#include <QFile>
#include <zlib.h>

namespace cstudio::distill {

namespace {
Result<QByteArray> gunzip(const QByteArray& compressed, const QString& name)
{
    z_stream stream {};
    // 16 + MAX_WBITS: expect a gzip header (RFC 1952), not a bare zlib stream.
    if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK)
        return Error { name, -1, QStringLiteral("cannot initialise zlib") };
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.constData()));
    stream.avail_in = static_cast<uInt>(compressed.size());
    QByteArray output;
    char buffer[1 << 16];
    int status = Z_OK;
    while (status == Z_OK) {
        stream.next_out = reinterpret_cast<Bytef*>(buffer);
        stream.avail_out = sizeof buffer;
        status = inflate(&stream, Z_NO_FLUSH);
        output.append(buffer, static_cast<qsizetype>(sizeof buffer - stream.avail_out));
        if (output.size() > (qsizetype(1) << 28))
            status = Z_MEM_ERROR;
    }
    const qint64 consumed = static_cast<qint64>(stream.total_in);
    inflateEnd(&stream);
    if (status != Z_STREAM_END)
        return Error { name, consumed, QStringLiteral("corrupt gzip data (zlib status %1)").arg(status) };
    return output;
}
} // namespace

Result<LabelledImages> parseDigitsCsvGz(const QByteArray& compressed, const QString& name)
{
    Result<QByteArray> text = gunzip(compressed, name);
    if (!text)
        return text.error();
    const QList<QByteArray> lines = text->split('\n');
    std::vector<std::array<double, 65>> rows;
    rows.reserve(lines.size());
    for (int index = 0; index < lines.size(); ++index) {
        const QByteArray line = lines[index].trimmed();
        if (line.isEmpty())
            continue;
        const QList<QByteArray> fields = line.split(',');
        if (fields.size() != 65)
            return Error { name, -1,
                QStringLiteral("line %1 has %2 fields; expected 64 pixels and a label")
                    .arg(index + 1)
                    .arg(fields.size()) };
        std::array<double, 65> row {};
        for (int f = 0; f < 65; ++f) {
            bool ok = false;
            row[f] = fields[f].toDouble(&ok);
            if (!ok || row[f] < 0 || row[f] > (f < 64 ? 16 : 9))
                return Error { name, -1,
                    QStringLiteral("line %1 field %2 '%3' is not a valid %4")
                        .arg(index + 1)
                        .arg(f + 1)
                        .arg(QString::fromLatin1(fields[f]))
                        .arg(f < 64 ? QStringLiteral("pixel count 0..16") : QStringLiteral("digit 0..9")) };
        }
        rows.push_back(row);
    }
    if (rows.empty())
        return Error { name, -1, QStringLiteral("contains no images") };
    LabelledImages images;
    images.features.resize(static_cast<Eigen::Index>(rows.size()), 64);
    images.labels.resize(rows.size());
    for (size_t r = 0; r < rows.size(); ++r) {
        for (int c = 0; c < 64; ++c)
            images.features(static_cast<Eigen::Index>(r), c) = rows[r][c] / 16.0;
        images.labels[r] = static_cast<int>(rows[r][64]);
    }
    return images;
}

Result<LabelledImages> loadDigits()
{
    const QString name = QStringLiteral(":/data/digits.csv.gz");
    QFile file(name);
    if (!file.open(QIODevice::ReadOnly))
        return Error { name, -1, QStringLiteral("the digits data set is missing from the resources") };
    return parseDigitsCsvGz(file.readAll(), name);
}

LabelledImages selectRows(const LabelledImages& images, const std::vector<int>& indices)
{
    LabelledImages subset;
    subset.classCount = images.classCount;
    subset.features.resize(static_cast<Eigen::Index>(indices.size()), images.features.cols());
    subset.labels.resize(indices.size());
    for (size_t i = 0; i < indices.size(); ++i) {
        subset.features.row(static_cast<Eigen::Index>(i)) = images.features.row(indices[i]);
        subset.labels[i] = images.labels[indices[i]];
    }
    return subset;
}

} // namespace cstudio::distill
