#include "core/budget/budget_estimate.h"

#include "core/budget/budget_checks.h"
#include "core/budget/budget_math.h"

#include <cmath>

namespace cstudio::budget {
namespace {

FitVerdict fitVerdict(double requiredGB, const BudgetInput& input)
{
    FitVerdict verdict;
    const double deviceMemoryGB = input.device.memoryGB;
    const double availableGB = deviceMemoryGB * input.deviceCount;
    const QString plural = input.deviceCount == 1 ? QString() : QStringLiteral("s");
    if (requiredGB <= availableGB) {
        verdict.kind = FitKind::FitsOnDevices;
        verdict.devicesUsed = std::max(1, static_cast<int>(std::ceil(requiredGB / deviceMemoryGB)));
        verdict.text = QStringLiteral("Fits on %1 of your %2 device%3").arg(verdict.devicesUsed).arg(input.deviceCount).arg(plural);
        return verdict;
    }
    const double overflowGB = requiredGB - availableGB;
    if (overflowGB <= input.systemRamGB) {
        verdict.kind = FitKind::FitsWithOffload;
        verdict.devicesUsed = input.deviceCount;
        verdict.offloadGB = overflowGB;
        verdict.text = QStringLiteral("Fits with %1 GB offloaded to system RAM (slow: those layers run at RAM bandwidth)")
                           .arg(overflowGB, 0, 'f', 1);
        return verdict;
    }
    verdict.kind = FitKind::DoesNotFit;
    verdict.shortfallGB = overflowGB - input.systemRamGB;
    verdict.text = QStringLiteral("Does not fit: %1 GB short on %2 device%3 + %4 GB system RAM")
                       .arg(verdict.shortfallGB, 0, 'f', 1)
                       .arg(input.deviceCount)
                       .arg(plural)
                       .arg(input.systemRamGB, 0, 'f', 0);
    return verdict;
}

}  // namespace

Result<void> checkInput(const BudgetInput& input)
{
    const Result<void> checks[] = {
        checkParams(input.model.totalParams),
        checkActiveParams(input.model.activeParams, input.model.totalParams),
        checkBits(input.bitsPerWeight),
        checkDeviceMemory(input.device.memoryGB),
        checkBandwidth(input.device.bandwidthGBs),
        checkDeviceCount(input.deviceCount),
        checkOverhead(input.overhead),
        checkContext(input.contextTokens),
        checkBatch(input.batch),
        checkKvBits(input.kvBits),
        checkSystemRam(input.systemRamGB),
    };
    for (const Result<void>& check : checks)
        if (!check)
            return check;
    if (input.device.pricePerHour && (!std::isfinite(*input.device.pricePerHour) || *input.device.pricePerHour < 0))
        return Error{QString(), -1, QStringLiteral("price per hour must be zero or positive")};
    return {};
}

Result<BudgetEstimate> estimateBudget(const BudgetInput& input)
{
    if (Result<void> check = checkInput(input); !check)
        return check.error();
    Result<KvCacheEstimate> kv = kvCache(input.model, input.contextTokens, input.batch, input.kvBits);
    if (!kv)
        return kv.error();

    BudgetEstimate estimate;
    estimate.bitsPerWeight = input.bitsPerWeight;
    estimate.kv = *kv;
    const double weights = input.model.totalParams * input.bitsPerWeight / 8.0;
    const double activeWeights = input.model.activeParams * input.bitsPerWeight / 8.0;
    estimate.weightsGB = weights / kBytesPerGB;
    estimate.activeWeightsGB = activeWeights / kBytesPerGB;
    estimate.kvGB = kv->bytes / kBytesPerGB;
    estimate.totalGB = estimate.weightsGB + estimate.kvGB;
    estimate.requiredGB = estimate.totalGB * (1.0 + input.overhead);
    Result<int> devices = devicesNeeded(weights + kv->bytes, input.device.memoryGB, input.overhead);
    if (!devices)
        return devices.error();
    estimate.devicesNeeded = *devices;
    estimate.timesSmallerThan16Bit = 16.0 / input.bitsPerWeight;

    if (input.device.bandwidthGBs > 0) {
        // One decode step reads the active weights once and every sequence's KV cache once,
        // and yields one token per sequence. Exact for dense models; for MoE at batch > 1
        // different tokens may route to different experts, so this is an upper bound.
        Result<double> steps = decodeStepsPerSecond(input.device.bandwidthGBs * estimate.devicesNeeded, activeWeights + kv->bytes);
        if (steps) {
            estimate.stepsPerSecond = *steps;
            estimate.tokensPerSecond = *steps * input.batch;
        }
    }
    if (input.device.pricePerHour) {
        estimate.costPerHour = *input.device.pricePerHour * estimate.devicesNeeded;
        estimate.costPerMonth = *estimate.costPerHour * kHoursPerMonth;
        if (estimate.tokensPerSecond) {
            Result<double> perMillion = costPerMillionTokens(*estimate.costPerHour, *estimate.tokensPerSecond);
            if (perMillion)
                estimate.costPerMillionTokens = *perMillion;
        }
    }
    estimate.verdict = fitVerdict(estimate.requiredGB, input);
    return estimate;
}

}  // namespace cstudio::budget
