#pragma once
// What a page offers the studio's workshop features: sessions save and restore its state,
// lessons drive it, exports and reports read its charts and tables. A page is a QWidget that
// also inherits StudioPage; the main window finds it with dynamic_cast, so a page that does not
// implement it simply takes no part.
//
// One convention keeps this small: a lesson action is a key of the page's saved state. Applying
// {"bits": 4} is restoring the one-field state {"bits": 4}, so restoreState() must accept a
// partial object (absent keys leave the page as it is) and saveState()["bits"] then reads 4.
// Actions that are commands rather than state ("train": true) override applyLessonAction().
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

class QAbstractItemModel;
class QChartView;

namespace cstudio::ui {

// A table a page shows, named for the export dialog and the report ("Memory by precision").
struct ExportableTable {
    QString title;
    const QAbstractItemModel* model = nullptr;
};

// A chart a page shows; the view is rendered as it is on screen (PNG at a chosen scale, SVG).
struct ExportableChart {
    QString title;
    QChartView* view = nullptr;
};

class StudioPage {
public:
    virtual ~StudioPage() = default;

    // Everything a user set on this page, as plain JSON (numbers, strings, arrays). Stored in a
    // .cstudio session under the page's title.
    virtual QJsonObject saveState() const = 0;

    // Restores the keys present in `state` and leaves the others alone. Problems that keep
    // part of the state from being restored (a model file that no longer exists, a catalog
    // name this build does not know) are appended to `warnings` in words a user can act on;
    // the rest of the state is still restored.
    virtual void restoreState(const QJsonObject& state, QStringList* warnings) = 0;

    // Applies one lesson action. The default treats it as a one-key state; returns false
    // (with the reason in `error`) when the page cannot apply it.
    virtual bool applyLessonAction(const QString& action, const QJsonValue& value, QString* error)
    {
        QStringList warnings;
        restoreState(QJsonObject{{action, value}}, &warnings);
        if (!warnings.isEmpty() && error)
            *error = warnings.join(QLatin1Char(' '));
        return warnings.isEmpty();
    }

    virtual QList<ExportableChart> exportableCharts() const { return {}; }
    virtual QList<ExportableTable> exportableTables() const { return {}; }
    // The tables of the page's report section: its exportable tables unless a page keeps a
    // long one (a row per tensor) for Export Table and reports a summary of it instead.
    virtual QList<ExportableTable> reportTables() const { return exportableTables(); }

    // A short HTML summary of what the page shows now ("70B at 4 bits: 35.0 GB, 1 GPU"), the
    // opening paragraph of the page's section in a report. Empty: the page has no report section.
    virtual QString reportSummaryHtml() const { return {}; }
};

}  // namespace cstudio::ui
