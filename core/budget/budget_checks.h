#pragma once
// Input checks shared by the budget functions: each returns an Error that names the value and
// says what range is accepted, so bad input never becomes a NaN or a crash downstream.
#include "core/result.h"

namespace cstudio::budget {

inline constexpr double kMinBits = 1.0;   // below 1 bit per weight no catalog format exists
inline constexpr double kMaxBits = 64.0;  // FP64 is the widest storage anyone uses
inline constexpr double kMaxOverhead = 10.0;

Result<void> checkParams(double params, const char* what = "parameter count");
Result<void> checkActiveParams(double activeParams, double totalParams);
Result<void> checkBits(double bits, const char* what = "bits per weight");
Result<void> checkKvBits(double bits);
Result<void> checkDeviceMemory(double memoryGB);
Result<void> checkBandwidth(double bandwidthGBs);  // 0 allowed: unknown
Result<void> checkOverhead(double overhead);
Result<void> checkContext(double contextTokens);
Result<void> checkBatch(double batch);
Result<void> checkSystemRam(double systemRamGB);
Result<void> checkDeviceCount(int count);

}  // namespace cstudio::budget
