// Issue #7: the Quant Lab on a 1280x720 projector, presenting (large fonts) and not. Every chart
// title, axis title, legend entry and category label the charts draw reads in full (Qt Charts
// cuts text that does not fit and ends it with "..."), on the Overview and on Scales & groups;
// the heatmap's role names fit their columns, and the run's status line is not cut.
#include "core/formats/demo_model.h"
#include "tests/ui/projector_screen.h"
#include "ui/main_window.h"
#include "ui/presentation/presentation_mode.h"
#include "ui/quantlab/error_heatmap.h"
#include "ui/quantlab/quantlab_page.h"
#include "ui/workshop/workshop_controller.h"

#include <QAbstractAxis>
#include <QApplication>
#include <QBarCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QDir>
#include <QFile>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsTextItem>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QScreen>
#include <QTabWidget>
#include <QTextDocument>
#include <QtTest>

using namespace cstudio::ui;

namespace {
using cstudio::test::kProjectorHeight;
using cstudio::test::kProjectorWidth;
constexpr int kRunTimeoutMs = 600'000;  // sanitizer builds on a shared 2-core machine

// The text of every visible text item a chart view's scene draws.
QStringList drawnTexts(QChartView* view)
{
    QStringList texts;
    for (QGraphicsItem* item : view->scene()->items()) {
        if (!item->isVisible())
            continue;
        if (auto* text = dynamic_cast<QGraphicsTextItem*>(item))
            texts << text->toPlainText();
        else if (auto* simple = dynamic_cast<QGraphicsSimpleTextItem*>(item))
            texts << simple->text();
    }
    return texts;
}

QString plain(const QString& maybeHtml)
{
    QTextDocument document;
    document.setHtml(maybeHtml);
    return document.toPlainText();
}
}  // namespace

class QuantLabProjectorTextTest : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<MainWindow> window_;
    QuantLabPage* page_ = nullptr;

    void checkChartsReadInFull(const QStringList& names)
    {
        for (const QString& name : names) {
            auto* view = page_->findChild<QChartView*>(name);
            QVERIFY2(view, qPrintable(name));
            QChart* chart = view->chart();
            QVERIFY2(!chart->series().isEmpty(), qPrintable(name + QStringLiteral(" is empty")));
            const QStringList texts = drawnTexts(view);
            const QString context = QStringLiteral("%1 (%2x%3 px) draws: %4").arg(name).arg(view->width()).arg(view->height())
                                        .arg(texts.join(QStringLiteral(" | ")));
            for (const QString& text : texts)
                QVERIFY2(!text.endsWith(QLatin1String("...")) && !text.contains(QChar(0x2026)),
                         qPrintable(QStringLiteral("cut text \"%1\" in ").arg(text) + context));
            QVERIFY2(texts.contains(plain(chart->title())), qPrintable(QStringLiteral("title not drawn in full: ") + context));
            for (QLegendMarker* marker : chart->legend()->markers())
                QVERIFY2(texts.contains(marker->label()),
                         qPrintable(QStringLiteral("legend entry \"%1\" not drawn in full: ").arg(marker->label()) + context));
            for (QAbstractAxis* axis : chart->axes()) {
                if (!axis->titleText().isEmpty())
                    QVERIFY2(texts.contains(plain(axis->titleText())),
                             qPrintable(QStringLiteral("axis title \"%1\" not drawn in full: ").arg(axis->titleText()) + context));
                if (auto* categories = qobject_cast<QBarCategoryAxis*>(axis))
                    for (const QString& category : categories->categories())
                        QVERIFY2(texts.contains(category),
                                 qPrintable(QStringLiteral("category \"%1\" not drawn in full: ").arg(category) + context));
            }
        }
    }

    void checkHeatmapAndStatusReadInFull()
    {
        auto* heatmap = page_->findChild<ErrorHeatmap*>(QStringLiteral("heatmap"));
        QVERIFY(heatmap);
        const QStringList headers = heatmap->columnHeaders();
        QCOMPARE(int(headers.size()), heatmap->columnCount());
        const QFontMetrics metrics(heatmap->font());
        for (int c = 0; c < int(headers.size()); ++c) {
            const QString& header = headers[c];
            QVERIFY2(metrics.horizontalAdvance(header) <= heatmap->columnWidth() - 2,
                     qPrintable(QStringLiteral("role \"%1\" is %2 px in a %3 px column").arg(header).arg(metrics.horizontalAdvance(header))
                                    .arg(heatmap->columnWidth())));
            QVERIFY2(!header.contains(QChar(0x2026)) && heatmap->roles()[c].endsWith(header),
                     qPrintable(QStringLiteral("role \"%1\" shown as \"%2\"").arg(heatmap->roles()[c], header)));
        }
        QCOMPARE(QSet<QString>(headers.begin(), headers.end()).size(), int(headers.size()));  // still tells the columns apart

        QLabel* status = page_->runInfo();
        QVERIFY(!status->text().isEmpty());
        const int room = status->contentsRect().width();
        const bool oneLine = status->fontMetrics().horizontalAdvance(status->text()) <= room;
        const bool wrapped = status->wordWrap() && status->height() >= status->heightForWidth(status->width());
        QVERIFY2(oneLine || wrapped, qPrintable(QStringLiteral("status \"%1\" (%2 px of text) cut to %3x%4 px")
                                                    .arg(status->text())
                                                    .arg(status->fontMetrics().horizontalAdvance(status->text()))
                                                    .arg(room)
                                                    .arg(status->height())));
    }

