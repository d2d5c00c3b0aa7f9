// Presentation mode on a 1280×720 projector: with its larger fonts, every page (and a lesson,
// with the Lessons dock beside the page) fits the screen's width. No page scrolls sideways, no
// page's minimum width pushes the window past the screen, and table headers are not cut. The
// texts a teacher points at read whole without hovering: every tensor name in the Weights tree
// (with every other column it shows), every entry of every page's list boxes (models, devices,
// formats, logit presets, the Quant Lab's tensors and schemes), every button and the Quant Lab's
// list of schemes, and the charts on every tab (the playground's after a run too, the Quant
// Lab's group view with its legend's figures: no chart covered by its neighbour, no text cut).
#include "core/formats/demo_model.h"
#include "tests/ui/projector_screen.h"
#include "ui/budget/budget_page.h"
#include "ui/distill/distillation_page.h"
#include "ui/distill/playground_panel.h"
#include "ui/lessons/lessons_panel.h"
#include "ui/main_window.h"
#include "ui/presentation/presentation_mode.h"
#include "ui/weights/weights_page.h"
#include "ui/weights/weights_tree.h"
#include "ui/workshop/workshop_controller.h"

#include <QAbstractAxis>
#include <QAbstractButton>
#include <QAbstractSpinBox>
#include <QCheckBox>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>
#include <QAbstractItemView>
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QGraphicsScene>
#include <QGraphicsTextItem>
#include <QScreen>
#include <QTableView>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QLayout>
#include <QLegend>
#include <QLegendMarker>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStyle>
#include <QStyleOptionComboBox>
#include <QTabWidget>
#include <QTextDocument>
#include <QtTest>

using namespace cstudio::ui;

