#pragma once
// One row of the hardware bill: a model at one precision on one kind of device. The GUI's
// readouts and charts and the CLI's table rows are all BudgetEstimates from estimateBudget().
#include "core/budget/device_catalog.h"
#include "core/budget/kv_cache.h"
#include "core/budget/model_catalog.h"
#include "core/result.h"

#include <optional>

namespace cstudio::budget {

struct BudgetInput {
    ModelSpec model;             // a catalog model, or customModel(name, params)
    double bitsPerWeight = 16;   // effective, scale overhead included
    DeviceSpec device;           // catalog device or a custom one
    int deviceCount = 1;         // devices you have, for the fit verdict and max context
    double overhead = 0.20;      // runtime overhead on top of weights + KV (seed: 20%)
    double contextTokens = 0;    // tokens cached per sequence
    double batch = 1;            // concurrent sequences
    double kvBits = 16;          // KV cache precision
    double systemRamGB = 0;      // host RAM that can take offloaded weights
};

enum class FitKind { FitsOnDevices, FitsWithOffload, DoesNotFit };

struct FitVerdict {
    FitKind kind = FitKind::DoesNotFit;
    int devicesUsed = 0;       // FitsOnDevices: how many of the deviceCount are needed
    double offloadGB = 0;      // FitsWithOffload: what goes to system RAM
    double shortfallGB = 0;    // DoesNotFit: what is missing beyond devices + system RAM
    QString text;              // "fits on 2 of 4 devices", ...
};

struct BudgetEstimate {
    double bitsPerWeight = 0;
    double weightsGB = 0;        // N x bits / 8 / 1e9
    double activeWeightsGB = 0;  // active N x bits / 8 / 1e9 (read per token)
    double kvGB = 0;
    double totalGB = 0;          // weights + KV
    double requiredGB = 0;       // total x (1 + overhead)
    int devicesNeeded = 0;       // ceil(required / device memory)
    double timesSmallerThan16Bit = 0;
    KvCacheEstimate kv;
    // Decode bound on devicesNeeded devices; absent when the device bandwidth is unknown.
    std::optional<double> stepsPerSecond;   // tokens/s of one sequence
    std::optional<double> tokensPerSecond;  // all sequences of the batch together
    // Cost of devicesNeeded devices; absent without a price.
    std::optional<double> costPerHour;
    std::optional<double> costPerMonth;
    std::optional<double> costPerMillionTokens;
    FitVerdict verdict;
};

Result<void> checkInput(const BudgetInput& input);
Result<BudgetEstimate> estimateBudget(const BudgetInput& input);

}  // namespace cstudio::budget
