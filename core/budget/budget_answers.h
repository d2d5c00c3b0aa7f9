#pragma once
// The questions users actually ask, answered directly:
//  - the largest context that fits the chosen devices at this precision;
//  - the best catalog format (most bits, so least error) that fits a memory budget at a context.
#include "core/budget/budget_estimate.h"
#include "core/budget/format_catalog.h"

#include <vector>

namespace cstudio::budget {

struct MaxContextAnswer {
    qint64 tokens = 0;              // largest context per sequence that fits (0 if none)
    bool weightsFit = false;        // false: the weights alone (with overhead) do not fit
    bool limitedByModel = false;    // true: the model's max context is reached before memory
    bool unlimited = false;         // no attention shape known: memory does not bound context
    QString text;
};

// Largest contextTokens such that (weights + KV) x (1 + overhead) <= deviceCount x device memory,
// at input.batch sequences, capped at the model's max context.
Result<MaxContextAnswer> maxContext(const BudgetInput& input);

struct BestFormatAnswer {
    const QuantFormat* format = nullptr;  // null: none of the catalog fits
    double requiredGB = 0;                // of that format, overhead included
    QString text;
};

// The format with the most bits per weight (at most 16: checkpoints ship in 16 bits) whose (weights + KV at input.contextTokens) x
// (1 + overhead) fits `budgetGB` (pass deviceCount x device memory for "the chosen devices").
Result<BestFormatAnswer> bestFormat(const std::vector<QuantFormat>& formats, const BudgetInput& input, double budgetGB);

}  // namespace cstudio::budget
