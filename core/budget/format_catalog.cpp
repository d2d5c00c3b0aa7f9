#include "core/budget/format_catalog.h"

#include "core/budget/catalog_entry.h"

#include <QSet>

namespace cstudio::budget {

Result<std::vector<QuantFormat>> loadFormatCatalog(const QString& path)
{
    Result<QJsonArray> array = readCatalogArray(path, QStringLiteral("formats"));
    if (!array)
        return array.error();
    std::vector<QuantFormat> formats;
    QSet<QString> ids;
    for (int index = 0; index < array->size(); ++index) {
        CatalogEntry entry(path, index, array->at(index).toObject());
        QuantFormat format;
        format.id = entry.requiredString("id");
        format.name = entry.requiredString("name");
        format.shortName = entry.optionalString("short_name");
        if (format.shortName.isEmpty())
            format.shortName = format.name;
        format.family = entry.requiredString("family");
        format.elementBits = entry.positiveNumber("element_bits");
        format.bitsPerWeight = entry.positiveNumber("bits_per_weight");
        format.scheme = entry.optionalString("scheme");
        format.qualityCost = entry.optionalString("quality_cost");
        format.bitsDerivation = entry.requiredString("bits_derivation");
        format.whereYouMeetIt = entry.requiredString("where_you_meet_it");
        if (entry.ok() && format.bitsPerWeight < format.elementBits)
            entry.fail(QStringLiteral("bits_per_weight %1 is below element_bits %2: scales cannot make a format smaller")
                           .arg(format.bitsPerWeight)
                           .arg(format.elementBits));
        if (entry.ok() && format.bitsPerWeight > 64)
            entry.fail(QStringLiteral("bits_per_weight %1 is above 64").arg(format.bitsPerWeight));
        if (entry.ok() && ids.contains(format.id.toLower()))
            entry.fail(QStringLiteral("duplicate id"));
        if (!entry.ok())
            return entry.error();
        ids.insert(format.id.toLower());
        formats.push_back(std::move(format));
    }
    return formats;
}

const Result<std::vector<QuantFormat>>& builtinFormats()
{
    static const Result<std::vector<QuantFormat>> catalog = loadFormatCatalog(builtinFormatCatalogPath());
    return catalog;
}

const QuantFormat* findFormat(const std::vector<QuantFormat>& formats, const QString& idOrName)
{
    for (const QuantFormat& format : formats) {
        if (format.id.compare(idOrName, Qt::CaseInsensitive) == 0
            || format.name.compare(idOrName, Qt::CaseInsensitive) == 0)
            return &format;
    }
    return nullptr;
}

}  // namespace cstudio::budget
