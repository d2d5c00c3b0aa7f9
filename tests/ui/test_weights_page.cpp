// The Weights page opens the demo model and real files off the GUI thread, shows them as a
// tree by layer and role with a summary, computes the selected tensor's statistics in the
// background, puts the model into the shared session and offers it to the Budget page.
#include "core/formats/demo_model.h"
#include "ui/budget/budget_page.h"
#include "ui/main_window.h"
#include "ui/model_session.h"
#include "ui/weights/model_summary_panel.h"
#include "ui/weights/tensor_statistics_view.h"
#include "ui/weights/weights_page.h"
#include "ui/weights/weights_tree.h"

#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QtCharts/QChart>

using namespace cstudio;
using namespace cstudio::ui;

class TestWeightsPage : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir_;

    static QString label(QWidget* page, const char* name)
    {
        auto* widget = page->findChild<QLabel*>(QLatin1String(name));
        return widget ? widget->text() : QStringLiteral("<missing %1>").arg(QLatin1String(name));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
        QCoreApplication::setOrganizationName(QStringLiteral("CompressionStudioTest"));
    }

    void opensTheDemoModelOnStartAndShowsItsTree()
    {
        ModelSession session;
        WeightsPage page(&session);
        QSignalSpy changed(&session, &ModelSession::modelChanged);
        QTRY_VERIFY_WITH_TIMEOUT(session.model() != nullptr, 10000);
        QCOMPARE(session.model()->displayName(), QStringLiteral("Demo model"));
        WeightsTree* tree = page.tree();
        QCOMPARE(tree->topLevelItemCount(), 9);  // outside the blocks + 8 layers
        QCOMPARE(tree->tensorItemCount(), 75);
        QCOMPARE(tree->topLevelItem(1)->text(WeightsTree::NameColumn), QStringLiteral("Layer 0"));
        QCOMPARE(tree->topLevelItem(1)->childCount(), 9);
        QTreeWidgetItem* q = tree->topLevelItem(1)->child(1);
        QCOMPARE(q->text(WeightsTree::NameColumn), QStringLiteral("self_attn.q_proj.weight"));
        QCOMPARE(q->text(WeightsTree::RoleColumn), QStringLiteral("attn_q"));
        QCOMPARE(q->text(WeightsTree::ShapeColumn), QStringLiteral("[512, 512]"));
        QCOMPARE(q->text(WeightsTree::DtypeColumn), QStringLiteral("F32"));
        QCOMPARE(q->data(WeightsTree::ParametersColumn, Qt::UserRole).toLongLong(), 262144);
        QCOMPARE(q->text(WeightsTree::BytesColumn), QStringLiteral("1.0 MB"));
        QCOMPARE(label(&page, "summaryParameters").left(6), QStringLiteral("29.9 M"));
        QCOMPARE(label(&page, "summaryLayers"), QStringLiteral("8"));
        QCOMPARE(label(&page, "summaryHidden"), QStringLiteral("512"));
        QVERIFY(changed.count() >= 1);
    }

    void selectingATensorComputesItsStatisticsInTheBackground()
    {
        ModelSession session;
        WeightsPage page(&session);
        QTRY_VERIFY_WITH_TIMEOUT(session.model() != nullptr, 10000);
        TensorStatisticsView* view = page.statisticsView();
        QSignalSpy ready(view, &TensorStatisticsView::statisticsReady);
        const auto& tensors = session.model()->tensors();
        const auto k = std::find_if(tensors.begin(), tensors.end(),
                                    [](const TensorInfo& t) { return t.name == QLatin1String("model.layers.2.self_attn.k_proj.weight"); });
        QVERIFY(page.tree()->selectTensor(int(k - tensors.begin())));
        QTRY_VERIFY_WITH_TIMEOUT(!view->isComputing() && ready.count() > 0, 20000);
        const WeightStatistics& s = view->statistics();
        QCOMPARE(s.count, 262144);
        QVERIFY(s.standardDeviation > 0.019 && s.standardDeviation < 0.025);
        QVERIFY(s.excessKurtosis > 3);
        QCOMPARE(label(&page, "statSigma"), QString::number(s.standardDeviation, 'g', 4));
        QVERIFY(label(&page, "statBeyond6Sigma").contains(QLatin1String("%")));
        QCOMPARE(label(&page, "statNonFinite"), QStringLiteral("0 / 0"));
        // The chart holds the histogram and the ±6σ markers, with titled axes.
        QChart* chart = view->chart();
        QVERIFY(chart->series().size() >= 2);
        QVERIFY(chart->title().contains(QLatin1String("k_proj")));
        QCOMPARE(chart->axes(Qt::Horizontal).value(0)->titleText(), QStringLiteral("weight value"));
        qint64 total = 0;
        for (qint64 count : s.histogram.counts)
            total += count;
        QCOMPARE(total, s.count);
    }

    void opensAFixtureFileAndRemembersIt()
    {
        const QString path = QStringLiteral(CSTUDIO_FIXTURE_DIR "/readers/quantized.gguf");
        if (!QFile::exists(path))
            QSKIP("conformance fixtures missing (make_fixtures.py has not run)");
        ModelSession session;
        WeightsPage page(&session);
        QTRY_VERIFY_WITH_TIMEOUT(session.model() != nullptr, 10000);  // the demo first
        QSignalSpy finished(&page, &WeightsPage::loadFinished);
        page.openPath(path);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 10000);
        QVERIFY(finished.first().at(0).toBool());
        QCOMPARE(session.model()->displayName(), path);
        QCOMPARE(page.tree()->tensorItemCount(), 14);
        QVERIFY(label(&page, "summaryDtypes").contains(QLatin1String("Q4_K")));
        QCOMPARE(page.recentFiles().value(0), QFileInfo(path).absoluteFilePath());
        // A quantized tensor's statistics come from its dequantized values.
        QSignalSpy ready(page.statisticsView(), &TensorStatisticsView::statisticsReady);
        const auto& tensors = session.model()->tensors();
        const auto q6 = std::find_if(tensors.begin(), tensors.end(), [](const TensorInfo& t) { return t.dtype == QLatin1String("Q6_K"); });
        QVERIFY(page.tree()->selectTensor(int(q6 - tensors.begin())));
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() > 0, 10000);
        QCOMPARE(page.statisticsView()->statistics().count, 8 * 512);
    }

    void badFilesShowTheErrorAndKeepTheModel()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("broken.gguf"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("GGUF\x03\0\0\0");
        file.close();
        ModelSession session;
        WeightsPage page(&session);
        QTRY_VERIFY_WITH_TIMEOUT(session.model() != nullptr, 10000);
        QSignalSpy finished(&page, &WeightsPage::loadFinished);
        page.openPath(path);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 10000);
        QVERIFY(!finished.first().at(0).toBool());
        QVERIFY(label(&page, "weightsMessage").contains(QLatin1String("broken.gguf")));
        QCOMPARE(session.model()->displayName(), QStringLiteral("Demo model"));
    }

    void useInBudgetSendsTheModelsSize()
    {
        ModelSession session;
        WeightsPage page(&session);
        QTRY_VERIFY_WITH_TIMEOUT(session.model() != nullptr, 10000);
        QSignalSpy requested(&page, &WeightsPage::useInBudgetRequested);
        auto* button = page.findChild<QPushButton*>(QStringLiteral("useInBudgetButton"));
        QVERIFY(button && button->isEnabled());
        button->click();
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.first().at(1).toLongLong(), 29893120);
        QCOMPARE(requested.first().at(2).toInt(), 8);
        QCOMPARE(requested.first().at(3).toLongLong(), 512);
    }

    void mainWindowHasTheWeightsPageAndFileMenuActions()
    {
        MainWindow window;
        QVERIFY(window.page(QStringLiteral("Weights")));
        QVERIFY(window.showPage(QStringLiteral("Weights")));
        auto* fileMenu = window.menuBar()->findChild<QMenu*>(QStringLiteral("fileMenu"));
        QVERIFY(fileMenu);
        QStringList texts;
        for (QAction* action : fileMenu->actions())
            texts << action->text();
        QVERIFY(texts.contains(QStringLiteral("&Open Weights…")));
        QVERIFY(texts.contains(QStringLiteral("Open &Demo Model")));
        QVERIFY(texts.contains(QStringLiteral("Open &Recent")));
        QTRY_VERIFY_WITH_TIMEOUT(window.modelSession()->model() != nullptr, 10000);
    }

    void useInBudgetMakesTheModelTheBudgetPagesCustomModel()
    {
        MainWindow window;
        auto* weights = qobject_cast<WeightsPage*>(window.page(QStringLiteral("Weights")));
        auto* budget = qobject_cast<BudgetPage*>(window.page(QStringLiteral("Budget")));
        if (!budget)
            QSKIP("no Budget page on this branch");
        QTRY_VERIFY_WITH_TIMEOUT(window.modelSession()->model() != nullptr, 10000);
        weights->findChild<QPushButton*>(QStringLiteral("useInBudgetButton"))->click();
        auto* stack = qobject_cast<QStackedWidget*>(budget->parentWidget());
        QVERIFY(stack);
        QCOMPARE(stack->currentWidget(), budget);
        // weights = parameters × bits / 8 (seed 000), for the demo's 29 893 120 parameters.
        QTRY_VERIFY(budget->lastError().isEmpty() &&
                    std::abs(budget->currentEstimate().weightsGB - 29893120.0 * budget->bits() / 8 / 1e9) < 1e-9);
    }
};

QTEST_MAIN(TestWeightsPage)
#include "test_weights_page.moc"
