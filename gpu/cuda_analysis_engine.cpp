#include "gpu/cuda_analysis_engine.h"

#include "core/analysis/analysis_aggregation.h"
#include "core/analysis/chunk_metrics.h"
#include "core/analysis/cpu_analysis_engine.h"
#include "core/quant/integer_quantizer.h"
#include "core/quant/nf4_quantizer.h"
#include "gpu/cuda_staging.h"
#include "gpu/cuda_tensor_plan.h"

#include <QElapsedTimer>
#include <algorithm>
#include <cmath>
#include <cuda_runtime_api.h>

namespace cstudio {

namespace {

// Sums of one tensor while its chunks come back (merged in chunk order: deterministic).
struct TensorTotals {
    std::vector<SchemeAccumulator> schemes;  // per slot
    std::vector<std::vector<float>> groupRmse;
    WeightMoments moments;
    TensorRange range;
    qint64 beyondSixSigma = 0;
};

QString cudaError(cudaError_t e, const char* what)
{
    return QStringLiteral("CUDA %1 failed: %2").arg(QLatin1String(what), QString::fromLatin1(cudaGetErrorString(e)));
}

}  // namespace

CudaAnalysisEngine::CudaAnalysisEngine(int device) : device_(device) {}

QString CudaAnalysisEngine::deviceName() const
{
    cudaDeviceProp properties{};
    if (cudaGetDeviceProperties(&properties, device_) != cudaSuccess)
        return QStringLiteral("CUDA device %1 (unavailable)").arg(device_);
    return QStringLiteral("%1 (CUDA)").arg(QString::fromLatin1(properties.name));
}

Result<AnalysisResult> CudaAnalysisEngine::run(const TensorSource& source, const AnalysisRequest& request,
                                               const JobControl& control) const
{
    QElapsedTimer timer;
    timer.start();
    if (request.schemes.empty())
        return Error{{}, -1, QStringLiteral("no quantization scheme selected")};
    if (const cudaError_t e = cudaSetDevice(device_); e != cudaSuccess)
        return Error{{}, -1, cudaError(e, "cudaSetDevice")};

    const auto& tensors = source.tensors();
    AnalysisResult result;
    std::vector<CudaTensorPlan> plans;
    for (int i = 0; i < static_cast<int>(tensors.size()); ++i) {
        const TensorInfo& info = tensors[static_cast<std::size_t>(i)];
        const bool wanted = request.tensorIndices.empty()
                                ? info.decodable && info.elementCount > 0 && (request.includeOneDimensional || info.shape.size() >= 2)
                                : std::find(request.tensorIndices.begin(), request.tensorIndices.end(), i) != request.tensorIndices.end();
        if (wanted && (!info.decodable || info.elementCount <= 0))
            return Error{source.displayName(), -1, QStringLiteral("tensor '%1' (%2) cannot be decoded to float").arg(info.name, info.dtype)};
        if (wanted) {
            plans.push_back(planCudaTensor(i, info, request));
        } else {
            result.skippedTensors.push_back(i);
            result.skippedBytes += info.byteSize;
        }
    }

    gpu::DeviceTables tables{};
    for (int k = 0; k < 16; ++k)
        tables.nf4Levels[k] = kNf4Levels[static_cast<std::size_t>(k)];
    for (int k = 0; k < 15; ++k)
        tables.nf4Midpoints[k] = static_cast<float>((static_cast<double>(kNf4Levels[static_cast<std::size_t>(k)]) +
                                                     static_cast<double>(kNf4Levels[static_cast<std::size_t>(k + 1)])) / 2.0);
    if (const cudaError_t e = gpu::uploadTables(tables); e != cudaSuccess)
        return Error{{}, -1, cudaError(e, "constant upload")};

    CudaStaging staging;
    if (auto ready = staging.open(request.errorHistograms); !ready)
        return ready.error();

    qint64 totalElements = 0, doneElements = 0;
    for (const auto& plan : plans)
        totalElements += plan.info->elementCount;

    std::vector<TensorTotals> totals(plans.size());
    CpuAnalysisEngine cpu(request.threads);
    for (std::size_t t = 0; t < plans.size(); ++t) {
        const CudaTensorPlan& plan = plans[t];
        TensorTotals& tensor = totals[t];
        tensor.schemes.assign(plan.slots.size(), {});
        tensor.groupRmse.resize(plan.slots.size());
        if (control.cancelled())
            return Error{{}, -1, QStringLiteral("cancelled")};
        if (plan.tileElements == 0) {
            // Groups too long for shared memory (e.g. ":ch" on very wide rows): the CPU does it.
            AnalysisRequest one = request;
            one.tensorIndices = {plan.index};
            auto part = cpu.run(source, one, JobControl{});
            if (!part)
                return part.error();
            result.tensors.push_back(std::move(part.value().tensors.front()));
            doneElements += plan.info->elementCount;
            continue;
        }
        if (request.keepGroupErrors)
            for (std::size_t s = 0; s < plan.slots.size(); ++s)
                if (plan.slots[s].applicable && !plan.slots[s].tensorWide)
                    tensor.groupRmse[s].assign(static_cast<std::size_t>((plan.info->elementCount + plan.slots[s].metricLength - 1) /
                                                                        plan.slots[s].metricLength), 0.0f);
        auto analysed = staging.analyseTensor(source, plan, request, tensor.schemes, tensor.groupRmse, tensor.moments,
                                              tensor.range, tensor.beyondSixSigma, control, [&](qint64 elements) {
                                                  doneElements += elements;
                                                  if (totalElements > 0)
                                                      control.report(static_cast<double>(doneElements) / static_cast<double>(totalElements),
                                                                     QStringLiteral("%1 of %2 tensors").arg(t + 1).arg(plans.size()));
                                              });
        if (!analysed)
            return analysed.error();

        TensorAnalysis analysis;
        analysis.tensorIndex = plan.index;
        analysis.name = plan.info->name;
        analysis.layer = plan.info->layer;
        analysis.role = plan.info->role;
        analysis.shape = plan.info->shape;
        analysis.params = plan.info->elementCount;
        analysis.weights = tensor.moments;
        analysis.weights.beyondSixSigma = plan.prepass() ? tensor.beyondSixSigma : -1;
        for (std::size_t s = 0; s < plan.slots.size(); ++s)
            analysis.results.push_back(finishTensorScheme(*plan.slots[s].scheme, *plan.info, plan.slots[s].applicable,
                                                          plan.slots[s].note, plan.slots[s].tensorWide, tensor.schemes[s],
                                                          tensor.moments, tensor.range));
        if (request.keepGroupErrors)
            analysis.groupRmse = std::move(tensor.groupRmse);
        result.tensors.push_back(std::move(analysis));
    }
    result.device = deviceName();
    result.sourceName = source.displayName();
    result.schemes = request.schemes;
    aggregateLayersAndModel(result);
    result.seconds = static_cast<double>(timer.nsecsElapsed()) * 1e-9;
    control.report(1.0, QStringLiteral("done"));
    return result;
}

bool cudaAnalysisAvailable()
{
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess) {
        cudaGetLastError();  // clear the sticky "no driver" error
        return false;
    }
    return count > 0;
}

void registerCudaAnalysisEngine()
{
    registerAnalysisEngine({QStringLiteral("cuda"), 10, [] { return cudaAnalysisAvailable(); },
                            [] { return std::unique_ptr<AnalysisEngine>(new CudaAnalysisEngine()); }});
}

}  // namespace cstudio
