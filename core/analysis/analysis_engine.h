#pragma once
// The analysis engine: streams every selected tensor of a TensorSource chunk by chunk, applies
// ALL requested schemes to each chunk while it is in cache (read once, quantize many), and
// accumulates error metrics per group, tensor, layer and model. Implementations: the CPU engine
// here (all cores) and a CUDA engine in gpu/ (optional). Both must give the same numbers up to
// float rounding of the sums.
//
// Contract for implementations:
//   - never hold a whole tensor or model in memory: read through TensorSource::readFloats() in
//     chunks whose length is a multiple of every scheme's alignment() (groups never straddle);
//   - call control.report() from the thread that called run(), and check control.cancelled()
//     between chunks; a cancelled run returns Error{message = "cancelled"};
//   - results are deterministic (chunk results are merged in order, not as they finish).
//
// Picking an engine: createAnalysisEngine() returns the best available one ("cuda" when a GPU
// backend is linked and a device is present, else "cpu"); createAnalysisEngine("cpu") forces one.
// A backend registers itself with registerAnalysisEngine() (e.g. from a static initializer in
// a library linked with the app, or an explicit call in main()).
#include "core/analysis/analysis_types.h"
#include "core/formats/tensor_source.h"
#include "core/job_control.h"
#include "core/result.h"

#include <QString>
#include <QStringList>
#include <functional>
#include <memory>

namespace cstudio {

class AnalysisEngine {
public:
    virtual ~AnalysisEngine() = default;
    // "cpu", "cuda"
    virtual QString id() const = 0;
    // For display: "CPU, 2 threads", "NVIDIA H100 80GB HBM3".
    virtual QString deviceName() const = 0;
    virtual Result<AnalysisResult> run(const TensorSource& source, const AnalysisRequest& request,
                                       const JobControl& control) const = 0;
};

struct AnalysisEngineBackend {
    QString id;                    // "cuda"
    int priority = 0;              // higher wins when several are available (cpu = 0)
    std::function<bool()> available;  // e.g. a CUDA device is present
    std::function<std::unique_ptr<AnalysisEngine>()> create;
};

void registerAnalysisEngine(AnalysisEngineBackend backend);
// Ids of registered backends whose available() is true, best first ("cuda", "cpu").
QStringList availableAnalysisEngines();
// `id` empty: the best available; otherwise that one, or Error if unknown/unavailable.
Result<std::unique_ptr<AnalysisEngine>> createAnalysisEngine(const QString& id = {});

// Convenience for callers that do not care which engine runs.
Result<AnalysisResult> analyzeWeights(const TensorSource& source, const AnalysisRequest& request,
                                      const JobControl& control = {});

}  // namespace cstudio
