#pragma once
// The CUDA engine's data path: pinned host staging buffers, two device slots on two streams,
// and the passes over one tensor (range and moments, ":tensor:mse" search, the fused analysis).
// A tensor that needs a tensor-wide scale stays resident on the device between its passes when
// it fits (read from the file once); other tensors stream chunk by chunk, the upload of one
// chunk overlapping the kernels of the previous one.
#include "core/analysis/chunk_metrics.h"
#include "core/formats/tensor_source.h"
#include "core/job_control.h"
#include "gpu/cuda_tensor_plan.h"

#include <array>
#include <functional>

namespace cstudio {

class CudaStaging {
public:
    CudaStaging();
    ~CudaStaging();
    CudaStaging(const CudaStaging&) = delete;
    CudaStaging& operator=(const CudaStaging&) = delete;

    Result<void> open(bool errorHistograms);
    Result<void> analyseTensor(const TensorSource& source, const CudaTensorPlan& plan, const AnalysisRequest& request,
                               std::vector<SchemeAccumulator>& schemes, std::vector<std::vector<float>>& groupRmse,
                               WeightMoments& moments, TensorRange& range, qint64& beyondSixSigma,
                               const JobControl& control, const std::function<void(qint64)>& progress);

    // Bytes of weights a device slot holds at most (a tensor up to this size is read once).
    qint64 slotBytes() const { return slotBytes_; }

private:
    struct Slot;
    enum class Pass { Moments, Search, Analysis };
    Result<void> upload(Slot& slot, const TensorSource& source, int index, const RawTensorBytes& raw, qint64 first, qint64 count);
    Result<void> launch(Slot& slot, Pass pass, const CudaTensorPlan& plan, const TensorRange& range,
                        const WeightMoments& moments, qint64 first, qint64 count, bool keepGroups);
    Result<void> harvest(Slot& slot, const CudaTensorPlan& plan, std::vector<SchemeAccumulator>& schemes,
                         std::vector<std::vector<float>>& groupRmse, WeightMoments& moments,
                         std::vector<std::array<double, gpu::kClipRatioCount>>& search, qint64& beyond);

    bool errorHistograms_ = true;
    qint64 slotBytes_ = 0;
    qint64 pieceBytes_ = 64 << 20;
    std::array<void*, 2> pinned_{};
    std::array<void*, 2> pinnedEvents_{};  // cudaEvent_t
    int nextPinned_ = 0;
    std::vector<std::unique_ptr<Slot>> slots_;
};

}  // namespace cstudio
