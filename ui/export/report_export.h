#pragma once
// The analysis report of the pages that have one (Budget, Quant Lab, Distillation): each page's
// summary, its tables and its charts, as one self-contained HTML file or as a PDF (Qt's own
// text layout and PDF writer, so no browser is needed). Written atomically.
#include "core/report/report_document.h"
#include "core/result.h"

#include <QList>
#include <QPair>
#include <QString>

namespace cstudio::ui {

class StudioPage;

// One section per page with a report summary, tables or charts, in the order given.
ReportDocument buildReport(const QList<QPair<QString, StudioPage*>>& pages, const QString& subtitle);

// Writes HTML or PDF by the path's suffix (".html"/".htm", ".pdf").
Result<void> exportReport(const ReportDocument& report, const QString& path);
Result<void> exportReportPdf(const ReportDocument& report, const QString& path);

}  // namespace cstudio::ui
