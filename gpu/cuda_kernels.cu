// The general instance of the fused analysis kernel (device_analysis_kernel.cuh) and the
// launchers: launches whose schemes are all int/uint go to the integer instance instead
// (cuda_integer_kernel.cu).
namespace cstudio::gpu {
namespace {
// Scalar reads of any group length: one float of padding per 32 elements.
struct TileLayout {
    static constexpr int kPadShift = 5, kPadWidth = 1;
    static constexpr bool kVector = false;
};
}  // namespace
}  // namespace cstudio::gpu

#include "gpu/cuda_integer_kernel.h"
#include "gpu/device_analysis_kernel.cuh"

#include <algorithm>

namespace cstudio::gpu {

cudaError_t uploadAuxTables(const DeviceTables& tables);  // cuda_aux_kernels.cu

cudaError_t uploadTables(const DeviceTables& tables)
{
    cudaError_t e = cudaMemcpyToSymbol(cTables, &tables, sizeof(tables));
    if (e == cudaSuccess)
        e = uploadIntegerKernelTables(tables);
    return e != cudaSuccess ? e : uploadAuxTables(tables);
}

int analysisBlocks(long long elementCount, int tileElements)
{
    static int multiprocessors = 0;
    if (multiprocessors == 0) {
        int device = 0;
        cudaGetDevice(&device);
        cudaDeviceGetAttribute(&multiprocessors, cudaDevAttrMultiProcessorCount, device);
        if (multiprocessors <= 0)
            multiprocessors = 1;
    }
    const long long tiles = (elementCount + tileElements - 1) / tileElements;
    return static_cast<int>(std::max(1LL, std::min(tiles, 8LL * multiprocessors)));
}

bool isIntegerLaunch(const AnalysisLaunch& launch)
{
    for (int s = 0; s < launch.schemeCount; ++s)
        if (launch.schemes[s].kind != DeviceSchemeKind::SymmetricInt && launch.schemes[s].kind != DeviceSchemeKind::AsymmetricInt)
            return false;
    return true;
}

int analysisSharedBytes(int tileElements, int schemeCount)
{
    int device = 0, limit = 0;
    cudaGetDevice(&device);
    cudaDeviceGetAttribute(&limit, cudaDevAttrMaxSharedMemoryPerBlockOptin, device);
    const int bytes = std::max(sharedLayout(tileElements, schemeCount, RawEncoding::F32, 0).total,
                               integerKernelSharedBytes(tileElements, schemeCount));
    return bytes <= limit ? bytes : 0;
}

cudaError_t launchAnalysis(const AnalysisLaunch& launch, const DeviceOutputs& outputs, cudaStream_t stream)
{
    if (isIntegerLaunch(launch))
        return launchIntegerAnalysis(launch, outputs, stream);
    const int bytes = sharedLayout(launch.tileElements, launch.schemeCount, launch.encoding, 0).total;
    cudaError_t e = cudaFuncSetAttribute(analysisKernel<false>, cudaFuncAttributeMaxDynamicSharedMemorySize, bytes);
    if (e != cudaSuccess)
        return e;
    analysisKernel<false><<<launch.blocks, kThreads, bytes, stream>>>(launch, outputs);
    return cudaGetLastError();
}

}  // namespace cstudio::gpu
