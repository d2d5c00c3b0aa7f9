#pragma once
// What `cstudio budget` prints: seed 000's table ("32-bit:  280.0 GB  ->  5 GPU(s)") extended
// with KV cache, speed bound and cost when a model shape or device is known, and the same
// figures as JSON.
#include "core/budget/budget_answers.h"
#include "core/budget/budget_estimate.h"

#include <QJsonObject>
#include <QTextStream>
#include <optional>
#include <vector>

namespace cstudio::cli {

struct BudgetReportRow {
    QString label;  // "32-bit" or a format name
    const budget::QuantFormat* format = nullptr;
    budget::BudgetEstimate estimate;
    budget::MaxContextAnswer maxContext;
};

struct BudgetReport {
    budget::BudgetInput input;  // bitsPerWeight is per row
    std::vector<BudgetReportRow> rows;
    std::optional<budget::BestFormatAnswer> bestFormat;
    bool seedTableOnly = false;  // only --params/--bits/--gpu-mem/--overhead given: print the seed's lines alone
};

void writeBudgetText(QTextStream& out, const BudgetReport& report);
QJsonObject budgetJson(const BudgetReport& report);

}  // namespace cstudio::cli
