// The integer instance of the fused analysis kernel: every scheme of the launch is int/uint, so
// the kernel holds only their passes (device_fast_integer.cuh) and gets the registers those
// need, and 16-bit weights stream into shared memory with cp.async while the previous tile is
// measured.
namespace cstudio::gpu {
namespace {
// Vector reads of whole groups: four floats of padding per 64 elements.
struct TileLayout {
    static constexpr int kPadShift = 6, kPadWidth = 4;
    static constexpr bool kVector = true;
};
}  // namespace
}  // namespace cstudio::gpu

#include "gpu/cuda_integer_kernel.h"
#include "gpu/device_analysis_kernel.cuh"

#include <algorithm>

namespace cstudio::gpu {

cudaError_t uploadIntegerKernelTables(const DeviceTables& tables)
{
    return cudaMemcpyToSymbol(cTables, &tables, sizeof(tables));
}

int integerKernelSharedBytes(int tileElements, int schemeCount)
{
    return std::max(sharedLayout(tileElements, schemeCount, RawEncoding::F32, tileElements / 32).total,
                    sharedLayout(tileElements, schemeCount, RawEncoding::BF16, tileElements / 32).total);
}

cudaError_t launchIntegerAnalysis(const AnalysisLaunch& launch, const DeviceOutputs& outputs, cudaStream_t stream)
{
    const int fastLength = fastGroupLength(launch);
    const int bytes = sharedLayout(launch.tileElements, launch.schemeCount, launch.encoding,
                                   fastLength ? launch.tileElements / fastLength : 0).total;
    cudaError_t e = cudaFuncSetAttribute(analysisKernel<true>, cudaFuncAttributeMaxDynamicSharedMemorySize, bytes);
    if (e != cudaSuccess)
        return e;
    analysisKernel<true><<<launch.blocks, kThreads, bytes, stream>>>(launch, outputs);
    return cudaGetLastError();
}

}  // namespace cstudio::gpu
