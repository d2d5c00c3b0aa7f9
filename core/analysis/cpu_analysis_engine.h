#pragma once
// The CPU implementation of AnalysisEngine: std::thread workers pull chunks of all selected
// tensors; each chunk is read once and every scheme is applied to it tile by tile from cache.
// Tensors that need a tensor-wide scale and span several chunks get a cheap range pass first
// (and a clip-ratio search pass for ":tensor:mse"); tensors of one chunk are read only once.
#include "core/analysis/analysis_engine.h"

namespace cstudio {

class CpuAnalysisEngine final : public AnalysisEngine {
public:
    explicit CpuAnalysisEngine(int threads = 0);  // 0 = all cores
    QString id() const override { return QStringLiteral("cpu"); }
    QString deviceName() const override;
    Result<AnalysisResult> run(const TensorSource& source, const AnalysisRequest& request,
                               const JobControl& control) const override;

private:
    int threads_;
};

}  // namespace cstudio
