// The workshop in the main window: every lesson can be followed start to end (each step shows
// its page and its actions take effect there), presentation mode hides the chrome, enlarges
// fonts and chart lines and comes back exactly, and a session saved from the window reopens.
#include "core/lessons/lesson_loader.h"
#include "core/session/session_file.h"
#include "ui/budget/budget_page.h"
#include "ui/export/report_export.h"
#include "ui/lessons/lessons_panel.h"
#include "ui/main_window.h"
#include "ui/presentation/presentation_mode.h"
#include "ui/studio_page.h"
#include "ui/workshop/workshop_controller.h"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QDockWidget>
#include <QJsonArray>
#include <QLineSeries>
#include <QListWidget>
#include <QMenuBar>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

using namespace cstudio;
using namespace cstudio::ui;

namespace {
bool sameValue(const QJsonValue& expected, const QJsonValue& actual)
{
    if (expected.isDouble() && actual.isDouble())
        return qAbs(expected.toDouble() - actual.toDouble()) <= 1e-6 * qMax(1.0, qAbs(expected.toDouble()));
    if (expected.isArray() && actual.isArray()) {
        const QJsonArray a = expected.toArray(), b = actual.toArray();
        if (a.size() != b.size())
            return false;
        for (int i = 0; i < a.size(); ++i)
            if (!sameValue(a[i], b[i]))
                return false;
        return true;
    }
    if (expected.isObject() && actual.isObject()) {
        const QJsonObject a = expected.toObject(), b = actual.toObject();
        for (auto it = a.begin(); it != a.end(); ++it)
            if (!b.contains(it.key()) || !sameValue(it.value(), b.value(it.key())))
                return false;
        return true;
    }
    return expected == actual;
}
}  // namespace

class TestWorkshopWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName(QStringLiteral("CompressionStudioTests"));
        QApplication::setApplicationName(QStringLiteral("test_workshop_window"));
    }

    void everyLessonCanBeFollowedStartToEnd()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        LessonsPanel* panel = window.workshop()->lessonsPanel();
        QCOMPARE(panel->lessons().size(), 7);
        int stepsTaken = 0, stepsOnPresentPages = 0;
        for (int l = 0; l < panel->lessons().size(); ++l) {
            const Lesson& lesson = panel->lessons()[l];
            QVERIFY(panel->startLesson(l));
            for (int s = 0; s < lesson.steps.size(); ++s) {
                if (s > 0)
                    panel->nextStep();
                QCOMPARE(panel->currentLesson(), l);
                QCOMPARE(panel->currentStep(), s);
                const LessonStep& step = lesson.steps[s];
                const QString where = QStringLiteral("%1, step %2 (%3)").arg(lesson.title).arg(s + 1).arg(step.page);
                ++stepsTaken;
                if (!window.page(step.page)) {
                    // A page still to come: the step says so instead of failing silently.
                    QVERIFY2(panel->lastStepProblems().join(' ').contains(step.page), qPrintable(where));
                    continue;
                }
                ++stepsOnPresentPages;
                QCOMPARE(window.currentPageTitle(), step.page);
                QVERIFY2(panel->lastStepProblems().isEmpty(), qPrintable(where + QStringLiteral(": ") + panel->lastStepProblems().join(' ')));
                StudioPage* page = window.studioPage(step.page);
                QVERIFY2(page, qPrintable(where + QStringLiteral(": the page does not implement StudioPage")));
                const QJsonObject state = page->saveState();
                // Lesson actions are state keys (ui/studio_page.h): the page now reads each value;
                // an action absent from the state is a command ("train") and was accepted above.
                for (const LessonAction& action : step.actions) {
                    if (state.contains(action.key))
                        QVERIFY2(sameValue(action.value, state.value(action.key)),
                                 qPrintable(QStringLiteral("%1: %2 should be %3, the page has %4")
                                                .arg(where, action.key, QString::fromUtf8(QJsonDocument(QJsonObject{{action.key, action.value}}).toJson(QJsonDocument::Compact)),
                                                     QString::fromUtf8(QJsonDocument(QJsonObject{{action.key, state.value(action.key)}}).toJson(QJsonDocument::Compact)))));
                }
            }
        }
        QVERIFY(stepsTaken >= 25);
        qInfo("%d lesson steps taken, %d on pages present in this build", stepsTaken, stepsOnPresentPages);
        // Past the last step of the last lesson, Next stays there.
        panel->nextStep();
        QCOMPARE(panel->currentLesson(), panel->lessons().size() - 1);
    }

    void theFirstLessonShowsTheSeedTableOnTheBudgetPage()
    {
        MainWindow window;
        auto* budget = qobject_cast<BudgetPage*>(window.page(QStringLiteral("Budget")));
        QVERIFY(budget);
        LessonsPanel* panel = window.workshop()->lessonsPanel();
        QVERIFY(panel->startLesson(QStringLiteral("01_bits_are_memory")));
        // Steps at 16, 32, 8 and 4 bits: seed 000's 140 GB -> 3, 280 -> 5, 70 -> 2, 35 -> 1 GPU.
        const QList<QPair<double, int>> expected = {{140.0, 3}, {280.0, 5}, {70.0, 2}, {35.0, 1}};
        for (int step = 0; step < expected.size(); ++step) {
            panel->goToStep(step);
            QVERIFY(budget->lastError().isEmpty());
            QCOMPARE(budget->currentEstimate().weightsGB, expected[step].first);
            QCOMPARE(budget->currentEstimate().devicesNeeded, expected[step].second);
        }
    }

    void theSpeedLessonsCeilingsAreWhatTheBudgetPageComputes()
    {
        MainWindow window;
        auto* budget = qobject_cast<BudgetPage*>(window.page(QStringLiteral("Budget")));
        LessonsPanel* panel = window.workshop()->lessonsPanel();
        QVERIFY(panel->startLesson(QStringLiteral("02_bits_are_speed")));
        // "at most about 209 tokens/s" (16 bits), "about 834" (4 bits), "near 250" (RTX 4090).
        QVERIFY(budget->currentEstimate().tokensPerSecond.has_value());
        QCOMPARE(qRound(*budget->currentEstimate().tokensPerSecond), 209);
        panel->nextStep();
        QCOMPARE(qRound(*budget->currentEstimate().tokensPerSecond), 834);
        panel->nextStep();
        QCOMPARE(qRound(*budget->currentEstimate().tokensPerSecond / 10) * 10, 250);
    }

    void startingMidLessonOrGoingBackSetsThePagesAsThatStepExpects()
    {
        MainWindow window;
        StudioPage* budget = window.studioPage(QStringLiteral("Budget"));
        QStringList ignored;
        budget->restoreState({{QStringLiteral("model"), QStringLiteral("llama-3.2-1b")}, {QStringLiteral("context"), 4096}}, &ignored);
        LessonsPanel* panel = window.workshop()->lessonsPanel();
        QVERIFY(panel->startLesson(QStringLiteral("01_bits_are_memory"), 3));
        // Step 4 sets only the bits; the model, device and context come from step 1.
        QCOMPARE(budget->saveState().value(QStringLiteral("bits")).toDouble(), 4.0);
        QCOMPARE(budget->saveState().value(QStringLiteral("params")).toDouble(), 70e9);
        QCOMPARE(budget->saveState().value(QStringLiteral("context")).toInt(), 0);
        panel->previousStep();
        QCOMPARE(budget->saveState().value(QStringLiteral("bits")).toDouble(), 8.0);
        // Next applies only the next step: a change made while trying step 3 survives.
        budget->restoreState({{QStringLiteral("overheadPercent"), 10}}, &ignored);
        panel->nextStep();
        QCOMPARE(budget->saveState().value(QStringLiteral("overheadPercent")).toInt(), 10);
        QCOMPARE(budget->saveState().value(QStringLiteral("bits")).toDouble(), 4.0);
    }

    void nextAndBackCrossLessonBoundaries()
    {
        MainWindow window;
        LessonsPanel* panel = window.workshop()->lessonsPanel();
        QVERIFY(panel->startLesson(0));
        const int firstLessonSteps = static_cast<int>(panel->lessons()[0].steps.size());
        panel->goToStep(firstLessonSteps - 1);
        panel->nextStep();
        QCOMPARE(panel->currentLesson(), 1);
        QCOMPARE(panel->currentStep(), 0);
        panel->previousStep();
        QCOMPARE(panel->currentLesson(), 0);
        QCOMPARE(panel->currentStep(), firstLessonSteps - 1);
    }

    void presentationModeHidesChromeScalesFontsAndChartsAndRestores()
    {
        MainWindow window;
        // A chart somewhere in the window, as pages have.
        auto* series = new QLineSeries;
        series->append(0, 1);
        series->append(1, 2);
        QPen pen = series->pen();
        pen.setWidthF(2.0);
        series->setPen(pen);
        auto* chart = new QChart;
        chart->addSeries(series);
        chart->createDefaultAxes();
        chart->setTitle(QStringLiteral("chart"));
        auto* view = new QChartView(chart);
        window.addDockWidget(Qt::BottomDockWidgetArea, new QDockWidget(QStringLiteral("charts"), &window));
        window.findChildren<QDockWidget*>().last()->setWidget(view);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const qreal fontSize = QApplication::font().pointSizeF();
        const qreal titleSize = chart->titleFont().pointSizeF();
        auto* pageList = window.findChild<QListWidget*>(QStringLiteral("pageList"));

        QTest::keyClick(&window, Qt::Key_F11);
        PresentationMode* presentation = window.workshop()->presentation();
        QVERIFY(presentation->isActive());
        QVERIFY(!window.menuBar()->isVisible());
        QVERIFY(!window.statusBar()->isVisible());
        QVERIFY(!pageList->isVisible());
        QCOMPARE(QApplication::font().pointSizeF(), fontSize * PresentationMode::kFontScale);
        QCOMPARE(chart->titleFont().pointSizeF(), titleSize * PresentationMode::kFontScale);
        QCOMPARE(series->pen().widthF(), 2.0 * PresentationMode::kLineScale);

        // Keyboard navigation while the menus are hidden: PgDn starts and steps the lessons.
        LessonsPanel* panel = window.workshop()->lessonsPanel();
        QTest::keyClick(&window, Qt::Key_PageDown);
        QCOMPARE(panel->currentLesson(), 0);
        QTest::keyClick(&window, Qt::Key_PageDown);
        QCOMPARE(panel->currentStep(), 1);
        QTest::keyClick(&window, Qt::Key_PageUp);
        QCOMPARE(panel->currentStep(), 0);

        QTest::keyClick(&window, Qt::Key_Escape);
        QVERIFY(!presentation->isActive());
        QVERIFY(window.menuBar()->isVisible());
        QVERIFY(window.statusBar()->isVisible());
        QVERIFY(pageList->isVisible());
        QCOMPARE(QApplication::font().pointSizeF(), fontSize);
        QCOMPARE(chart->titleFont().pointSizeF(), titleSize);
        QCOMPARE(series->pen().widthF(), 2.0);

        // Outside presentation mode PgDn is left to the page (tables scroll with it).
        const int step = panel->currentStep();
        QTest::keyClick(&window, Qt::Key_PageDown);
        QCOMPARE(panel->currentStep(), step);
    }

    void aSessionSavedFromTheWindowReopensWithItsLessonStep()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("workshop.cstudio"));
        {
            MainWindow window;
            QVERIFY(window.workshop()->lessonsPanel()->startLesson(QStringLiteral("06_dark_knowledge"), 2));
            QVERIFY(window.workshop()->saveSession(path).ok());
        }
        MainWindow window;
        const Result<QStringList> warnings = window.workshop()->openSession(path);
        QVERIFY(warnings.ok());
        QVERIFY2(warnings->isEmpty(), qPrintable(warnings->join('\n')));
        LessonsPanel* panel = window.workshop()->lessonsPanel();
        QCOMPARE(panel->lessons()[panel->currentLesson()].id, QStringLiteral("06_dark_knowledge"));
        QCOMPARE(panel->currentStep(), 2);
        QCOMPARE(window.workshop()->recentSessions().value(0), QFileInfo(path).absoluteFilePath());
    }

    void pagesAreFoundByTheirNameWrittenAnyWay()
    {
        MainWindow window;
        QVERIFY(window.pageTitles().contains(QStringLiteral("Quant Lab")));
        for (const char* name : {"Quant Lab", "quantlab", "QUANT-LAB", "quant_lab"}) {
            window.showPage(QStringLiteral("Budget"));
            QVERIFY2(window.showPage(QString::fromLatin1(name)), name);
            QCOMPARE(window.currentPageTitle(), QStringLiteral("Quant Lab"));
        }
        QVERIFY(!window.showPage(QStringLiteral("quant")));
        QVERIFY(!window.showPage(QString()));
        QCOMPARE(window.currentPageTitle(), QStringLiteral("Quant Lab"));
    }

    void theRealPagesRoundTripThroughASession()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("pages.cstudio"));
        const QJsonObject budgetSet{{QStringLiteral("model"), QStringLiteral("qwen2.5-72b")}, {QStringLiteral("device"), QStringLiteral("mi300x")},
                                    {QStringLiteral("context"), 32768}, {QStringLiteral("batch"), 4}, {QStringLiteral("overheadPercent"), 15},
                                    {QStringLiteral("kvBits"), 8}, {QStringLiteral("format"), QStringLiteral("mxfp4")}};
        const QJsonObject distillSet{
            {QStringLiteral("teacher"), QJsonObject{{QStringLiteral("labels"), QJsonArray{QStringLiteral("positive"), QStringLiteral("neutral"), QStringLiteral("negative")}},
                                                    {QStringLiteral("logits"), QJsonArray{3, 1, -2}}}},
            {QStringLiteral("studentLogits"), QJsonArray{2, 1.5, -1}}, {QStringLiteral("hardLabel"), QStringLiteral("neutral")},
            {QStringLiteral("tau"), 3.5}, {QStringLiteral("alpha"), 0.25}, {QStringLiteral("taus"), QJsonArray{0.5, 1, 4}},
            {QStringLiteral("playgroundTau"), 6}, {QStringLiteral("epochs"), 40}, {QStringLiteral("tab"), QStringLiteral("playground")}};
        QJsonObject budgetSaved, distillSaved;
        {
            MainWindow window;
            QStringList warnings;
            window.studioPage(QStringLiteral("Budget"))->restoreState(budgetSet, &warnings);
            window.studioPage(QStringLiteral("Distillation"))->restoreState(distillSet, &warnings);
            QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join('\n')));
            window.showPage(QStringLiteral("Distillation"));
            budgetSaved = window.studioPage(QStringLiteral("Budget"))->saveState();
            distillSaved = window.studioPage(QStringLiteral("Distillation"))->saveState();
            for (auto it = budgetSet.begin(); it != budgetSet.end(); ++it)
                QVERIFY2(sameValue(it.value(), budgetSaved.value(it.key())), qPrintable(it.key()));
            for (auto it = distillSet.begin(); it != distillSet.end(); ++it)
                QVERIFY2(sameValue(it.value(), distillSaved.value(it.key())), qPrintable(it.key()));
            QVERIFY(window.workshop()->saveSession(path).ok());
        }
        MainWindow window;
        // Move everything away first, so what the session restores cannot come from QSettings.
        QStringList ignored;
        window.studioPage(QStringLiteral("Budget"))->restoreState({{QStringLiteral("model"), QStringLiteral("llama-3.2-1b")}, {QStringLiteral("bits"), 16}}, &ignored);
        window.studioPage(QStringLiteral("Distillation"))->restoreState({{QStringLiteral("tau"), 1}, {QStringLiteral("tab"), QStringLiteral("explorer")}}, &ignored);
        QVERIFY(window.studioPage(QStringLiteral("Budget"))->saveState() != budgetSaved);
        const Result<QStringList> warnings = window.workshop()->openSession(path);
        QVERIFY(warnings.ok());
        QVERIFY2(warnings->isEmpty(), qPrintable(warnings->join('\n')));
        QCOMPARE(window.studioPage(QStringLiteral("Budget"))->saveState(), budgetSaved);
        QCOMPARE(window.studioPage(QStringLiteral("Distillation"))->saveState(), distillSaved);
        QCOMPARE(window.currentPageTitle(), QStringLiteral("Distillation"));
    }

    void aSessionWhoseModelFileIsGoneSaysSoAndRestoresTheRest()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("gone.cstudio"));
        const QString model = dir.filePath(QStringLiteral("deleted-model.safetensors"));
        SessionDocument session;
        session.pages.insert(QStringLiteral("Weights"), QJsonObject{{QStringLiteral("model"), model},
                                                                    {QStringLiteral("tensor"), QStringLiteral("model.layers.0.mlp.up_proj.weight")}});
        session.pages.insert(QStringLiteral("Budget"), QJsonObject{{QStringLiteral("bits"), 3.0}, {QStringLiteral("device"), QStringLiteral("rtx-4090")}});
        QVERIFY(writeSessionFile(path, session).ok());
        MainWindow window;
        const Result<QStringList> warnings = window.workshop()->openSession(path);
        QVERIFY(warnings.ok());
        QCOMPARE(warnings->size(), 1);
        QVERIFY2(warnings->front().startsWith(QStringLiteral("Weights: the model file ") + model + QStringLiteral(" no longer exists")),
                 qPrintable(warnings->front()));
        const QJsonObject budget = window.studioPage(QStringLiteral("Budget"))->saveState();
        QCOMPARE(budget.value(QStringLiteral("bits")).toDouble(), 3.0);
        QCOMPARE(budget.value(QStringLiteral("device")).toString(), QStringLiteral("rtx-4090"));
    }

    void theWeightsPageRestoresItsModelAndTensor()
    {
        MainWindow window;
        StudioPage* weights = window.studioPage(QStringLiteral("Weights"));
        QVERIFY(weights);
        QStringList warnings;
        weights->restoreState({{QStringLiteral("model"), QStringLiteral("demo")}}, &warnings);
        QTRY_VERIFY_WITH_TIMEOUT(weights->saveState().contains(QStringLiteral("tensor")), 60000);
        QCOMPARE(weights->saveState().value(QStringLiteral("model")).toString(), QStringLiteral("demo"));
        const QString first = weights->saveState().value(QStringLiteral("tensor")).toString();
        const QString other = first.contains(QStringLiteral("layers.0.")) ? QString(first).replace(QStringLiteral("layers.0."), QStringLiteral("layers.3."))
                                                                          : first;
        weights->restoreState({{QStringLiteral("model"), QStringLiteral("demo")}, {QStringLiteral("tensor"), other}}, &warnings);
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join('\n')));
        QCOMPARE(weights->saveState().value(QStringLiteral("tensor")).toString(), other);
        weights->restoreState({{QStringLiteral("tensor"), QStringLiteral("no.such.tensor")}}, &warnings);
        QCOMPARE(warnings.size(), 1);
        QVERIFY(warnings[0].contains(QStringLiteral("no.such.tensor")));
    }

    void theReportOfTheRealPagesExportsAsHtmlAndPdf()
    {
        MainWindow window;
        window.resize(1600, 1000);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        // Pages lay out their charts when shown; show each once, as a user would have.
        for (const QString& title : window.pageTitles()) {
            window.showPage(title);
            QCoreApplication::processEvents();
        }
        const ReportDocument report = buildReport(window.studioPages(), QStringLiteral("test"));
        QStringList sections;
        for (const ReportSection& section : report.sections)
            sections.append(section.title);
        QVERIFY2(sections.contains(QStringLiteral("Budget")) && sections.contains(QStringLiteral("Distillation")), qPrintable(sections.join(',')));
        int figures = 0, tables = 0;
        for (const ReportSection& section : report.sections) {
            figures += static_cast<int>(section.figures.size());
            tables += static_cast<int>(section.tables.size());
        }
        QVERIFY(figures >= 6);
        QVERIFY(tables >= 2);
        // CSTUDIO_KEEP_REPORT_DIR keeps the files, to look at them (headless Chromium, pdftoppm).
        QTemporaryDir temporary;
        const QString dir = qEnvironmentVariable("CSTUDIO_KEEP_REPORT_DIR", temporary.path());
        const QString html = QDir(dir).filePath(QStringLiteral("studio-report.html"));
        const QString pdf = QDir(dir).filePath(QStringLiteral("studio-report.pdf"));
        QVERIFY(exportReport(report, html).ok());
        QVERIFY(exportReport(report, pdf).ok());
        QFile pdfFile(pdf);
        QVERIFY(pdfFile.open(QIODevice::ReadOnly));
        const QByteArray bytes = pdfFile.readAll();
        QVERIFY(bytes.startsWith("%PDF-"));
        QVERIFY(bytes.count("/Subtype /Image") >= figures);
    }

    void aBrokenSessionFileIsAnErrorNamingIt()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("broken.cstudio"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{ \"format\": ");
        file.close();
        MainWindow window;
        const Result<QStringList> opened = window.workshop()->openSession(path);
        QVERIFY(!opened.ok());
        QVERIFY(opened.error().toString().startsWith(path));
    }

    void theWindowLayoutIncludingTheLessonsDockIsRestored()
    {
        QSize size;
        {
            MainWindow window;
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            size = window.minimumSizeHint().expandedTo(QSize(1100, 700)) + QSize(41, 29);
            window.resize(size);
            window.workshop()->lessonsDock()->show();
            window.close();
        }
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.size(), size);
        QVERIFY(window.workshop()->lessonsDock()->isVisible());
    }
};

QTEST_MAIN(TestWorkshopWindow)
#include "test_workshop_window.moc"
