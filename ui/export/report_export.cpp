#include "ui/export/report_export.h"

#include "core/export/atomic_file.h"
#include "core/export/table_export.h"
#include "ui/export/chart_export.h"
#include "ui/studio_page.h"

#include <QAbstractTextDocumentLayout>
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
            if (table.model)
                section.tables.append(tableToReport(table.title, *table.model));
        }
        for (const ExportableChart& chart : page->exportableCharts()) {
            if (chart.view)
                section.figures.append(ReportFigure{chart.title, renderChartPng(chart.view, 2.0), {}});
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
        writer.setResolution(96);  // figures are laid out at their on-screen size

        QTextDocument document;
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
