#include "core/report/report_document.h"

#include <QDateTime>

namespace cstudio {
namespace {

// Plain, print-friendly styling; QTextDocument (the PDF path) understands this subset too.
constexpr const char* kStyle = R"(
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #1d232b; margin: 2em auto; max-width: 60em; line-height: 1.45; }
h1 { font-size: 1.9em; margin-bottom: 0.1em; }
h2 { font-size: 1.4em; border-bottom: 2px solid #2f6fb3; padding-bottom: 0.2em; margin-top: 1.6em; }
h3 { font-size: 1.1em; margin-bottom: 0.3em; }
.subtitle { color: #5b6470; margin-top: 0; }
table { border-collapse: collapse; margin: 0.4em 0 0.3em 0; }
th, td { border: 1px solid #c7ccd3; padding: 4px 8px; text-align: right; }
th { background: #e8eef6; }
td { white-space: nowrap; }
td.text, th.text { text-align: left; white-space: normal; }
.caption { color: #5b6470; font-size: 0.9em; margin: 0.2em 0 1em 0; }
img { max-width: 100%; border: 1px solid #d8dce2; }
.footer { color: #8a929c; font-size: 0.85em; margin-top: 3em; }
)";

bool looksNumeric(const QString& text)
{
    bool ok = false;
    text.section(QLatin1Char(' '), 0, 0).toDouble(&ok);
    return ok;
}

QString renderTable(const ReportTable& table)
{
    QString html;
    if (!table.title.isEmpty())
        html += QStringLiteral("<h3>%1</h3>\n").arg(table.title.toHtmlEscaped());
    html += QStringLiteral("<table cellspacing=\"0\" cellpadding=\"4\">\n<tr>");
    for (const QString& column : table.columns)
        html += QStringLiteral("<th>%1</th>").arg(column.toHtmlEscaped());
    html += QStringLiteral("</tr>\n");
    for (const QStringList& row : table.rows) {
        html += QStringLiteral("<tr>");
        for (const QString& cell : row)
            html += (looksNumeric(cell) ? QStringLiteral("<td>%1</td>") : QStringLiteral("<td class=\"text\">%1</td>"))
                        .arg(cell.toHtmlEscaped());
        html += QStringLiteral("</tr>\n");
    }
    html += QStringLiteral("</table>\n");
    if (!table.caption.isEmpty())
        html += QStringLiteral("<p class=\"caption\">%1</p>\n").arg(table.caption.toHtmlEscaped());
    return html;
}

}  // namespace

QString reportFigureResourceName(int sectionIndex, int figureIndex)
{
    return QStringLiteral("figure-%1-%2.png").arg(sectionIndex).arg(figureIndex);
}

QString renderReportHtml(const ReportDocument& report, ReportImages images)
{
    QString html = QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                                  "<title>%1</title>\n<style>%2</style>\n</head>\n<body>\n")
                       .arg(report.title.toHtmlEscaped(), QString::fromLatin1(kStyle));
    html += QStringLiteral("<h1>%1</h1>\n").arg(report.title.toHtmlEscaped());
    if (!report.subtitle.isEmpty())
        html += QStringLiteral("<p class=\"subtitle\">%1</p>\n").arg(report.subtitle.toHtmlEscaped());
    for (int s = 0; s < report.sections.size(); ++s) {
        const ReportSection& section = report.sections[s];
        html += QStringLiteral("<h2>%1</h2>\n").arg(section.title.toHtmlEscaped());
        if (!section.summaryHtml.isEmpty())
            html += QStringLiteral("<p>%1</p>\n").arg(section.summaryHtml);
        for (const ReportTable& table : section.tables)
            html += renderTable(table);
        for (int f = 0; f < section.figures.size(); ++f) {
            const ReportFigure& figure = section.figures[f];
            if (!figure.title.isEmpty())
                html += QStringLiteral("<h3>%1</h3>\n").arg(figure.title.toHtmlEscaped());
            const QString source = images == ReportImages::Embedded
                                       ? QStringLiteral("data:image/png;base64,") + QString::fromLatin1(figure.png.toBase64())
                                       : reportFigureResourceName(s, f);
            // At most 640 px wide, which fits an A4 page at 96 dpi; never wider than the chart was
            // on screen, so a small chart's labels are not blown up.
            const int width = figure.width > 0 ? qMin(figure.width, 640) : 640;
            html += QStringLiteral("<p><img src=\"%1\" alt=\"%2\" width=\"%3\"></p>\n")
                        .arg(source, figure.title.toHtmlEscaped())
                        .arg(width);
            if (!figure.caption.isEmpty())
                html += QStringLiteral("<p class=\"caption\">%1</p>\n").arg(figure.caption.toHtmlEscaped());
        }
    }
    html += QStringLiteral("<p class=\"footer\">Made with Compression Studio on %1. GB = 10<sup>9</sup> bytes.</p>\n"
                           "</body>\n</html>\n")
                .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")));
    return html;
}

}  // namespace cstudio
