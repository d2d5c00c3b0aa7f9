#include "core/budget/catalog_entry.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>
#include <cmath>

namespace cstudio::budget {

Result<QJsonArray> readCatalogArray(const QString& path, const QString& listKey)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{path, -1, QStringLiteral("cannot open the catalog: %1").arg(file.errorString())};
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error{path, parseError.offset, QStringLiteral("not valid JSON: %1").arg(parseError.errorString())};
    if (!document.isObject())
        return Error{path, -1, QStringLiteral("the catalog must be a JSON object with a \"%1\" array").arg(listKey)};
    const QJsonValue list = document.object().value(listKey);
    if (!list.isArray())
        return Error{path, -1, QStringLiteral("missing the \"%1\" array").arg(listKey)};
    if (list.toArray().isEmpty())
        return Error{path, -1, QStringLiteral("the \"%1\" array is empty").arg(listKey)};
    return list.toArray();
}

CatalogEntry::CatalogEntry(QString file, int index, QJsonObject object)
    : file_(std::move(file)), index_(index), object_(std::move(object))
{
}

QString CatalogEntry::where() const
{
    const QString id = object_.value(QStringLiteral("id")).toString();
    return id.isEmpty() ? QStringLiteral("entry %1").arg(index_ + 1)
                        : QStringLiteral("entry %1 ('%2')").arg(index_ + 1).arg(id);
}

void CatalogEntry::fail(const QString& message)
{
    if (!error_)
        error_ = Error{file_, -1, where() + QStringLiteral(": ") + message};
}

QString CatalogEntry::requiredString(const char* key)
{
    const QJsonValue value = object_.value(QLatin1String(key));
    if (!value.isString() || value.toString().trimmed().isEmpty()) {
        fail(QStringLiteral("field '%1' must be a non-empty string").arg(QLatin1String(key)));
        return {};
    }
    return value.toString();
}

QString CatalogEntry::optionalString(const char* key) const
{
    return object_.value(QLatin1String(key)).toString();
}

double CatalogEntry::positiveNumber(const char* key)
{
    const QJsonValue value = object_.value(QLatin1String(key));
    if (!value.isDouble() || !std::isfinite(value.toDouble()) || value.toDouble() <= 0) {
        fail(value.isUndefined() ? QStringLiteral("field '%1' is missing").arg(QLatin1String(key))
                                 : QStringLiteral("field '%1' must be a positive number").arg(QLatin1String(key)));
        return 0;
    }
    return value.toDouble();
}

int CatalogEntry::positiveInteger(const char* key)
{
    const double number = positiveNumber(key);
    if (ok() && (number != std::floor(number) || number > 2e9)) {
        fail(QStringLiteral("field '%1' must be a whole number").arg(QLatin1String(key)));
        return 0;
    }
    return static_cast<int>(number);
}

int CatalogEntry::nonNegativeInteger(const char* key)
{
    const QJsonValue value = object_.value(QLatin1String(key));
    if (value.isDouble() && value.toDouble() == 0)
        return 0;
    return positiveInteger(key);
}

std::optional<double> CatalogEntry::optionalPositiveNumber(const char* key)
{
    const QJsonValue value = object_.value(QLatin1String(key));
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    return positiveNumber(key);
}

bool CatalogEntry::optionalBool(const char* key, bool fallback) const
{
    return object_.value(QLatin1String(key)).toBool(fallback);
}

QJsonObject CatalogEntry::requiredObject(const char* key)
{
    const QJsonValue value = object_.value(QLatin1String(key));
    if (!value.isObject()) {
        fail(QStringLiteral("field '%1' must be an object").arg(QLatin1String(key)));
        return {};
    }
    return value.toObject();
}

}  // namespace cstudio::budget
