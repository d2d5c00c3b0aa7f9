#include "ui/export/report_export.h"

#include "core/export/atomic_file.h"
#include "core/export/table_export.h"
#include "core/report/report_table_model.h"
#include "ui/export/chart_export.h"
#include "ui/studio_page.h"

#include <QAbstractTextDocumentLayout>
#include <QChartView>
#include <QFileInfo>
#include <QImage>
#include <QPageSize>
#include <QPdfWriter>
#include <QTextDocument>

namespace cstudio::ui {

ReportDocument buildReport(const QList<QPair<QString, StudioPage*>>& pages, const QString& subtitle)
{
    ReportDocument report;
    report.subtitle = subtitle;
    for (const auto& [title, page] : pages) {
        ReportSection section;
        section.title = title;
        section.summaryHtml = page->reportSummaryHtml();
        for (const ExportableTable& table : page->exportableTables()) {
            // A table computed in core keeps its own number formatting (0.240, not 0.24).
            if (const auto* computed = qobject_cast<const ReportTableModel*>(table.model))
                section.tables.append(computed->table());
            else if (table.model)
                section.tables.append(tableToReport(table.title, *table.model));
        }
        for (const ExportableChart& chart : page->exportableCharts()) {
            if (chart.view)
                section.figures.append(ReportFigure{chart.title, renderChartPng(chart.view, 2.0), {}, chart.view->viewport()->width()});
        }
        if (!section.summaryHtml.isEmpty() || !section.tables.isEmpty() || !section.figures.isEmpty())
            report.sections.append(section);
    }
    return report;
}

Result<void> exportReportPdf(const ReportDocument& report, const QString& path)
{
    return writeFileAtomically(path, [&report](QIODevice& device) {
        QPdfWriter writer(&device);
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
        writer.setTitle(report.title);
        writer.setCreator(QStringLiteral("Compression Studio"));
        writer.setResolution(300);

        QTextDocument document;
        // Lay out in the PDF's own units: fonts by point size, images scaled from CSS pixels
        // (96 per inch), one page of the document per page of the PDF.
        document.documentLayout()->setPaintDevice(&writer);
        document.setPageSize(writer.pageLayout().paintRectPixels(writer.resolution()).size());
        QFont font = document.defaultFont();
        font.setPointSizeF(9.5);
        document.setDefaultFont(font);
        for (int s = 0; s < report.sections.size(); ++s) {
            for (int f = 0; f < report.sections[s].figures.size(); ++f) {
                QImage image = QImage::fromData(report.sections[s].figures[f].png, "PNG");
                document.addResource(QTextDocument::ImageResource, QUrl(reportFigureResourceName(s, f)), image);
            }
        }
        document.setHtml(renderReportHtml(report, ReportImages::Resources));
        document.print(&writer);
        return QString();
    });
}

Result<void> exportReport(const ReportDocument& report, const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("html") || suffix == QLatin1String("htm"))
        return writeFileAtomically(path, renderReportHtml(report).toUtf8());
    if (suffix == QLatin1String("pdf"))
        return exportReportPdf(report, path);
    return Error{path, -1, QStringLiteral("reports export as .html or .pdf, not .%1").arg(suffix)};
}

}  // namespace cstudio::ui
