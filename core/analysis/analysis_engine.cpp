#include "core/analysis/analysis_engine.h"

#include "core/analysis/cpu_analysis_engine.h"

#include <QMutex>
#include <algorithm>

namespace cstudio {

namespace {
struct Registry {
    QMutex mutex;
    std::vector<AnalysisEngineBackend> backends;
    Registry()
    {
        // The CPU engine is always there; GPU backends add themselves with a higher priority.
        backends.push_back({QStringLiteral("cpu"), 0, [] { return true; },
                            [] { return std::unique_ptr<AnalysisEngine>(new CpuAnalysisEngine()); }});
    }
};

Registry& registry()
{
    static Registry instance;
    return instance;
}

std::vector<AnalysisEngineBackend> sortedBackends()
{
    Registry& r = registry();
    QMutexLocker lock(&r.mutex);
    std::vector<AnalysisEngineBackend> backends = r.backends;
    std::stable_sort(backends.begin(), backends.end(),
                     [](const auto& a, const auto& b) { return a.priority > b.priority; });
    return backends;
}
}  // namespace

void registerAnalysisEngine(AnalysisEngineBackend backend)
{
    Registry& r = registry();
    QMutexLocker lock(&r.mutex);
    std::erase_if(r.backends, [&](const AnalysisEngineBackend& b) { return b.id == backend.id; });
    r.backends.push_back(std::move(backend));
}

QStringList availableAnalysisEngines()
{
    QStringList ids;
    for (const auto& backend : sortedBackends())
        if (!backend.available || backend.available())
            ids << backend.id;
    return ids;
}

Result<std::unique_ptr<AnalysisEngine>> createAnalysisEngine(const QString& id)
{
    const auto backends = sortedBackends();
    for (const auto& backend : backends) {
        if (!id.isEmpty() && backend.id != id)
            continue;
        if (backend.available && !backend.available()) {
            if (id.isEmpty())
                continue;
            return Error{{}, -1, QStringLiteral("analysis engine '%1' is not available on this machine").arg(id)};
        }
        return backend.create();
    }
    QStringList known;
    for (const auto& backend : backends)
        known << backend.id;
    return Error{{}, -1, QStringLiteral("unknown analysis engine '%1' (known: %2)").arg(id, known.join(QStringLiteral(", ")))};
}

Result<AnalysisResult> analyzeWeights(const TensorSource& source, const AnalysisRequest& request, const JobControl& control)
{
    auto engine = createAnalysisEngine();
    if (!engine)
        return engine.error();
    return engine.value()->run(source, request, control);
}

}  // namespace cstudio
