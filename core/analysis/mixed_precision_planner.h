#pragma once
// The mixed-precision planner: given an analysis of several schemes and a memory budget, pick
// one scheme per tensor so that the model's total squared error is smallest while the bytes fit.
//
// This is a multiple-choice knapsack. Each tensor's options (bytes, squared error) are reduced
// to their lower convex hull; starting from every tensor's smallest option, the planner takes
// upgrades in order of error reduction per extra byte while they fit (greedy on the hulls,
// optimal for the LP relaxation and within one upgrade of the integer optimum). Tensors that
// were not analysed (norms, biases) count with their file bytes as fixed overhead.
#include "core/analysis/analysis_types.h"
#include "core/result.h"

#include <QJsonObject>
#include <QStringList>

namespace cstudio {

struct PlanBudget {
    enum class Kind { Bytes, BitsPerWeight };
    Kind kind = Kind::Bytes;
    double value = 0;  // bytes of the whole model, or average bits per analysed weight

    static PlanBudget gigabytes(double gb) { return {Kind::Bytes, gb * 1e9}; }
    static PlanBudget bitsPerWeight(double bits) { return {Kind::BitsPerWeight, bits}; }
};

struct PlanChoice {
    int tensorIndex = -1;
    QString tensorName;
    int layer = -1;
    QString role;
    qint64 params = 0;
    QString scheme;
    QString llamaType;  // GGUF type for llama-quantize, empty for non-GGUF schemes
    qint64 bytes = 0;
    double squaredError = 0;
    double relativeRmse = 0;
};

struct PlanSummary {
    QString label;  // "plan" or the uniform scheme's name
    qint64 bytes = 0;  // analysed tensors + fixed overhead
    double bitsPerWeight = 0;  // over analysed tensors
    double totalSquaredError = 0;
    double rmse = 0;
    double relativeRmse = 0;
    bool fitsBudget = false;
};

struct MixedPrecisionPlan {
    PlanBudget budget;
    qint64 budgetBytes = 0;  // the budget as bytes of the whole model
    qint64 fixedBytes = 0;   // tensors not analysed, kept as stored
    std::vector<PlanChoice> choices;  // one per analysed tensor, in tensor order
    PlanSummary plan;
    std::vector<PlanSummary> uniform;  // each scheme applied to every tensor it applies to
};

// Error when the budget is below the smallest possible plan (message says the minimum).
Result<MixedPrecisionPlan> planMixedPrecision(const AnalysisResult& analysis, const PlanBudget& budget);

QJsonObject planToJson(const MixedPrecisionPlan& plan);
// "--tensor-type NAME=TYPE" arguments for llama-quantize, for choices with a GGUF scheme.
// GGUF tensor names are used as they are (the source may be safetensors: names then need
// llama.cpp's conversion mapping, which the caller is told in the JSON's "note").
QStringList llamaQuantizeArguments(const MixedPrecisionPlan& plan);

}  // namespace cstudio
