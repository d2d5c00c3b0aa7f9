#include "core/budget/budget_math.h"

#include "core/budget/budget_checks.h"

#include <cmath>

namespace cstudio::budget {

Result<double> weightBytes(double params, double bitsPerWeight)
{
    if (Result<void> check = checkParams(params); !check)
        return check.error();
    if (Result<void> check = checkBits(bitsPerWeight); !check)
        return check.error();
    return params * bitsPerWeight / 8.0;
}

Result<int> devicesNeeded(double memoryBytes, double deviceMemoryGB, double overhead)
{
    if (!std::isfinite(memoryBytes) || memoryBytes < 0)
        return Error{QString(), -1, QStringLiteral("memory must be a non-negative number of bytes")};
    if (Result<void> check = checkDeviceMemory(deviceMemoryGB); !check)
        return check.error();
    if (Result<void> check = checkOverhead(overhead); !check)
        return check.error();
    const double needed = std::ceil(memoryBytes * (1.0 + overhead) / (deviceMemoryGB * kBytesPerGB));
    if (needed > 1e9)
        return Error{QString(), -1, QStringLiteral("more than a billion devices needed: check the device memory")};
    return std::max(1, static_cast<int>(needed));
}

Result<double> timesSmallerThan16Bit(double bitsPerWeight)
{
    if (Result<void> check = checkBits(bitsPerWeight); !check)
        return check.error();
    return 16.0 / bitsPerWeight;
}

Result<double> decodeStepsPerSecond(double aggregateBandwidthGBs, double bytesPerStep)
{
    if (!std::isfinite(aggregateBandwidthGBs) || aggregateBandwidthGBs <= 0)
        return Error{QString(), -1, QStringLiteral("bandwidth unknown: no speed bound")};
    if (!std::isfinite(bytesPerStep) || bytesPerStep <= 0)
        return Error{QString(), -1, QStringLiteral("bytes read per token must be positive")};
    return aggregateBandwidthGBs * kBytesPerGB / bytesPerStep;
}

Result<double> costPerMillionTokens(double dollarsPerHour, double tokensPerSecond)
{
    if (!std::isfinite(dollarsPerHour) || dollarsPerHour < 0)
        return Error{QString(), -1, QStringLiteral("price per hour must be zero or positive")};
    if (!std::isfinite(tokensPerSecond) || tokensPerSecond <= 0)
        return Error{QString(), -1, QStringLiteral("tokens per second must be positive")};
    return dollarsPerHour / (tokensPerSecond * 3600.0) * 1e6;
}

}  // namespace cstudio::budget
