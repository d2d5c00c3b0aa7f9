#pragma once
// The CUDA implementation of AnalysisEngine (core/analysis/analysis_engine.h): the same schemes
// and metrics as the CPU engine, equal to it up to the order of double additions (bit-identical
// dequantized values, the CPU's per-group float sums). Weights stream from the TensorSource
// through pinned staging buffers onto two device slots on two streams, so copies overlap the
// kernels and a model larger than GPU memory runs; 16-bit weights travel as they are stored
// (TensorSource::rawBytes) and are converted on the GPU. See gpu/README.md for the design.
#include "core/analysis/analysis_engine.h"

namespace cstudio {

class CudaAnalysisEngine final : public AnalysisEngine {
public:
    explicit CudaAnalysisEngine(int device = 0);
    QString id() const override { return QStringLiteral("cuda"); }
    QString deviceName() const override;
    Result<AnalysisResult> run(const TensorSource& source, const AnalysisRequest& request,
                               const JobControl& control) const override;

private:
    int device_;
};

// True when the CUDA runtime finds at least one device (false, quietly, without a driver).
bool cudaAnalysisAvailable();

// Adds "cuda" to the engine registry (priority 10, available() = cudaAnalysisAvailable()).
// cstudio_gpu is a static library: main() calls this under CSTUDIO_HAVE_CUDA.
void registerCudaAnalysisEngine();

}  // namespace cstudio
