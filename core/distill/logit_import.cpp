#include "core/distill/logit_import.h"

#include "core/distill/logit_validation.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <cmath>
#include <cstring>

namespace cstudio::distill {

namespace {
Error fileError(const QString& path, const QString& message, qint64 offset = -1) { return { path, offset, message }; }

Result<ClassLogits> finish(const QString& path, QStringList labels, std::vector<double> logits)
{
    if (logits.empty())
        return fileError(path, QStringLiteral("contains no logits"));
    for (size_t i = 0; i < logits.size(); ++i)
        if (!std::isfinite(logits[i]))
            return fileError(path, QStringLiteral("logit %1 is %2; logits must be finite numbers")
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
        return fileError(path, QStringLiteral("line %1: '%2' is not a finite number").arg(line).arg(text.trimmed()));
    return value;
}
}  // namespace

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
                sawHeader = true;  // e.g. "class,logit"
                continue;
            }
        }
        if (fields.size() > 2) {
            // One row holding all the logits.
            if (sawData)
                return fileError(path, QStringLiteral("line %1 has %2 fields; expected 'label,logit' per line or all "
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
                return fileError(path, QStringLiteral("line %1 has a label but earlier lines do not").arg(lineNumber));
            anyLabel = true;
            labels.push_back(fields.first().trimmed());
        } else if (anyLabel) {
            return fileError(path, QStringLiteral("line %1 has no label but earlier lines do").arg(lineNumber));
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
        return fileError(path, QStringLiteral("not valid JSON: %1").arg(parseError.errorString()), parseError.offset);
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

Result<ClassLogits> parseLogitsNpy(const QByteArray& bytes, const QString& path)
{
    // NumPy's format: magic "\x93NUMPY", version (2 bytes), header length (2 bytes in v1,
    // 4 bytes in v2/v3, little-endian), a Python-dict header, then the raw data.
    // https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
    if (bytes.size() < 10 || !bytes.startsWith(QByteArray("\x93NUMPY", 6)))
        return fileError(path, QStringLiteral("not a .npy file (no \\x93NUMPY magic)"), 0);
    const auto major = static_cast<unsigned char>(bytes[6]);
    qint64 headerLength = 0, headerStart = 0;
    if (major == 1) {
        headerLength = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
        headerStart = 10;
    } else if ((major == 2 || major == 3) && bytes.size() >= 12) {
        for (int b = 3; b >= 0; --b)
            headerLength = (headerLength << 8) | static_cast<unsigned char>(bytes[8 + b]);
        headerStart = 12;
    } else {
        return fileError(path, QStringLiteral("unsupported .npy version %1").arg(major), 6);
    }
    if (headerStart + headerLength > bytes.size())
        return fileError(path, QStringLiteral("header length %1 runs past the end of the file (%2 bytes)")
                                   .arg(headerLength)
                                   .arg(bytes.size()),
                         8);
    const QString header = QString::fromLatin1(bytes.mid(headerStart, headerLength));
    const QRegularExpressionMatch descr
        = QRegularExpression(QStringLiteral("'descr'\\s*:\\s*'([^']*)'")).match(header);
    const QRegularExpressionMatch fortran
        = QRegularExpression(QStringLiteral("'fortran_order'\\s*:\\s*(True|False)")).match(header);
    const QRegularExpressionMatch shape = QRegularExpression(QStringLiteral("'shape'\\s*:\\s*\\(([^)]*)\\)")).match(header);
    if (!descr.hasMatch() || !fortran.hasMatch() || !shape.hasMatch())
        return fileError(path, QStringLiteral("malformed .npy header: %1").arg(header.trimmed()), headerStart);
    const QString type = descr.captured(1);
    int elementSize = 0;
    if (type == QLatin1String("<f8") || type == QLatin1String("=f8"))
        elementSize = 8;
    else if (type == QLatin1String("<f4") || type == QLatin1String("=f4"))
        elementSize = 4;
    else
        return fileError(path, QStringLiteral("dtype '%1' is not supported for logits; save them as float32 or "
                                              "float64 (little-endian)")
                                   .arg(type),
                         headerStart);
    qint64 count = 1;
    int nonUnitDimensions = 0;
    for (const QString& dimension : shape.captured(1).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const qint64 size = dimension.trimmed().toLongLong(&ok);
        if (!ok || size < 0)
            return fileError(path, QStringLiteral("malformed shape (%1)").arg(shape.captured(1)), headerStart);
        if (size != 1)
            ++nonUnitDimensions;
        count *= size;
        if (count > (qint64(1) << 32))
            return fileError(path, QStringLiteral("shape (%1) is too large").arg(shape.captured(1)), headerStart);
    }
    if (nonUnitDimensions > 1)
        return fileError(path, QStringLiteral("shape (%1) has more than one dimension; logits must be one vector")
                                   .arg(shape.captured(1)),
                         headerStart);
    const qint64 dataStart = headerStart + headerLength;
    if (dataStart + count * elementSize > bytes.size())
        return fileError(path, QStringLiteral("the file holds %1 bytes of data but the shape needs %2")
                                   .arg(bytes.size() - dataStart)
                                   .arg(count * elementSize),
                         dataStart);
    std::vector<double> logits(static_cast<size_t>(count));
    // Little-endian data on a little-endian host (x86-64, ARM64): a plain copy.
    const char* data = bytes.constData() + dataStart;
    for (qint64 i = 0; i < count; ++i) {
        if (elementSize == 8) {
            double value;
            std::memcpy(&value, data + i * 8, 8);
            logits[i] = value;
        } else {
            float value;
            std::memcpy(&value, data + i * 4, 4);
            logits[i] = value;
        }
    }
    return finish(path, {}, std::move(logits));
}

Result<ClassLogits> importLogits(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fileError(path, QStringLiteral("cannot open: %1").arg(file.errorString()));
    const QByteArray bytes = file.readAll();
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("csv") || suffix == QLatin1String("txt"))
        return parseLogitsCsv(bytes, path);
    if (suffix == QLatin1String("json"))
        return parseLogitsJson(bytes, path);
    if (suffix == QLatin1String("npy"))
        return parseLogitsNpy(bytes, path);
    return fileError(path, QStringLiteral("unknown extension '.%1'; use .csv, .json or .npy").arg(suffix));
}

}  // namespace cstudio::distill
