#pragma once
// How the CUDA engine lays one tensor out for the kernels: which schemes apply, their device
// descriptions, the tile (a multiple of every metric group and of 256), the chunk alignment,
// and the CPU engine's own chunking (which decides when beyond-six-sigma is counted and where
// the ":tensor:mse" search tiles start, so both engines report the same).
#include "core/analysis/analysis_types.h"
#include "gpu/cuda_kernels.h"

#include <vector>

namespace cstudio {

struct CudaSchemeSlot {
    const Scheme* scheme = nullptr;
    bool applicable = true;
    QString note;
    bool tensorWide = false;
    qint64 metricLength = 0;
};

struct CudaTensorPlan {
    int index = -1;
    const TensorInfo* info = nullptr;
    std::vector<CudaSchemeSlot> slots;
    std::vector<int> launched;  // slot indices sent to the GPU, in order
    bool needsRange = false;
    bool needsSearch = false;
    qint64 alignment = 1;       // device chunks start at multiples of this
    int tileElements = 0;       // 0: too large for shared memory (the tensor goes to the CPU)
    qint64 cpuChunkLength = 0;
    qint64 cpuChunkCount = 0;
    bool outlierShare = false;  // AnalysisRequest::outlierShare: moments first, then beyond-6-sigma
    // Moments (and the range) before the analysis pass; exactly when the CPU engine counts
    // beyond-six-sigma: a prepass there, or the tensor is one CPU chunk.
    bool prepass() const { return needsRange || outlierShare || cpuChunkCount == 1; }
};

bool isTensorWideScheme(const Scheme& scheme);
CudaTensorPlan planCudaTensor(int index, const TensorInfo& info, const AnalysisRequest& request);
// The device form of a slot's scheme, tensor range filled in.
gpu::DeviceScheme deviceScheme(const CudaSchemeSlot& slot, const TensorRange& range);

}  // namespace cstudio
