#pragma once
// The catalog of devices (resources/catalogs/devices.json): memory, bandwidth and an hourly
// price where a public one exists. A custom device is a DeviceSpec filled in by hand.
#include "core/result.h"

#include <QString>
#include <optional>
#include <vector>

namespace cstudio::budget {

struct DeviceSpec {
    QString id;
    QString name;
    QString kind;  // "datacenter-gpu", "consumer-gpu", "unified-memory", "phone", "custom"
    double memoryGB = 0;      // 1 GB = 1e9 bytes
    double bandwidthGBs = 0;  // GB/s; 0 = unknown (no speed figures)
    std::optional<double> pricePerHour;  // US$ per device-hour
    QString priceSource;
    QString note;
};

inline QString builtinDeviceCatalogPath() { return QStringLiteral(":/catalogs/devices.json"); }

Result<std::vector<DeviceSpec>> loadDeviceCatalog(const QString& path);
const Result<std::vector<DeviceSpec>>& builtinDevices();
// By id or name, ignoring case ("h100-sxm", "NVIDIA H100 SXM 80GB").
const DeviceSpec* findDevice(const std::vector<DeviceSpec>& devices, const QString& idOrName);

// The seed's device: "GPUs assume 80 GB each", no bandwidth or price known.
DeviceSpec genericDevice(double memoryGB);

}  // namespace cstudio::budget