namespace {
using cstudio::test::kProjectorHeight;
using cstudio::test::kProjectorWidth;

// The widest children under `widget` by minimum width, to say in a failure what pushes it wide.
QString widestChildren(QWidget* widget, int depth = 0)
{
    QString text;
    for (QWidget* child : widget->findChildren<QWidget*>(Qt::FindDirectChildrenOnly)) {
        if (child->isWindow())
            continue;
        const int width = qMax(child->minimumSizeHint().width(), child->minimumWidth());
        if (width < 500)
            continue;
        text += QStringLiteral("\n%1%2 %3 min %4").arg(QString(depth * 2, QLatin1Char(' ')), QString::fromLatin1(child->metaObject()->className()),
                                                     child->objectName()).arg(width);
        if (depth < 6)
            text += widestChildren(child, depth + 1);
    }
    return text;
}

// Labels on `page` whose text the label cannot show whole: a one-line label narrower than its
// text, a wrapping label shorter than its wrapped text (cut at the bottom).
QStringList clippedLabels(QWidget* page)
{
    QStringList clipped;
    for (QLabel* label : page->findChildren<QLabel*>()) {
        if (!label->isVisible() || label->text().isEmpty() || label->width() <= 0)
            continue;
        const QString name = QStringLiteral("%1 \"%2\"").arg(label->objectName(), label->text().left(60));
        if (label->wordWrap()) {
            const int needed = label->heightForWidth(label->width());
            if (needed > label->height())
                clipped << QStringLiteral("%1 is %2 px high, its wrapped text needs %3").arg(name).arg(label->height()).arg(needed);
        } else {
            const int needed = label->sizeHint().width();
            if (needed > label->width())
                clipped << QStringLiteral("%1 is %2 px wide, its text needs %3").arg(name).arg(label->width()).arg(needed);
        }
    }
    return clipped;
}

// Buttons on `page` narrower than their text (a layout squeezed them) and line edits whose
// text does not fit their field (the Quant Lab's list of schemes).
QStringList cutButtonsAndFields(QWidget* page)
{
    QStringList cut;
    for (QAbstractButton* button : page->findChildren<QAbstractButton*>()) {
        if (!button->isVisible() || button->text().isEmpty() || !(qobject_cast<QPushButton*>(button) || qobject_cast<QToolButton*>(button)
                                                                     || qobject_cast<QCheckBox*>(button)))
            continue;
        if (button->width() < button->sizeHint().width())
            cut << QStringLiteral("button \"%1\" is %2 px wide, its text needs %3").arg(button->text()).arg(button->width())
                       .arg(button->sizeHint().width());
    }
    for (QLineEdit* edit : page->findChildren<QLineEdit*>()) {
        if (!edit->isVisible() || edit->text().isEmpty() || qobject_cast<QAbstractSpinBox*>(edit->parentWidget())
            || qobject_cast<QComboBox*>(edit->parentWidget()))
            continue;
        const int frame = edit->hasFrame() ? edit->style()->pixelMetric(QStyle::PM_DefaultFrameWidth, nullptr, edit) : 0;
        const QMargins margins = edit->textMargins();
        const int room = edit->width() - 2 * frame - 2 * 2 - margins.left() - margins.right();  // QLineEdit's 2 px each side
        const int needed = edit->fontMetrics().horizontalAdvance(edit->text());
        if (needed > room)
            cut << QStringLiteral("%1 \"%2\" shows %3 px of its %4 px of text").arg(edit->objectName(), edit->text()).arg(room).arg(needed);
    }
    return cut;
}

// Chart texts on `page` that Qt Charts cut with an ellipsis to fit (a title, an axis title, a
// legend entry, a tick label) or that fall partly outside their chart's view.
QStringList elidedChartTexts(QWidget* page)
{
    QStringList elided;
    for (QChartView* view : page->findChildren<QChartView*>()) {
        if (!view->isVisible() || !view->scene())
            continue;
        for (QGraphicsItem* item : view->scene()->items()) {
            auto* text = qgraphicsitem_cast<QGraphicsTextItem*>(item);
            if (!text || !text->isVisible())
                continue;
            const QString shown = text->toPlainText();
            if (shown.endsWith(QStringLiteral("...")) || shown.contains(QChar(0x2026)))
                elided << QStringLiteral("%1 \"%2\": \"%3\"").arg(view->objectName(), view->chart()->title(), shown);
            // Nor drawn partly outside the view (a chart laid out taller than its view). The
            // text item's box has a few pixels of document margin around the glyphs.
            const QRect drawn = view->mapFromScene(text->sceneBoundingRect()).boundingRect().marginsRemoved(QMargins(4, 4, 4, 4));
            if (!shown.isEmpty() && !view->viewport()->rect().contains(drawn))
                elided << QStringLiteral("%1: \"%2\" drawn at %3,%4 %5×%6, outside the view's %7×%8")
                              .arg(view->objectName(), shown).arg(drawn.x()).arg(drawn.y()).arg(drawn.width()).arg(drawn.height())
                              .arg(view->viewport()->width()).arg(view->viewport()->height());
        }
    }
    return elided;
}

// Axis titles of the charts on `page` that are not drawn whole (Qt Charts drops or cuts an axis
// title that has no room).
QStringList missingAxisTitles(QWidget* page)
{
    QStringList missing;
    for (QChartView* view : page->findChildren<QChartView*>()) {
        if (!view->isVisible() || !view->scene())
            continue;
        QStringList drawn;
        for (QGraphicsItem* item : view->scene()->items())
            if (auto* text = qgraphicsitem_cast<QGraphicsTextItem*>(item); text && text->isVisible())
                drawn << text->toPlainText();
        for (QAbstractAxis* axis : view->chart()->axes()) {
            QTextDocument title;
            title.setHtml(axis->titleText());
            if (!title.toPlainText().isEmpty() && !drawn.contains(title.toPlainText()))
                missing << QStringLiteral("%1 (%2×%3 px): axis title \"%4\" not drawn whole; it draws: %5")
                               .arg(view->objectName()).arg(view->width()).arg(view->height())
                               .arg(title.toPlainText(), drawn.join(QStringLiteral(" | ")));
        }
    }
    return missing;
}

// Charts on `page` that a neighbour covers in part (a layout that gave a chart less than its
// minimum height lays the next widget over its bottom: its axis titles then disappear).
QStringList coveredCharts(QWidget* page)
{
    QStringList covered;
    for (QChartView* view : page->findChildren<QChartView*>()) {
        if (!view->isVisible() || !view->parentWidget())
            continue;
        for (QWidget* sibling : view->parentWidget()->findChildren<QWidget*>(Qt::FindDirectChildrenOnly)) {
            if (sibling == view || !sibling->isVisible() || sibling->isWindow())
                continue;
            const QRect overlap = view->geometry().intersected(sibling->geometry());
            if (!overlap.isEmpty())
                covered << QStringLiteral("%1 (%2 px high) is covered over %3 px by %4 %5")
                               .arg(view->objectName()).arg(view->height()).arg(overlap.height())
                               .arg(QString::fromLatin1(sibling->metaObject()->className()), sibling->objectName());
        }
    }
    return covered;
}

// Entries of the Weights tree (every branch open) whose text its column cuts, or columns that
// lie outside the tree's view (to be scrolled to). The name column always counts; a column the
// tree hides for want of room (role, shape, dtype, size) does not, as it shows nothing cut.
QStringList cutTreeTexts(WeightsTree* tree)
{
    QStringList cut;
    tree->expandAll();
    QTest::qWait(200);  // the view lays out the opened branches
    const int margin = 2 * (tree->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, tree) + 1);
    QList<QTreeWidgetItem*> items;
    for (int top = 0; top < tree->topLevelItemCount(); ++top) {
        items << tree->topLevelItem(top);
        for (int child = 0; child < tree->topLevelItem(top)->childCount(); ++child)
            items << tree->topLevelItem(top)->child(child);
    }
    for (QTreeWidgetItem* item : items) {
        for (int column = 0; column < tree->columnCount(); ++column) {
            if (item->text(column).isEmpty() || (column != WeightsTree::NameColumn && tree->isColumnHidden(column)))
                continue;
            const QRect cell = tree->visualItemRect(item).isValid() ? tree->visualRect(tree->indexFromItem(item, column)) : QRect();
            const QVariant font = item->data(column, Qt::FontRole);  // as the delegate: the item's attributes over the view's font
            const QFont shownFont = font.isValid() ? font.value<QFont>().resolve(tree->font()) : tree->font();
            const int needed = QFontMetrics(shownFont).horizontalAdvance(item->text(column)) + margin;
            if (cell.width() < needed || cell.right() >= tree->viewport()->width())
                cut << QStringLiteral("\"%1\" (column %2) needs %3 px, has %4 px at x %5 of a %6 px view")
                           .arg(item->text(column)).arg(column).arg(needed).arg(cell.width()).arg(cell.x()).arg(tree->viewport()->width());
        }
    }
    tree->collapseAll();
    return cut;
}

