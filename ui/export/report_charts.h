#pragma once
// The charts of a report built without the pages (`cstudio report`): the same chart widgets the
// Budget, Quant Lab and Distillation pages show, drawn offscreen from core's results and
// rendered to PNG, so the command line's report carries the figures the GUI's report does.
// Needs a QApplication (any platform, "offscreen" included); nothing is computed here.
#include "core/analysis/analysis_types.h"
#include "core/budget/budget_estimate.h"
#include "core/distill/class_logits.h"
#include "core/report/budget_report_section.h"
#include "core/report/report_document.h"
#include "core/result.h"

#include <QList>
#include <vector>

namespace cstudio::ui {

// Memory by precision (weights, KV cache and overhead stacked against the devices' capacity)
// and devices needed, one category per precision; the first precision is drawn as the selected one.
Result<QList<ReportFigure>> budgetReportFigures(const budget::BudgetInput& base, const QList<BudgetPrecision>& precisions);

// Relative RMSE per layer, one bar per scheme.
QList<ReportFigure> quantReportFigures(const AnalysisResult& result);

// The teacher softened at each temperature, and its entropy over τ (seed 002's table as charts).
Result<QList<ReportFigure>> distillReportFigures(const distill::ClassLogits& teacher, const std::vector<double>& temperatures);

}  // namespace cstudio::ui
