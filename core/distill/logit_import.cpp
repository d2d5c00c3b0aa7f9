#include "core/distill/logit_import.h"

#include "core/distill/logit_validation.h"
#include "core/formats/npy_reader.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <cmath>

namespace cstudio::distill {

namespace {
Error fileError(const QString& path, const QString& message, qint64 offset = -1)
{
    return { path, offset, message };
}

Result<ClassLogits> finish(const QString& path, QStringList labels, std::vector<double> logits)
{
    if (logits.empty())
        return fileError(path, QStringLiteral("contains no logits"));
    for (size_t i = 0; i < logits.size(); ++i)
        if (!std::isfinite(logits[i]))
            return fileError(path,
                QStringLiteral("logit %1 is %2; logits must be finite numbers")
                    .arg(i + 1)
                    .arg(std::isnan(logits[i]) ? QStringLiteral("NaN") : QStringLiteral("infinite")));
    Result<ClassLogits> bundled = makeClassLogits(std::move(labels), std::move(logits), path);
    if (!bundled)
        return fileError(path, bundled.error().message);
    return bundled;
}

Result<double> parseNumber(const QString& text, const QString& path, int line)
{
    bool ok = false;
    const double value = text.trimmed().toDouble(&ok);
    if (!ok)
        return fileError(path, QStringLiteral("line %1: '%2' is not a number").arg(line).arg(text.trimmed()));
    if (!std::isfinite(value))
        return fileError(
            path, QStringLiteral("line %1: '%2' is not a finite number").arg(line).arg(text.trimmed()));
    return value;
}
} // namespace

Result<ClassLogits> parseLogitsCsv(const QByteArray& bytes, const QString& path)
{
    QStringList labels;
    std::vector<double> logits;
    const QList<QByteArray> lines = bytes.split('\n');
    bool sawData = false, sawHeader = false, anyLabel = false;
    for (int index = 0; index < lines.size(); ++index) {
        const QString line = QString::fromUtf8(lines[index]).trimmed();
        const int lineNumber = index + 1;
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const QStringList fields = line.split(QRegularExpression(QStringLiteral("[,;\\t]")));
        if (!sawData && !sawHeader) {
            bool numeric = false;
            fields.last().trimmed().toDouble(&numeric);
            if (!numeric) {
                sawHeader = true; // e.g. "class,logit"
                continue;
            }
        }
        if (fields.size() > 2) {
            // One row holding all the logits.
            if (sawData)
                return fileError(path,
                    QStringLiteral("line %1 has %2 fields; expected 'label,logit' per line or all "
                                   "logits on one line")
                        .arg(lineNumber)
                        .arg(fields.size()));
            for (const QString& field : fields) {
                Result<double> value = parseNumber(field, path, lineNumber);
                if (!value)
                    return value.error();
                logits.push_back(*value);
            }
            sawData = true;
            continue;
        }
        Result<double> value = parseNumber(fields.last(), path, lineNumber);
        if (!value)
            return value.error();
        if (fields.size() == 2) {
            if (!anyLabel && !logits.empty())
                return fileError(
                    path, QStringLiteral("line %1 has a label but earlier lines do not").arg(lineNumber));
            anyLabel = true;
            labels.push_back(fields.first().trimmed());
        } else if (anyLabel) {
            return fileError(
                path, QStringLiteral("line %1 has no label but earlier lines do").arg(lineNumber));
        }
        logits.push_back(*value);
        sawData = true;
    }
    return finish(path, labels, std::move(logits));
}

Result<ClassLogits> parseLogitsJson(const QByteArray& bytes, const QString& path)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fileError(
            path, QStringLiteral("not valid JSON: %1").arg(parseError.errorString()), parseError.offset);
    QStringList labels;
    std::vector<double> logits;
    auto number = [&](const QJsonValue& value, int index) -> Result<double> {
        if (!value.isDouble())
            return fileError(path, QStringLiteral("logit %1 is not a number").arg(index + 1));
        return value.toDouble();
    };
    QJsonArray values;
    if (document.isObject()) {
        const QJsonObject object = document.object();
        if (!object.value(QStringLiteral("logits")).isArray())
            return fileError(path, QStringLiteral("expected a \"logits\" array in the JSON object"));
        values = object.value(QStringLiteral("logits")).toArray();
        const QJsonArray names = object.value(QStringLiteral("labels")).toArray();
        for (const QJsonValue& name : names)
            labels.push_back(name.toVariant().toString());
    } else {
        values = document.array();
    }
    for (int i = 0; i < values.size(); ++i) {
        if (values[i].isObject()) {
            const QJsonObject entry = values[i].toObject();
            labels.push_back(entry.value(QStringLiteral("label")).toVariant().toString());
            Result<double> value = number(entry.value(QStringLiteral("logit")), i);
            if (!value)
                return value.error();
            logits.push_back(*value);
        } else {
            Result<double> value = number(values[i], i);
            if (!value)
                return value.error();
            logits.push_back(*value);
        }
    }
    return finish(path, labels, std::move(logits));
}

Result<ClassLogits> readLogitsNpy(const QString& path)
{
    // The weights helper's .npy reader (core/formats/npy_reader.h) does the parsing; like every
    // TensorSource it hands values over as float32, the precision logits are stored in anyway.
    Result<std::shared_ptr<TensorSource>> source = openNpy(path);
    if (!source)
        return source.error();
    const std::vector<TensorInfo>& tensors = (*source)->tensors();
    if (tensors.size() != 1)
        return fileError(path, QStringLiteral("expected one array, found %1").arg(tensors.size()));
    const TensorInfo& info = tensors.front();
    if (!info.decodable)
        return fileError(path,
            QStringLiteral("dtype '%1' is not supported for logits; save them as floats").arg(info.dtype));
    int nonUnitDimensions = 0;
    QStringList shape;
    for (qint64 size : info.shape) {
        nonUnitDimensions += size != 1 ? 1 : 0;
        shape.push_back(QString::number(size));
    }
    if (nonUnitDimensions > 1)
        return fileError(path,
            QStringLiteral("shape (%1) has more than one dimension; logits must be one vector")
                .arg(shape.join(QStringLiteral(", "))));
    if (info.elementCount > (qint64(1) << 31))
        return fileError(path, QStringLiteral("%1 logits are too many").arg(info.elementCount));
    std::vector<float> values(static_cast<size_t>(info.elementCount));
    if (Result<void> read = (*source)->readFloats(0, 0, values); !read)
        return read.error();
    return finish(path, {}, std::vector<double>(values.begin(), values.end()));
}

Result<ClassLogits> importLogits(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("npy"))
        return readLogitsNpy(path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fileError(path, QStringLiteral("cannot open: %1").arg(file.errorString()));
    const QByteArray bytes = file.readAll();
    if (suffix == QLatin1String("csv") || suffix == QLatin1String("txt"))
        return parseLogitsCsv(bytes, path);
    if (suffix == QLatin1String("json"))
        return parseLogitsJson(bytes, path);
    return fileError(path, QStringLiteral("unknown extension '.%1'; use .csv, .json or .npy").arg(suffix));
}

} // namespace cstudio::distill