// Combo boxes on `page` too narrow for one of their entries: the chosen entry shows cut.
QStringList cutComboEntries(QWidget* page)
{
    QStringList cut;
    for (QComboBox* combo : page->findChildren<QComboBox*>()) {
        if (!combo->isVisible() || combo->isEditable())
            continue;
        QStyleOptionComboBox option;
        option.initFrom(combo);
        option.frame = combo->hasFrame();
        option.subControls = QStyle::SC_All;
        const QRect field = combo->style()->subControlRect(QStyle::CC_ComboBox, &option, QStyle::SC_ComboBoxEditField, combo);
        // Nor wider than the panel that holds it (its right end, the arrow, clipped away).
        if (!combo->parentWidget()->rect().contains(combo->geometry()))
            cut << QStringLiteral("%1 reaches past its panel: %2 px from x %3 in %4 px").arg(combo->objectName()).arg(combo->width())
                       .arg(combo->x()).arg(combo->parentWidget()->width());
        for (int entry = 0; entry < combo->count(); ++entry) {
            const int needed = combo->fontMetrics().horizontalAdvance(combo->itemText(entry)) + 2;  // the style's 1 px each side
            if (needed > field.width())
                cut << QStringLiteral("%1: \"%2\" needs %3 px, the box shows %4").arg(combo->objectName(), combo->itemText(entry))
                           .arg(needed).arg(field.width());
        }
    }
    return cut;
}
}  // namespace

