#include "core/budget/budget_checks.h"

#include <cmath>

namespace cstudio::budget {
namespace {
Error invalid(const QString& message) { return Error{QString(), -1, message}; }
QString shown(double value) { return std::isnan(value) ? QStringLiteral("NaN") : QString::number(value, 'g', 6); }
}  // namespace

Result<void> checkParams(double params, const char* what)
{
    if (!std::isfinite(params) || params <= 0)
        return invalid(QStringLiteral("%1 must be a positive number, got %2").arg(QLatin1String(what), shown(params)));
    if (params > 1e15)
        return invalid(QStringLiteral("%1 %2 is beyond any model (max 1e15)").arg(QLatin1String(what), shown(params)));
    return {};
}

Result<void> checkActiveParams(double activeParams, double totalParams)
{
    if (Result<void> check = checkParams(activeParams, "active parameter count"); !check)
        return check;
    if (activeParams > totalParams)
        return invalid(QStringLiteral("active parameters %1 exceed the total %2").arg(shown(activeParams), shown(totalParams)));
    return {};
}

Result<void> checkBits(double bits, const char* what)
{
    if (!std::isfinite(bits) || bits < kMinBits || bits > kMaxBits)
        return invalid(QStringLiteral("%1 must be between %2 and %3, got %4")
                           .arg(QLatin1String(what))
                           .arg(kMinBits)
                           .arg(kMaxBits)
                           .arg(shown(bits)));
    return {};
}

Result<void> checkKvBits(double bits)
{
    if (!std::isfinite(bits) || bits < kMinBits || bits > 32)
        return invalid(QStringLiteral("KV cache bits must be between 1 and 32, got %1").arg(shown(bits)));
    return {};
}

Result<void> checkDeviceMemory(double memoryGB)
{
    if (!std::isfinite(memoryGB) || memoryGB <= 0)
        return invalid(QStringLiteral("device memory must be a positive number of GB, got %1").arg(shown(memoryGB)));
    return {};
}

Result<void> checkBandwidth(double bandwidthGBs)
{
    if (!std::isfinite(bandwidthGBs) || bandwidthGBs < 0)
        return invalid(QStringLiteral("device bandwidth must be a positive number of GB/s, got %1").arg(shown(bandwidthGBs)));
    return {};
}

Result<void> checkOverhead(double overhead)
{
    if (!std::isfinite(overhead) || overhead < 0 || overhead > kMaxOverhead)
        return invalid(QStringLiteral("overhead must be between 0 and %1 (a fraction: 0.2 = 20%), got %2")
                           .arg(kMaxOverhead)
                           .arg(shown(overhead)));
    return {};
}

Result<void> checkContext(double contextTokens)
{
    if (!std::isfinite(contextTokens) || contextTokens < 0)
        return invalid(QStringLiteral("context must be zero or a positive number of tokens, got %1").arg(shown(contextTokens)));
    if (contextTokens > 1e9)
        return invalid(QStringLiteral("context %1 tokens is beyond any model (max 1e9)").arg(shown(contextTokens)));
    return {};
}

Result<void> checkBatch(double batch)
{
    if (!std::isfinite(batch) || batch < 1 || batch > 1e6)
        return invalid(QStringLiteral("batch must be between 1 and 1e6 sequences, got %1").arg(shown(batch)));
    return {};
}

Result<void> checkSystemRam(double systemRamGB)
{
    if (!std::isfinite(systemRamGB) || systemRamGB < 0)
        return invalid(QStringLiteral("system RAM must be zero or a positive number of GB, got %1").arg(shown(systemRamGB)));
    return {};
}

Result<void> checkDeviceCount(int count)
{
    if (count < 1 || count > 100000)
        return invalid(QStringLiteral("device count must be between 1 and 100000, got %1").arg(count));
    return {};
}

}  // namespace cstudio::budget