private Q_SLOTS:
    void initTestCase()
    {
        window_ = std::make_unique<MainWindow>();
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
        QCOMPARE(window_->screen()->geometry().size(), QSize(kProjectorWidth, kProjectorHeight));
        QVERIFY(window_->showPage(QStringLiteral("Quant Lab")));
        page_ = qobject_cast<QuantLabPage*>(window_->page(QStringLiteral("Quant Lab")));
        QVERIFY(page_);
        for (const char* name : {"layerChart", "sweepChart", "groupErrorChart"}) {
            auto* view = page_->findChild<QChartView*>(QString::fromLatin1(name));
            QVERIFY(view);
            QTRY_VERIFY_WITH_TIMEOUT(!view->chart()->series().isEmpty(), kRunTimeoutMs);
        }
    }

    void overviewTextReadsInFull_data()
    {
        QTest::addColumn<bool>("presenting");
        QTest::newRow("presenting on a 1280x720 projector") << true;
        QTest::newRow("a 1280x720 window, normal fonts") << false;
    }

    void overviewTextReadsInFull()
    {
        QFETCH(bool, presenting);
        window_->workshop()->presentation()->setActive(presenting);
        if (!presenting)
            window_->showMaximized();
        QTest::qWait(1200);  // layouts settle; the presentation mode's chart re-walk (700 ms) runs
        QVERIFY2(window_->width() > kProjectorWidth - 16 && window_->width() <= kProjectorWidth, qPrintable(QString::number(window_->width())));
        checkChartsReadInFull({QStringLiteral("sweepChart"), QStringLiteral("layerChart"), QStringLiteral("groupErrorChart")});
        checkHeatmapAndStatusReadInFull();
    }

    void groupGridTextReadsInFull_data() { overviewTextReadsInFull_data(); }

    void groupGridTextReadsInFull()
    {
        QFETCH(bool, presenting);
        window_->workshop()->presentation()->setActive(presenting);
        if (!presenting)
            window_->showMaximized();
        auto* tabs = page_->findChild<QTabWidget*>();
        QVERIFY(tabs);
        tabs->setCurrentIndex(1);  // Scales & groups
        auto* view = page_->findChild<QChartView*>(QStringLiteral("gridChart"));
        QVERIFY(view);
        QTRY_VERIFY_WITH_TIMEOUT(!view->chart()->series().isEmpty(), kRunTimeoutMs);
        QTest::qWait(1200);
        checkChartsReadInFull({QStringLiteral("gridChart")});
        tabs->setCurrentIndex(0);
    }
};

int main(int argc, char* argv[])
{
    return cstudio::test::runOnProjectorScreen<QuantLabProjectorTextTest>(argc, argv, "quantlab-projector");
}
#include "test_quantlab_projector_text.moc"