class TestPresentationLayout : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName(QStringLiteral("CompressionStudioTests"));
        QApplication::setApplicationName(QStringLiteral("test_presentation_layout"));
    }

    void everyPageFitsA1280By720ProjectorWithoutScrollingSideways_data()
    {
        QTest::addColumn<QString>("page");
        QTest::addColumn<bool>("lessonOpen");
        for (const char* page : {"Budget", "Weights", "Quant Lab", "Distillation"}) {
            QTest::newRow(page) << QString::fromLatin1(page) << false;
            QTest::newRow(qPrintable(QStringLiteral("%1 in a lesson").arg(QString::fromLatin1(page)))) << QString::fromLatin1(page) << true;
        }
    }

    void everyPageFitsA1280By720ProjectorWithoutScrollingSideways()
    {
        QFETCH(QString, page);
        QFETCH(bool, lessonOpen);
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        if (lessonOpen) {
            QVERIFY(window.workshop()->lessonsPanel()->startLesson(page == QLatin1String("Distillation") ? 6 : 0, 0));
            window.workshop()->lessonsDock()->show();
        }
        window.workshop()->presentation()->setActive(true);
        QCOMPARE(window.screen()->geometry().size(), QSize(kProjectorWidth, kProjectorHeight));
        // The pages as a workshop shows them: the demo model open and analysed.
        auto* weights = qobject_cast<WeightsPage*>(window.page(QStringLiteral("Weights")));
        QVERIFY(weights);
        QSignalSpy loaded(weights, &WeightsPage::loadFinished);
        weights->openPath(cstudio::kDemoModelPath);
        QVERIFY(loaded.wait(30000));
        QVERIFY(window.showPage(page));
        QWidget* shown = window.page(page);
        QVERIFY(shown);
        if (page == QLatin1String("Weights")) {  // a tensor's statistics shown: the widest state
            auto* mean = shown->findChild<QLabel*>(QStringLiteral("statMean"));
            QVERIFY(mean);
            QTRY_VERIFY_WITH_TIMEOUT(mean->text() != QStringLiteral("–"), 300000);
        }
        if (page == QLatin1String("Weights")) {
            auto* tree = shown->findChild<WeightsTree*>();
            QVERIFY(tree);
            QVERIFY(tree->tensorItemCount() > 0);
            const QStringList cut = cutTreeTexts(tree);
            QVERIFY2(cut.isEmpty(), qPrintable(QStringLiteral("the tree cuts:\n") + cut.join(QLatin1Char('\n'))));
        }
        if (page == QLatin1String("Budget")) {  // 4.5 bits: the longest precision caption (five formats share it)
            auto* budget = qobject_cast<BudgetPage*>(shown);
            QVERIFY(budget);
            budget->setBits(4.5);
        }
        if (page == QLatin1String("Quant Lab")) {
            auto* layers = shown->findChild<QChartView*>(QStringLiteral("layerChart"));
            QVERIFY(layers);
            QTRY_VERIFY_WITH_TIMEOUT(!layers->chart()->series().isEmpty(), 300000);  // sanitizer builds are slow
            auto* sweep = shown->findChild<QChartView*>(QStringLiteral("sweepChart"));
            QVERIFY(sweep);  // the bit-width sweep done (its title says "running ...…" until then)
            QTRY_VERIFY_WITH_TIMEOUT(!sweep->chart()->series().isEmpty() && !sweep->chart()->title().contains(QChar(0x2026)), 300000);
        }
        QTest::qWait(800);  // layouts settle; the presentation mode's chart re-walk runs

        const int minimum = qMax(window.minimumSizeHint().width(), window.minimumWidth());
        QVERIFY2(minimum <= kProjectorWidth, qPrintable(QStringLiteral("the window needs %1 px:").arg(minimum) + widestChildren(&window)));
        QCOMPARE(window.width(), kProjectorWidth);
        const int pageMinimum = qMax(shown->minimumSizeHint().width(), shown->minimumWidth());
        QVERIFY2(pageMinimum <= shown->width(),
                 qPrintable(QStringLiteral("the page needs %1 px of %2:").arg(pageMinimum).arg(shown->width()) + widestChildren(shown)));
        // No panel squeezes its content below the content's minimum (a fixed-width column whose
        // buttons and labels are then cut), and no table's column header is cut.
        for (QWidget* widget : shown->findChildren<QWidget*>()) {
            if (!widget->isVisible() || !widget->layout() || qobject_cast<QScrollArea*>(widget->parentWidget()))
                continue;
            const int needed = widget->layout()->minimumSize().width();
            QVERIFY2(widget->width() >= needed, qPrintable(QStringLiteral("%1 %2 is %3 px wide, its content needs %4:")
                                                               .arg(QString::fromLatin1(widget->metaObject()->className()), widget->objectName())
                                                               .arg(widget->width()).arg(needed) + widestChildren(widget)));
        }
        for (QAbstractItemView* view : shown->findChildren<QAbstractItemView*>()) {
            auto* table = qobject_cast<QTableView*>(view);
            if (!table || !table->isVisible() || !table->model() || table->horizontalScrollBar()->isVisible())
                continue;
            QHeaderView* header = table->horizontalHeader();
            for (int column = 0; column < header->count(); ++column) {
                if (header->isSectionHidden(column))
                    continue;
                const QString text = table->model()->headerData(column, Qt::Horizontal).toString();
                const int needed = header->fontMetrics().horizontalAdvance(text) + 8;
                QVERIFY2(header->sectionSize(column) >= needed, qPrintable(QStringLiteral("%1: column \"%2\" is %3 px wide, its header needs %4")
                                                                                .arg(table->objectName(), text).arg(header->sectionSize(column)).arg(needed)));
            }
        }
        // Every page shows every figure, label and chart text whole on the projector, no chart
        // covered by its neighbour. (Every tab of the page: the Distillation page's playground,
        // the Quant Lab's Scales & groups, Table and plan too.)
        {
            QTabWidget* tabs = shown->findChild<QTabWidget*>();
            for (int tab = 0; tab < (tabs ? tabs->count() : 1); ++tab) {
                if (tabs && tabs->currentIndex() != tab) {
                    tabs->setCurrentIndex(tab);
                    QTest::qWait(500);
                }
                if (auto* grid = tabs ? tabs->widget(tab)->findChild<QChartView*>(QStringLiteral("gridChart")) : nullptr) {
                    QTRY_VERIFY_WITH_TIMEOUT(!grid->chart()->series().isEmpty(), 300000);  // the selected tensor's groups
                    QTest::qWait(800);
                    // Its legend's figures read whole too: in the legend, or (short names beside
                    // a narrow plot) in the caption under it.
                    QString legend;
                    for (QLegendMarker* marker : grid->chart()->legend()->markers())
                        legend += marker->label() + QLatin1Char('\n');
                    auto* caption = shown->findChild<QLabel*>(QStringLiteral("groupCaption"));
                    QVERIFY(caption);
                    for (const QString& figure : {QStringLiteral("tensor scale: int"), QStringLiteral(" levels, step "), QStringLiteral("quantized (RMSE ")})
                        QVERIFY2(legend.contains(figure) || caption->text().contains(figure),
                                 qPrintable(QStringLiteral("\"%1\" neither in the legend (%2) nor in the caption").arg(figure, legend)));
                }
                const QString where = tabs ? tabs->tabText(tab) + QStringLiteral(": ") : QString();
                const QStringList clipped = clippedLabels(shown);
                QVERIFY2(clipped.isEmpty(), qPrintable(where + QStringLiteral("labels cut:\n") + clipped.join(QLatin1Char('\n'))));
                const QStringList squeezed = cutButtonsAndFields(shown);
                QVERIFY2(squeezed.isEmpty(), qPrintable(where + QStringLiteral("buttons or fields cut:\n") + squeezed.join(QLatin1Char('\n'))));
                const QStringList elided = elidedChartTexts(shown);
                QVERIFY2(elided.isEmpty(), qPrintable(where + QStringLiteral("chart texts elided:\n") + elided.join(QLatin1Char('\n'))));
                const QStringList covered = coveredCharts(shown);
                QVERIFY2(covered.isEmpty(), qPrintable(where + covered.join(QLatin1Char('\n'))));
            }
            if (tabs)
                tabs->setCurrentIndex(0);
        }
        {  // every list box's entries whole: the Quant Lab's tensor names too
            const QStringList cut = cutComboEntries(shown);
            QVERIFY2(cut.isEmpty(), qPrintable(QStringLiteral("lists show entries cut:\n") + cut.join(QLatin1Char('\n'))));
        }
        // The playground after a run: final accuracies in the legend, the accuracy axis zoomed.
        if (page == QLatin1String("Distillation")) {
            auto* distillation = qobject_cast<DistillationPage*>(shown);
            QVERIFY(distillation);
            PlaygroundPanel* playground = distillation->playground();
            auto* tabs = shown->findChild<QTabWidget*>();
            QVERIFY(tabs);
            for (int tab = 0; tab < tabs->count(); ++tab)
                if (tabs->widget(tab)->isAncestorOf(playground) || tabs->widget(tab) == playground)
                    tabs->setCurrentIndex(tab);
            QVERIFY(playground->isVisible());
            QSignalSpy trained(playground, &PlaygroundPanel::finished);
            playground->start();
            QVERIFY(trained.wait(300000));
            QCOMPARE(trained.first().first().toBool(), false);
            QTest::qWait(800);
            const QStringList elided = elidedChartTexts(shown);
            QVERIFY2(elided.isEmpty(), qPrintable(QStringLiteral("after a run, chart texts elided:\n") + elided.join(QLatin1Char('\n'))));
            const QStringList covered = coveredCharts(shown);
            QVERIFY2(covered.isEmpty(), qPrintable(QStringLiteral("after a run:\n") + covered.join(QLatin1Char('\n'))));
            const QStringList missing = missingAxisTitles(shown);
            QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("after a run:\n") + missing.join(QLatin1Char('\n'))));
        }
        for (QScrollArea* area : shown->findChildren<QScrollArea*>()) {
            if (area->isVisible())
                QVERIFY2(!area->horizontalScrollBar()->isVisible(),
                         qPrintable(QStringLiteral("a scroll area scrolls sideways: its content needs %1 px of %2:")
                                        .arg(area->widget() ? area->widget()->minimumSizeHint().width() : -1)
                                        .arg(area->viewport()->width())
                                    + (area->widget() ? widestChildren(area->widget()) : QString())));
        }
    }
};

// The projector is the test platform's screen (tests/ui/projector_screen.h).
int main(int argc, char* argv[])
{
    return cstudio::test::runOnProjectorScreen<TestPresentationLayout>(argc, argv, "projector");
}
#include "test_presentation_layout.moc"
