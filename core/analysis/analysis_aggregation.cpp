#include "core/analysis/analysis_aggregation.h"

#include <map>

namespace cstudio {

SchemeMetrics finishTensorScheme(const Scheme& scheme, const TensorInfo& tensor, bool applicable, const QString& note,
                                 bool tensorWide, const SchemeAccumulator& accumulator, const WeightMoments& moments,
                                 const TensorRange& range)
{
    SchemeMetrics m;
    m.scheme = scheme.name;
    m.applicable = applicable;
    m.note = note;
    if (!applicable)
        return m;
    m.params = tensor.elementCount;
    m.bytes = scheme.storageBytes(tensor);
    m.bitsPerWeight = scheme.bitsPerWeight(tensor);
    m.error = accumulator.error;
    m.errorHistogram = accumulator.errorHistogram;
    m.groupRmseHistogram = accumulator.groupRmseHistogram;
    m.clipRatio = scheme.mseClip && scheme.granularity == Granularity::Tensor ? range.clipRatio : 1.0f;
    if (tensorWide) {
        m.error.groupCount = 1;
        if (accumulator.sawNonFinite || moments.nonFiniteCount > 0) {
            const ErrorMetrics none;
            m.error = none;
            m.error.groupCount = 1;
            m.error.nonFiniteGroups = 1;
            m.note = QStringLiteral("tensor has NaN/Inf values: no tensor-wide scale, no metrics");
        } else {
            m.error.zeroGroups = moments.count > 0 && moments.minValue == 0 && moments.maxValue == 0 ? 1 : 0;
            m.error.constantGroups = m.error.zeroGroups == 0 && moments.minValue == moments.maxValue ? 1 : 0;
            m.groupRmseHistogram.add(static_cast<float>(m.error.rmse()));
        }
    }
    return m;
}

namespace {
void addInto(SchemeMetrics& total, const SchemeMetrics& part)
{
    if (!part.applicable)
        return;
    total.params += part.params;
    total.bytes += part.bytes;
    total.error.merge(part.error);
    total.errorHistogram.merge(part.errorHistogram);
    total.groupRmseHistogram.merge(part.groupRmseHistogram);
    total.bitsPerWeight = total.params > 0 ? 8.0 * static_cast<double>(total.bytes) / static_cast<double>(total.params) : 0.0;
}

std::vector<SchemeMetrics> emptyTotals(const AnalysisResult& result)
{
    std::vector<SchemeMetrics> totals(result.schemes.size());
    for (std::size_t s = 0; s < totals.size(); ++s)
        totals[s].scheme = result.schemes[s].name;
    return totals;
}
}  // namespace

void aggregateLayersAndModel(AnalysisResult& result)
{
    std::map<int, LayerAnalysis> layers;
    result.model = emptyTotals(result);
    std::vector<int> notApplicable(result.schemes.size(), 0);
    std::vector<QString> firstReason(result.schemes.size());  // one example says why
    for (const TensorAnalysis& tensor : result.tensors) {
        LayerAnalysis& layer = layers[tensor.layer];
        if (layer.results.empty()) {
            layer.layer = tensor.layer;
            layer.results = emptyTotals(result);
        }
        layer.params += tensor.params;
        for (std::size_t s = 0; s < tensor.results.size() && s < result.schemes.size(); ++s) {
            addInto(layer.results[s], tensor.results[s]);
            addInto(result.model[s], tensor.results[s]);
            if (!tensor.results[s].applicable && notApplicable[s]++ == 0)
                firstReason[s] = QStringLiteral("%1: %2").arg(tensor.name, tensor.results[s].note);
        }
    }
    for (std::size_t s = 0; s < result.model.size(); ++s)
        if (notApplicable[s] > 0)
            result.model[s].note = QStringLiteral("%1 tensor(s) not applicable, left out of the totals (e.g. %2)").arg(notApplicable[s]).arg(firstReason[s]);
    result.layers.clear();
    for (auto& [index, layer] : layers)
        result.layers.push_back(std::move(layer));
}

}  // namespace cstudio
