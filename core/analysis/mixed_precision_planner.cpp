#include "core/analysis/mixed_precision_planner.h"

#include <QJsonArray>
#include <algorithm>
#include <cmath>
#include <queue>

namespace cstudio {

namespace {

struct Option {
    int scheme = -1;
    qint64 bytes = 0;
    double squaredError = 0;
};

// Lower convex hull of (bytes, error), bytes ascending, error strictly descending.
std::vector<Option> convexHull(std::vector<Option> options)
{
    std::sort(options.begin(), options.end(), [](const Option& a, const Option& b) {
        return a.bytes != b.bytes ? a.bytes < b.bytes : a.squaredError < b.squaredError;
    });
    std::vector<Option> hull;
    for (const Option& o : options) {
        if (!hull.empty() && o.squaredError >= hull.back().squaredError)
            continue;  // costs more, no better
        while (hull.size() >= 2) {
            const Option& a = hull[hull.size() - 2];
            const Option& b = hull.back();
            // b is above the segment a-o: drop it
            const double slopeAB = (b.squaredError - a.squaredError) / static_cast<double>(b.bytes - a.bytes);
            const double slopeAO = (o.squaredError - a.squaredError) / static_cast<double>(o.bytes - a.bytes);
            if (slopeAO <= slopeAB)
                hull.pop_back();
            else
                break;
        }
        hull.push_back(o);
    }
    return hull;
}

PlanSummary summarize(const QString& label, qint64 bytes, qint64 fixedBytes, qint64 params, double squaredError,
                      double squaredWeight, qint64 budgetBytes)
{
    PlanSummary s;
    s.label = label;
    s.bytes = bytes + fixedBytes;
    s.bitsPerWeight = params > 0 ? 8.0 * static_cast<double>(bytes) / static_cast<double>(params) : 0.0;
    s.totalSquaredError = squaredError;
    s.rmse = params > 0 ? std::sqrt(squaredError / static_cast<double>(params)) : 0.0;
    s.relativeRmse = squaredWeight > 0 ? std::sqrt(squaredError / squaredWeight) : 0.0;
    s.fitsBudget = s.bytes <= budgetBytes;
    return s;
}

QJsonObject summaryJson(const PlanSummary& s)
{
    return QJsonObject{{QStringLiteral("label"), s.label},
                       {QStringLiteral("bytes"), static_cast<double>(s.bytes)},
                       {QStringLiteral("bits_per_weight"), s.bitsPerWeight},
                       {QStringLiteral("total_squared_error"), s.totalSquaredError},
                       {QStringLiteral("rmse"), s.rmse},
                       {QStringLiteral("rel_rmse"), s.relativeRmse},
                       {QStringLiteral("fits_budget"), s.fitsBudget}};
}

}  // namespace

Result<MixedPrecisionPlan> planMixedPrecision(const AnalysisResult& analysis, const PlanBudget& budget)
{
    MixedPrecisionPlan plan;
    plan.budget = budget;
    plan.fixedBytes = analysis.skippedBytes;
    qint64 params = 0;
    double squaredWeight = 0;
    for (const auto& t : analysis.tensors) {
        params += t.params;
        if (!t.results.empty())
            squaredWeight += t.results.front().error.sumSquaredWeight;
    }
    if (analysis.tensors.empty())
        return Error{{}, -1, QStringLiteral("nothing to plan: no tensor was analysed")};
    if (!(budget.value > 0))
        return Error{{}, -1, QStringLiteral("the budget must be positive")};
    plan.budgetBytes = budget.kind == PlanBudget::Kind::Bytes
                           ? static_cast<qint64>(budget.value)
                           : static_cast<qint64>(budget.value * static_cast<double>(params) / 8.0) + plan.fixedBytes;

    // per tensor: the hull of its applicable options; start from the smallest
    std::vector<std::vector<Option>> hulls;
    std::vector<std::size_t> position;
    qint64 bytes = 0;
    double error = 0;
    for (const auto& t : analysis.tensors) {
        std::vector<Option> options;
        for (std::size_t s = 0; s < t.results.size(); ++s)
            if (t.results[s].applicable && t.results[s].error.nonFiniteGroups == 0)
                options.push_back({static_cast<int>(s), t.results[s].bytes, t.results[s].error.sumSquaredError});
        if (options.empty())
            return Error{{}, -1, QStringLiteral("no selected scheme applies to tensor '%1'").arg(t.name)};
        hulls.push_back(convexHull(std::move(options)));
        position.push_back(0);
        bytes += hulls.back().front().bytes;
        error += hulls.back().front().squaredError;
    }
    if (bytes + plan.fixedBytes > plan.budgetBytes)
        return Error{{}, -1, QStringLiteral("the budget (%1 bytes) is below the smallest plan of the selected schemes (%2 bytes)")
                                 .arg(plan.budgetBytes).arg(bytes + plan.fixedBytes)};

    // greedy: the upgrade with the largest error reduction per extra byte that still fits
    using Upgrade = std::pair<double, std::size_t>;  // (error saved per byte, tensor)
    std::priority_queue<Upgrade> queue;
    auto push = [&](std::size_t t) {
        const auto& hull = hulls[t];
        const std::size_t p = position[t];
        if (p + 1 < hull.size())
            queue.emplace((hull[p].squaredError - hull[p + 1].squaredError) / static_cast<double>(hull[p + 1].bytes - hull[p].bytes), t);
    };
    for (std::size_t t = 0; t < hulls.size(); ++t)
        push(t);
    while (!queue.empty()) {
        const std::size_t t = queue.top().second;
        queue.pop();
        const Option& now = hulls[t][position[t]];
        const Option& next = hulls[t][position[t] + 1];
        if (bytes - now.bytes + next.bytes + plan.fixedBytes > plan.budgetBytes)
            continue;  // this tensor's next step does not fit; cheaper steps of others may
        bytes += next.bytes - now.bytes;
        error += next.squaredError - now.squaredError;
        ++position[t];
        push(t);
    }

    for (std::size_t t = 0; t < analysis.tensors.size(); ++t) {
        const auto& tensor = analysis.tensors[t];
        const Option& o = hulls[t][position[t]];
        const auto& r = tensor.results[static_cast<std::size_t>(o.scheme)];
        const Scheme& scheme = analysis.schemes[static_cast<std::size_t>(o.scheme)];
        plan.choices.push_back({tensor.tensorIndex, tensor.name, tensor.layer, tensor.role, tensor.params, scheme.name,
                                scheme.llamaType, r.bytes, r.error.sumSquaredError, r.error.relativeRmse()});
    }
    plan.plan = summarize(QStringLiteral("plan"), bytes, plan.fixedBytes, params, error, squaredWeight, plan.budgetBytes);

    for (std::size_t s = 0; s < analysis.schemes.size(); ++s) {
        const SchemeMetrics& m = analysis.model[s];
        PlanSummary u = summarize(analysis.schemes[s].name, m.bytes, plan.fixedBytes, m.params, m.error.sumSquaredError,
                                  m.error.sumSquaredWeight, plan.budgetBytes);
        if (m.params < params) {
            u.fitsBudget = false;  // does not apply to every tensor
            u.label += QStringLiteral(" (not all tensors)");
        }
        plan.uniform.push_back(u);
    }
    return plan;
}

QJsonObject planToJson(const MixedPrecisionPlan& plan)
{
    QJsonArray choices;
    for (const auto& c : plan.choices)
        choices.append(QJsonObject{{QStringLiteral("name"), c.tensorName},
                                   {QStringLiteral("layer"), c.layer},
                                   {QStringLiteral("role"), c.role},
                                   {QStringLiteral("params"), static_cast<double>(c.params)},
                                   {QStringLiteral("scheme"), c.scheme},
                                   {QStringLiteral("llama_type"), c.llamaType},
                                   {QStringLiteral("bytes"), static_cast<double>(c.bytes)},
                                   {QStringLiteral("squared_error"), c.squaredError},
                                   {QStringLiteral("rel_rmse"), c.relativeRmse}});
    QJsonArray uniform;
    for (const auto& u : plan.uniform)
        uniform.append(summaryJson(u));
    return QJsonObject{
        {QStringLiteral("budget_bytes"), static_cast<double>(plan.budgetBytes)},
        {QStringLiteral("budget_kind"), plan.budget.kind == PlanBudget::Kind::Bytes ? QStringLiteral("bytes") : QStringLiteral("bits_per_weight")},
        {QStringLiteral("budget_value"), plan.budget.value},
        {QStringLiteral("fixed_bytes"), static_cast<double>(plan.fixedBytes)},
        {QStringLiteral("plan"), summaryJson(plan.plan)},
        {QStringLiteral("uniform"), uniform},
        {QStringLiteral("tensors"), choices},
        {QStringLiteral("llama_quantize"), QJsonArray::fromStringList(llamaQuantizeArguments(plan))},
        {QStringLiteral("note"), QStringLiteral("llama_quantize uses the tensor names of the analysed file; for a safetensors "
                                                "source, map them to GGUF names (llama.cpp convert_hf_to_gguf.py) first")}};
}

QStringList llamaQuantizeArguments(const MixedPrecisionPlan& plan)
{
    QStringList arguments;
    for (const auto& c : plan.choices)
        if (!c.llamaType.isEmpty())
            arguments << QStringLiteral("--tensor-type") << QStringLiteral("%1=%2").arg(c.tensorName, c.llamaType.toLower());
    return arguments;
}

}  // namespace cstudio
