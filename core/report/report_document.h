#pragma once
// An analysis report as data, and its rendering as one self-contained HTML file: a title, a
// summary, and a section per page (Budget, Quant Lab, Distillation) with its tables and its
// charts embedded as base64 PNG, so the file opens anywhere with no other file beside it.
// The GUI renders the charts; the CLI builds the same report from core's numbers alone.
#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace cstudio {

struct ReportTable {
    QString title;
    QStringList columns;
    QList<QStringList> rows;  // display text, one entry per column
    QString caption;          // how the numbers were computed
};

struct ReportFigure {
    QString title;
    QByteArray png;  // the chart rendered as PNG
    QString caption;
    int width = 0;   // display width in CSS pixels (the chart's size on screen); 0: 640
};

struct ReportSection {
    QString title;         // "Budget"
    QString summaryHtml;   // one paragraph of HTML (already escaped where it holds user text)
    QList<ReportTable> tables;
    QList<ReportFigure> figures;
};

struct ReportDocument {
    QString title = QStringLiteral("Compression Studio report");
    QString subtitle;       // e.g. the model file and the date
    QList<ReportSection> sections;
};

enum class ReportImages {
    Embedded,   // <img src="data:image/png;base64,...">: a self-contained HTML file
    Resources,  // <img src="figure-N.png">: for QTextDocument, which is handed the images by name
};

QString renderReportHtml(const ReportDocument& report, ReportImages images = ReportImages::Embedded);

// The resource name a figure gets with ReportImages::Resources: sections and figures counted
// from 0 in document order.
QString reportFigureResourceName(int sectionIndex, int figureIndex);

}  // namespace cstudio
