// The export commands of the File menu (chart, table, report): where to write, asking before
// replacing a file, and the report's charts laid out even on pages the user has not opened.
#include "core/export/atomic_file.h"
#include "core/export/table_export.h"
#include "ui/export/chart_export.h"
#include "ui/export/report_export.h"
#include "ui/main_window.h"
#include "ui/studio_page.h"
#include "ui/workshop/workshop_controller.h"

#include <QChartView>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QInputDialog>
#include <QJsonDocument>
#include <QMessageBox>
#include <QRegularExpression>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>

namespace cstudio::ui {
namespace {

QString withSuffix(QString path, const QString& selectedFilter, const QStringList& suffixes)
{
    if (path.isEmpty() || suffixes.contains(QFileInfo(path).suffix().toLower()))
        return path;
    for (const QString& suffix : suffixes) {
        if (selectedFilter.contains(QStringLiteral("*.") + suffix))
            return path + QLatin1Char('.') + suffix;
    }
    return path + QLatin1Char('.') + suffixes.first();
}

QString fileNameFor(QString title)
{
    title.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9]+")), QStringLiteral("-"));
    return title.toLower().remove(QRegularExpression(QStringLiteral("^-+|-+$")));
}
}  // namespace

QString WorkshopController::askSavePath(const QString& caption, const QString& suggested, const QString& filter,
                                        const QStringList& suffixes)
{
    QString selected;
    const QString path = withSuffix(prompts_.savePath(caption, suggested, filter, &selected), selected, suffixes);
    if (path.isEmpty() || (QFileInfo::exists(path) && !prompts_.confirmOverwrite(path)))
        return {};
    return path;
}

void WorkshopController::exportChartDialog()
{
    StudioPage* page = window_->studioPage(window_->currentPageTitle());
    const QList<ExportableChart> charts = page ? page->exportableCharts() : QList<ExportableChart>();
    if (charts.isEmpty()) {
        QMessageBox::information(window_, tr("Export Chart"), tr("This page has no chart to export."));
        return;
    }
    int index = 0;
    if (charts.size() > 1) {
        QStringList titles;
        for (const ExportableChart& chart : charts)
            titles.append(chart.title);
        bool ok = false;
        const QString choice = QInputDialog::getItem(window_, tr("Export Chart"), tr("Chart:"), titles, 0, false, &ok);
        if (!ok)
            return;
        index = static_cast<int>(titles.indexOf(choice));
    }
    const QString path = askSavePath(tr("Export Chart"), suggestedPath(fileNameFor(charts[index].title), QStringLiteral("png")),
                                     tr("PNG image (*.png);;SVG drawing (*.svg)"), {QStringLiteral("png"), QStringLiteral("svg")});
    if (path.isEmpty())
        return;
    double scale = 2.0;
    if (path.endsWith(QStringLiteral(".png"), Qt::CaseInsensitive)) {
        bool ok = false;
        const QStringList scales = {QStringLiteral("1×"), QStringLiteral("2×"), QStringLiteral("3×"), QStringLiteral("4×")};
        const QString choice = QInputDialog::getItem(window_, tr("PNG scale"), tr("Scale (2× for slides, 4× for print):"),
                                                     scales, 1, false, &ok);
        if (!ok)
            return;
        scale = scales.indexOf(choice) + 1.0;
    }
    rememberFolder(path);
    if (Result<void> written = exportChart(charts[index].view, path, scale, charts[index].title); !written)
        return reportFailure(tr("The chart could not be exported."), written.error());
    window_->statusBar()->showMessage(tr("Chart exported to %1").arg(QDir::toNativeSeparators(path)), 5000);
}

