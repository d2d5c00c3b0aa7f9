#include "core/budget/device_catalog.h"

#include "core/budget/catalog_entry.h"

#include <QSet>

namespace cstudio::budget {

Result<std::vector<DeviceSpec>> loadDeviceCatalog(const QString& path)
{
    Result<QJsonArray> array = readCatalogArray(path, QStringLiteral("devices"));
    if (!array)
        return array.error();
    std::vector<DeviceSpec> devices;
    QSet<QString> ids;
    for (int index = 0; index < array->size(); ++index) {
        CatalogEntry entry(path, index, array->at(index).toObject());
        DeviceSpec device;
        device.id = entry.requiredString("id");
        device.name = entry.requiredString("name");
        device.kind = entry.requiredString("kind");
        device.memoryGB = entry.positiveNumber("memory_gb");
        device.bandwidthGBs = entry.positiveNumber("bandwidth_gbs");
        device.pricePerHour = entry.optionalPositiveNumber("price_per_hour");
        device.priceSource = entry.optionalString("price_source");
        device.note = entry.optionalString("note");
        if (entry.ok() && device.pricePerHour && device.priceSource.isEmpty())
            entry.fail(QStringLiteral("a price_per_hour needs a price_source"));
        if (entry.ok() && ids.contains(device.id.toLower()))
            entry.fail(QStringLiteral("duplicate id"));
        if (!entry.ok())
            return entry.error();
        ids.insert(device.id.toLower());
        devices.push_back(std::move(device));
    }
    return devices;
}

const Result<std::vector<DeviceSpec>>& builtinDevices()
{
    static const Result<std::vector<DeviceSpec>> catalog = loadDeviceCatalog(builtinDeviceCatalogPath());
    return catalog;
}

const DeviceSpec* findDevice(const std::vector<DeviceSpec>& devices, const QString& idOrName)
{
    for (const DeviceSpec& device : devices) {
        if (device.id.compare(idOrName, Qt::CaseInsensitive) == 0
            || device.name.compare(idOrName, Qt::CaseInsensitive) == 0)
            return &device;
    }
    return nullptr;
}

DeviceSpec genericDevice(double memoryGB)
{
    DeviceSpec device;
    device.id = QStringLiteral("custom");
    device.name = QStringLiteral("%1 GB GPU").arg(memoryGB);
    device.kind = QStringLiteral("custom");
    device.memoryGB = memoryGB;
    return device;
}

}  // namespace cstudio::budget
