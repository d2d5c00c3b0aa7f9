#include "core/analysis/analysis_json.h"

#include <QJsonArray>
#include <cmath>

namespace cstudio {

namespace {
QJsonValue finiteOrNull(double value)
{
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}
}  // namespace

QJsonObject schemeMetricsToJson(const SchemeMetrics& m)
{
    QJsonObject o{{QStringLiteral("scheme"), m.scheme}, {QStringLiteral("applicable"), m.applicable}};
    if (!m.note.isEmpty())
        o.insert(QStringLiteral("note"), m.note);
    if (!m.applicable)
        return o;
    const ErrorMetrics& e = m.error;
    o.insert(QStringLiteral("bits_per_weight"), m.bitsPerWeight);
    o.insert(QStringLiteral("bytes"), static_cast<double>(m.bytes));
    o.insert(QStringLiteral("params"), static_cast<double>(m.params));
    o.insert(QStringLiteral("rmse"), e.rmse());
    o.insert(QStringLiteral("rel_rmse"), e.relativeRmse());
    o.insert(QStringLiteral("max_abs_err"), e.maxAbsError);
    o.insert(QStringLiteral("sqnr_db"), finiteOrNull(e.sqnrDb()));
    o.insert(QStringLiteral("cosine"), e.cosine());
    o.insert(QStringLiteral("groups"), static_cast<double>(e.groupCount));
    o.insert(QStringLiteral("zero_groups"), static_cast<double>(e.zeroGroups));
    o.insert(QStringLiteral("constant_groups"), static_cast<double>(e.constantGroups));
    o.insert(QStringLiteral("nonfinite_groups"), static_cast<double>(e.nonFiniteGroups));
    if (m.clipRatio != 1.0f)
        o.insert(QStringLiteral("clip_ratio"), m.clipRatio);
    if (m.errorHistogram.total() > 0) {  // only when the run computed it
        QJsonArray bins;
        for (int bin = 0; bin < LogHistogram::kBinCount; ++bin)
            if (const qint64 count = m.errorHistogram.counts[static_cast<std::size_t>(bin)])
                bins.append(QJsonArray{LogHistogram::binLowerEdge(bin), static_cast<double>(count)});
        o.insert(QStringLiteral("error_histogram"), bins);
    }
    return o;
}

QJsonObject analysisToJson(const AnalysisResult& result, bool perGroup)
{
    QJsonArray schemes, layers, tensors;
    for (const auto& m : result.model)
        schemes.append(schemeMetricsToJson(m));
    for (const auto& layer : result.layers) {
        QJsonArray results;
        for (const auto& m : layer.results)
            results.append(schemeMetricsToJson(m));
        layers.append(QJsonObject{{QStringLiteral("layer"), layer.layer},
                                  {QStringLiteral("params"), static_cast<double>(layer.params)},
                                  {QStringLiteral("results"), results}});
    }
    for (const auto& t : result.tensors) {
        QJsonArray results, shape;
        for (std::size_t s = 0; s < t.results.size(); ++s) {
            QJsonObject o = schemeMetricsToJson(t.results[s]);
            if (perGroup && s < t.groupRmse.size() && !t.groupRmse[s].empty()) {
                QJsonArray groups;
                for (const float g : t.groupRmse[s])
                    groups.append(finiteOrNull(g));
                o.insert(QStringLiteral("group_rmse"), groups);
            }
            results.append(o);
        }
        for (const qint64 d : t.shape)
            shape.append(static_cast<double>(d));
        const WeightMoments& w = t.weights;
        QJsonObject weights{{QStringLiteral("mean"), w.mean()},
                            {QStringLiteral("std"), w.standardDeviation()},
                            {QStringLiteral("kurtosis"), w.kurtosis()},
                            {QStringLiteral("abs_max"), w.absMax()},
                            {QStringLiteral("max_over_sigma"), w.maxOverSigma()},
                            {QStringLiteral("nonfinite"), static_cast<double>(w.nonFiniteCount)}};
        if (w.beyondSixSigma >= 0)
            weights.insert(QStringLiteral("share_beyond_6_sigma"), w.shareBeyondSixSigma());
        tensors.append(QJsonObject{{QStringLiteral("name"), t.name},
                                   {QStringLiteral("layer"), t.layer},
                                   {QStringLiteral("role"), t.role},
                                   {QStringLiteral("shape"), shape},
                                   {QStringLiteral("params"), static_cast<double>(t.params)},
                                   {QStringLiteral("weights"), weights},
                                   {QStringLiteral("results"), results}});
    }
    return QJsonObject{{QStringLiteral("source"), result.sourceName},
                       {QStringLiteral("device"), result.device},
                       {QStringLiteral("seconds"), result.seconds},
                       {QStringLiteral("skipped_tensors"), static_cast<double>(result.skippedTensors.size())},
                       {QStringLiteral("schemes"), schemes},
                       {QStringLiteral("layers"), layers},
                       {QStringLiteral("tensors"), tensors}};
}

}  // namespace cstudio
