#pragma once
// The Budget section of a report: one row per precision (catalog formats or plain bit widths)
// for the chosen model, devices and workload, with the seed's formulas in the caption. The
// GUI's report and `cstudio report` build the same section from core/budget alone.
#include "core/budget/budget_estimate.h"
#include "core/report/report_document.h"

#include <QList>
#include <QPair>

namespace cstudio {

struct BudgetPrecision {
    QString label;  // "GGUF Q4_K" or "4-bit"
    double bitsPerWeight = 16;
};

// Rows for each precision; errors (invalid input) name the value at fault.
Result<ReportTable> budgetPrecisionTable(const budget::BudgetInput& base, const QList<BudgetPrecision>& precisions);

// The section: a summary of the chosen precision (`selected`, one of `precisions` or not) and the table.
Result<ReportSection> budgetReportSection(const budget::BudgetInput& base, const BudgetPrecision& selected,
                                          const QList<BudgetPrecision>& precisions);

}  // namespace cstudio
