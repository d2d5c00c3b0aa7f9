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
#include <QTextOption>

namespace cstudio::ui {
namespace {

// QTextDocument's default wrapping breaks words anywhere, so a narrow column's header read
// "Preci-sion". Tables are laid out breaking at word boundaries only, in the largest table
// font that keeps the widest table within the page; a table too wide even in the smallest
// falls back to breaking anywhere rather than being cut off at the page's edge.
void layOutWithinPage(QTextDocument& document, const QString& html)
{
    const qreal pageWidth = document.pageSize().width();
    QTextOption wrapping = document.defaultTextOption();
    wrapping.setWrapMode(QTextOption::WordWrap);
    document.setDefaultTextOption(wrapping);
    for (const double tablePoints : {9.5, 8.5, 7.5}) {
        document.setDefaultStyleSheet(QStringLiteral("td, th { font-size: %1pt; }").arg(tablePoints));
        document.setHtml(html);
        if (document.idealWidth() <= pageWidth + 0.5)
            return;
    }
    wrapping.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    document.setDefaultTextOption(wrapping);
    document.setHtml(html);
}

}  // namespace

ReportDocument buildReport(const QList<QPair<QString, StudioPage*>>& pages, const QString& subtitle)
{
    ReportDocument report;
    report.subtitle = subtitle;
    for (const auto& [title, page] : pages) {
        ReportSection section;
        section.title = title;
        section.summaryHtml = page->reportSummaryHtml();
        for (const ExportableTable& table : page->reportTables()) {
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
        layOutWithinPage(document, renderReportHtml(report, ReportImages::Resources));
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
