#pragma once
// Reading one catalog (formats.json, models.json, devices.json): the file is parsed with
// QJsonDocument and each entry is read through a CatalogEntry, which checks types and ranges
// and remembers the first problem as an Error naming the file, the entry and the field, so a
// malformed catalog is reported in words a user can act on instead of becoming a zero.
#include "core/result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <optional>

namespace cstudio::budget {

// Reads `path` (a file or a Qt resource such as ":/catalogs/models.json"), checks that it is
// a JSON object, and returns the array stored under `listKey` ("models").
Result<QJsonArray> readCatalogArray(const QString& path, const QString& listKey);

class CatalogEntry {
public:
    CatalogEntry(QString file, int index, QJsonObject object);

    QString requiredString(const char* key);
    QString optionalString(const char* key) const;
    double positiveNumber(const char* key);
    int positiveInteger(const char* key);
    int nonNegativeInteger(const char* key);
    std::optional<double> optionalPositiveNumber(const char* key);  // absent or null -> nullopt
    bool optionalBool(const char* key, bool fallback) const;
    QJsonObject requiredObject(const char* key);

    // Records a problem found by the caller (e.g. "active_params exceeds total_params").
    void fail(const QString& message);
    bool ok() const { return !error_.has_value(); }
    Error error() const { return *error_; }

private:
    QString where() const;  // "entry 3 ('h100-sxm')"

    QString file_;
    int index_;
    QJsonObject object_;
    std::optional<Error> error_;
};

}  // namespace cstudio::budget
