#include "gpu/cuda_tensor_plan.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace cstudio {

namespace {
constexpr qint64 kMinimumTile = 8192;  // 128 groups of 64 for 128 threads

gpu::DeviceSchemeKind deviceKind(SchemeKind kind)
{
    switch (kind) {
    case SchemeKind::SymmetricInt: return gpu::DeviceSchemeKind::SymmetricInt;
    case SchemeKind::AsymmetricInt: return gpu::DeviceSchemeKind::AsymmetricInt;
    case SchemeKind::Nf4: return gpu::DeviceSchemeKind::Nf4;
    case SchemeKind::Fp8E4M3: return gpu::DeviceSchemeKind::Fp8E4M3;
    case SchemeKind::Fp8E5M2: return gpu::DeviceSchemeKind::Fp8E5M2;
    case SchemeKind::MxFp4: return gpu::DeviceSchemeKind::MxFp4;
    case SchemeKind::NvFp4: return gpu::DeviceSchemeKind::NvFp4;
    case SchemeKind::Bf16: return gpu::DeviceSchemeKind::Bf16;
    case SchemeKind::Fp16: return gpu::DeviceSchemeKind::Fp16;
    case SchemeKind::GgufQ8_0: return gpu::DeviceSchemeKind::Q8_0;
    case SchemeKind::GgufQ4_0: return gpu::DeviceSchemeKind::Q4_0;
    case SchemeKind::GgufQ4_1: return gpu::DeviceSchemeKind::Q4_1;
    case SchemeKind::GgufQ5_0: return gpu::DeviceSchemeKind::Q5_0;
    case SchemeKind::GgufQ5_1: return gpu::DeviceSchemeKind::Q5_1;
    case SchemeKind::GgufQ2_K: return gpu::DeviceSchemeKind::Q2_K;
    case SchemeKind::GgufQ3_K: return gpu::DeviceSchemeKind::Q3_K;
    case SchemeKind::GgufQ4_K: return gpu::DeviceSchemeKind::Q4_K;
    case SchemeKind::GgufQ5_K: return gpu::DeviceSchemeKind::Q5_K;
    case SchemeKind::GgufQ6_K: return gpu::DeviceSchemeKind::Q6_K;
    }
    return gpu::DeviceSchemeKind::SymmetricInt;
}
}  // namespace

bool isTensorWideScheme(const Scheme& scheme)
{
    return scheme.granularity == Granularity::Tensor || scheme.granularity == Granularity::Element ||
           scheme.kind == SchemeKind::Fp8E4M3 || scheme.kind == SchemeKind::Fp8E5M2;
}

CudaTensorPlan planCudaTensor(int index, const TensorInfo& info, const AnalysisRequest& request)
{
    CudaTensorPlan plan;
    plan.index = index;
    plan.info = &info;
    plan.outlierShare = request.outlierShare;
    qint64 alignment = 1, tile = gpu::kTensorWideBlock, cpuTileUnit = gpu::kTensorWideBlock;
    for (const Scheme& scheme : request.schemes) {
        CudaSchemeSlot slot;
        slot.scheme = &scheme;
        slot.applicable = scheme.appliesTo(info, &slot.note);
        slot.tensorWide = isTensorWideScheme(scheme);
        slot.metricLength = slot.tensorWide ? gpu::kTensorWideBlock : scheme.groupLength(info);
        if (slot.applicable) {
            alignment = std::lcm(alignment, scheme.alignment(info));
            cpuTileUnit = std::lcm(cpuTileUnit, std::lcm(scheme.alignment(info), slot.metricLength));
            tile = std::lcm(tile, slot.metricLength);
            plan.needsRange = plan.needsRange || scheme.needsTensorRange();
            plan.needsSearch = plan.needsSearch || (scheme.mseClip && slot.tensorWide);
            plan.launched.push_back(static_cast<int>(plan.slots.size()));
        }
        plan.slots.push_back(slot);
    }
    // The CPU engine's chunking (cpu_analysis_engine.cpp planTensor).
    const qint64 cpuAlignment = std::lcm(alignment, cpuTileUnit);
    const qint64 target = std::max<qint64>(request.chunkElements, 1);
    plan.cpuChunkLength = std::max<qint64>(
        1, std::min(info.elementCount, ((std::max(target, cpuAlignment) + cpuAlignment - 1) / cpuAlignment) * cpuAlignment));
    plan.cpuChunkCount = (info.elementCount + plan.cpuChunkLength - 1) / plan.cpuChunkLength;

    if (tile < kMinimumTile)
        tile *= (kMinimumTile + tile - 1) / tile;
    const bool fits = tile <= (1 << 20) &&
                      gpu::analysisSharedBytes(static_cast<int>(tile), static_cast<int>(plan.launched.size())) > 0 &&
                      plan.launched.size() <= static_cast<std::size_t>(gpu::kMaxSchemesPerPass);
    plan.tileElements = fits ? static_cast<int>(tile) : 0;
    plan.alignment = std::lcm(alignment, tile);
    return plan;
}

gpu::DeviceScheme deviceScheme(const CudaSchemeSlot& slot, const TensorRange& range)
{
    const Scheme& scheme = *slot.scheme;
    gpu::DeviceScheme d;
    d.kind = deviceKind(scheme.kind);
    d.metricLength = static_cast<int>(slot.metricLength);
    d.tensorWide = slot.tensorWide ? 1 : 0;
    d.mseClip = scheme.mseClip ? 1 : 0;
    d.doubleQuantized = scheme.doubleQuantized ? 1 : 0;
    if (scheme.kind == SchemeKind::SymmetricInt) {
        d.levelLow = -std::ldexp(1.0f, scheme.elementBits - 1);
        d.levelHigh = std::ldexp(1.0f, scheme.elementBits - 1) - 1.0f;
    } else {
        d.levelLow = 0.0f;
        d.levelHigh = std::ldexp(1.0f, scheme.elementBits) - 1.0f;
    }
    d.absMax = range.absMax;
    d.minValue = range.minValue;
    d.maxValue = range.maxValue;
    d.rangeNonFinite = range.nonFiniteCount;
    d.rangeValid = range.valid ? 1 : 0;
    d.clipRatio = range.clipRatio;
    return d;
}

}  // namespace cstudio
