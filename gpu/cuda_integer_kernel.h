#pragma once
// The integer instance of the fused analysis kernel (cuda_integer_kernel.cu): launches whose
// schemes are all int/uint. launchAnalysis() routes them here.
#include "gpu/cuda_kernels.h"

namespace cstudio::gpu {

cudaError_t uploadIntegerKernelTables(const DeviceTables& tables);
// Shared memory the integer kernel needs at most (any encoding).
int integerKernelSharedBytes(int tileElements, int schemeCount);
cudaError_t launchIntegerAnalysis(const AnalysisLaunch& launch, const DeviceOutputs& outputs, cudaStream_t stream);

}  // namespace cstudio::gpu
