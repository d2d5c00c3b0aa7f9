#pragma once
// The quantization section of a report: for each scheme, its effective bits per weight, size
// and error over the whole model (RMSE, relative RMSE, max |error|, SQNR, cosine), and the
// relative RMSE layer by layer, from an AnalysisResult (core/analysis). Used by the GUI's
// report and by `cstudio report FILE --schemes ...`.
#include "core/analysis/analysis_types.h"
#include "core/report/report_document.h"

namespace cstudio {

ReportTable quantSchemeTable(const AnalysisResult& result);
ReportTable quantLayerTable(const AnalysisResult& result);
ReportSection quantReportSection(const AnalysisResult& result);

}  // namespace cstudio