void WorkshopController::exportTableDialog()
{
    StudioPage* page = window_->studioPage(window_->currentPageTitle());
    const QList<ExportableTable> tables = page ? page->exportableTables() : QList<ExportableTable>();
    if (tables.isEmpty()) {
        QMessageBox::information(window_, tr("Export Table"), tr("This page has no table to export."));
        return;
    }
    int index = 0;
    if (tables.size() > 1) {
        QStringList titles;
        for (const ExportableTable& table : tables)
            titles.append(table.title);
        bool ok = false;
        const QString choice = QInputDialog::getItem(window_, tr("Export Table"), tr("Table:"), titles, 0, false, &ok);
        if (!ok)
            return;
        index = static_cast<int>(titles.indexOf(choice));
    }
    const QString path = askSavePath(tr("Export Table"), suggestedPath(fileNameFor(tables[index].title), QStringLiteral("csv")),
                                     tr("CSV (*.csv);;JSON (*.json)"), {QStringLiteral("csv"), QStringLiteral("json")});
    if (path.isEmpty())
        return;
    rememberFolder(path);
    const QByteArray bytes = path.endsWith(QStringLiteral(".json"), Qt::CaseInsensitive)
                                 ? tableToJson(*tables[index].model).toJson(QJsonDocument::Indented)
                                 : tableToCsv(*tables[index].model);
    if (Result<void> written = writeFileAtomically(path, bytes); !written)
        return reportFailure(tr("The table could not be exported."), written.error());
    window_->statusBar()->showMessage(tr("Table exported to %1").arg(QDir::toNativeSeparators(path)), 5000);
}

void WorkshopController::exportReportDialog()
{
    const QString path = askSavePath(tr("Export Report"), suggestedPath(QStringLiteral("compression-report"), QStringLiteral("html")),
                                     tr("Web page (*.html);;PDF document (*.pdf)"), {QStringLiteral("html"), QStringLiteral("pdf")});
    if (path.isEmpty())
        return;
    rememberFolder(path);
    layOutEveryChart();
    const ReportDocument report = buildReport(window_->studioPages(),
                                              QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")));
    if (report.sections.isEmpty()) {
        QMessageBox::information(window_, tr("Export Report"), tr("No page has anything to report yet."));
        return;
    }
    if (Result<void> written = exportReport(report, path); !written)
        return reportFailure(tr("The report could not be exported."), written.error());
    window_->statusBar()->showMessage(tr("Report exported to %1").arg(QDir::toNativeSeparators(path)), 5000);
}

void WorkshopController::layOutEveryChart()
{
    // A chart on a page or tab the user has not opened yet has never been laid out (it would
    // render at a default size, nearly blank): bring each such page and tab forward once, then
    // put every page and tab back as the user left them.
    if (!window_->isVisible())
        return;
    struct Shown {
        QStackedWidget* stack;
        QTabWidget* tabs;
        int index;
    };
    QList<Shown> shown;
    for (const auto& [title, page] : window_->studioPages()) {
        for (const ExportableChart& chart : page->exportableCharts()) {
            if (!chart.view || !chart.view->testAttribute(Qt::WA_PendingResizeEvent))
                continue;
            for (QWidget* child = chart.view; child->parentWidget(); child = child->parentWidget()) {
                auto* stack = qobject_cast<QStackedWidget*>(child->parentWidget());
                if (!stack || stack->currentWidget() == child)
                    continue;
                auto* tabs = qobject_cast<QTabWidget*>(stack->parentWidget());
                shown.append({stack, tabs, stack->currentIndex()});
                tabs ? tabs->setCurrentWidget(child) : stack->setCurrentWidget(child);
            }
            QCoreApplication::processEvents(QEventLoop::ExcludeUserInputEvents);
        }
    }
    for (auto it = shown.rbegin(); it != shown.rend(); ++it)
        it->tabs ? it->tabs->setCurrentIndex(it->index) : it->stack->setCurrentIndex(it->index);
    if (!shown.isEmpty())
        QCoreApplication::processEvents(QEventLoop::ExcludeUserInputEvents);
}

}  // namespace cstudio::ui
