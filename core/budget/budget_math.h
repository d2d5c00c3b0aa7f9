#pragma once
// The seed formulas (seed 000, "The bill, bit by bit"):
//   memory  = N x bits / 8 bytes              (GB = 1e9 bytes)
//   devices = ceil(memory x (1 + overhead) / device memory), overhead 20% by default
// and the decode bound of seed 002 ("why bits are speed"): at small batch every new token
// reads all active weights (and the KV cache) from memory once, so
//   steps/s <= aggregate bandwidth / (active weight bytes + KV bytes).
#include "core/result.h"

namespace cstudio::budget {

inline constexpr double kBytesPerGB = 1e9;
inline constexpr double kDefaultOverhead = 0.20;
inline constexpr double kDefaultDeviceMemoryGB = 80;  // the seed's GPU
inline constexpr double kHoursPerMonth = 730;         // 24 x 365 / 12

// N x bits / 8, in bytes.
Result<double> weightBytes(double params, double bitsPerWeight);
// ceil(memory x (1 + overhead) / device memory); at least 1 device.
Result<int> devicesNeeded(double memoryBytes, double deviceMemoryGB, double overhead = kDefaultOverhead);
// How many times smaller than 16-bit weights: 16 / bits (0.5 at 32 bits, 4 at 4 bits).
Result<double> timesSmallerThan16Bit(double bitsPerWeight);
// Decode steps per second bound: bandwidth / bytes read per step.
Result<double> decodeStepsPerSecond(double aggregateBandwidthGBs, double bytesPerStep);
// US$ per million tokens at `tokensPerSecond` for a deployment costing `dollarsPerHour`.
Result<double> costPerMillionTokens(double dollarsPerHour, double tokensPerSecond);

}  // namespace cstudio::budget
