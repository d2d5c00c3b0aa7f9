// The Quant Lab page, driven as a user would on the demo model: the analysis runs off the GUI
// thread and lands in the heatmap, the table, the layer chart and the bit-width sweep with the
// same numbers a direct core call gives; clicking a table row or a heatmap cell selects that
// tensor everywhere; Cancel stops a run and keeps the last results; the planner plans.
#include "core/analysis/analysis_engine.h"
#include "core/analysis/bit_width_sweep.h"
#include "core/formats/demo_model.h"
#include "ui/budget/budget_page.h"
#include "ui/main_window.h"
#include "ui/model_session.h"
#include "ui/quantlab/background_job.h"
#include "ui/quantlab/error_heatmap.h"
#include "ui/quantlab/plan_panel.h"
#include "ui/quantlab/quantlab_page.h"
#include "ui/quantlab/scheme_picker.h"
#include "ui/quantlab/tensor_results_model.h"

#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

using namespace cstudio;
using namespace cstudio::ui;

namespace {
constexpr int kRunTimeoutMs = 600'000;  // a shared 2-core CI machine: generous

bool close(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b)) + 1e-15; }
}  // namespace

class QuantLabPageTest : public QObject {
    Q_OBJECT
private:
    ModelSession session_;
    std::unique_ptr<QuantLabPage> page_;

private Q_SLOTS:
    void initTestCase()
    {
        page_ = std::make_unique<QuantLabPage>(&session_);
        page_->resize(1300, 850);
        page_->show();
        QVERIFY(page_->schemePicker()->setSchemeNames({QStringLiteral("int4:g64"), QStringLiteral("int8:ch")}));
        QSignalSpy finished(page_.get(), &QuantLabPage::analysisFinished);
        QVERIFY(finished.wait(kRunTimeoutMs));
        QVERIFY(page_->analysis());
    }

    void analysesTheDemoModelWhenNoModelIsLoaded()
    {
        QCOMPARE(page_->source()->displayName(), makeDemoModel()->displayName());
        const AnalysisResult& result = *page_->analysis();
        QCOMPARE(int(result.schemes.size()), 2);
        QCOMPARE(result.schemes[0].name, QStringLiteral("int4:g64"));
        QVERIFY(result.tensors.size() >= 50);  // 8 blocks x 7 matrices + embeddings + head
        QVERIFY2(page_->runInfo()->text().contains(result.device), qPrintable(page_->runInfo()->text()));
        QVERIFY(page_->runInfo()->text().contains(QStringLiteral(" s")));
    }

    void heatmapAndTableMatchADirectCoreCall()
    {
        const AnalysisResult& shown = *page_->analysis();
        // Three tensors straight through the engine: an attention, an MLP and an outside-block one.
        std::vector<int> positions{0, 5, int(shown.tensors.size()) - 3};
        AnalysisRequest request;
        request.schemes = shown.schemes;
        request.errorHistograms = false;
        for (int position : positions)
            request.tensorIndices.push_back(shown.tensors[std::size_t(position)].tensorIndex);
        Result<AnalysisResult> direct = analyzeWeights(*makeDemoModel(), request);
        QVERIFY2(direct, direct ? "" : qPrintable(direct.error().toString()));
        QCOMPARE(direct->tensors.size(), positions.size());

        const int scheme = page_->selectedScheme();
        QCOMPARE(scheme, 0);  // int4:g64: the first scheme of 4 bits or fewer is shown first
        auto* model = qobject_cast<TensorResultsModel*>(page_->tableProxy()->sourceModel());
        QVERIFY(model);
        QCOMPARE(model->rowCount(), int(shown.tensors.size() * shown.schemes.size()));
        for (std::size_t i = 0; i < positions.size(); ++i) {
            const TensorAnalysis& expected = direct->tensors[i];
            const int position = positions[i];
            QCOMPARE(shown.tensors[std::size_t(position)].name, expected.name);
            const SchemeMetrics& m = expected.results[std::size_t(scheme)];
            if (expected.layer >= 0)
                QVERIFY(close(page_->heatmap()->cellValue(expected.layer, expected.role), m.error.relativeRmse()));
            QVERIFY(!page_->heatmap()->cellRect(position).isEmpty());
            for (int s = 0; s < int(shown.schemes.size()); ++s) {
                const SchemeMetrics& e = expected.results[std::size_t(s)];
                const int row = model->rowOf(position, s);
                auto value = [&](int column) { return model->index(row, column).data(Qt::UserRole).toDouble(); };
                QCOMPARE(model->index(row, TensorResultsModel::Tensor).data().toString(), expected.name);
                QCOMPARE(model->index(row, TensorResultsModel::SchemeName).data().toString(), e.scheme);
                QVERIFY(close(value(TensorResultsModel::Rmse), e.error.rmse()));
                QVERIFY(close(value(TensorResultsModel::RelativeRmse), e.error.relativeRmse()));
                QVERIFY(close(value(TensorResultsModel::MaxAbsError), e.error.maxAbsError));
                QVERIFY(close(value(TensorResultsModel::SqnrDb), e.error.sqnrDb()));
                QVERIFY(close(value(TensorResultsModel::Cosine), e.error.cosine()));
                QCOMPARE(qint64(value(TensorResultsModel::Bytes)), e.bytes);
                QVERIFY(close(value(TensorResultsModel::BitsPerWeight), e.bitsPerWeight));
            }
        }
        // The layer chart shows every layer's relative RMSE per scheme, in percent.
        auto* bars = qobject_cast<QBarSeries*>(page_->layerChart()->series().value(0));
        QVERIFY(bars);
        QCOMPARE(bars->count(), int(shown.schemes.size()));
        QCOMPARE(bars->barSets()[0]->count(), int(shown.layers.size()));
        QVERIFY(close(bars->barSets()[0]->at(1), shown.layers[1].results[0].error.relativeRmse() * 100.0));
    }

    void sweepMatchesTheEngineOnTheSelectedTensor()
    {
        if (!page_->sweepAnalysis() || page_->sweepJob()->isRunning()) {
            QSignalSpy sweep(page_.get(), &QuantLabPage::sweepFinished);
            QVERIFY(sweep.wait(kRunTimeoutMs));
        }
        const TensorAnalysis& selected = page_->analysis()->tensors[std::size_t(page_->selectedTensor())];
        AnalysisRequest request;
        for (const QString& name : bitWidthSweepSchemeNames())
            request.schemes.push_back(*parseScheme(name));
        request.errorHistograms = false;
        request.tensorIndices = {selected.tensorIndex};
        Result<AnalysisResult> direct = analyzeWeights(*makeDemoModel(), request);
        QVERIFY(direct);
        const BitWidthSweep expected = bitWidthSweepFrom(*direct, 0);
        const QList<QAbstractSeries*> lines = page_->sweepChart()->series();
        QCOMPARE(lines.size(), 5);  // tensor, ch, g128, g64, g32
        for (int g = 0; g < 5; ++g) {
            auto* line = qobject_cast<QLineSeries*>(lines[g]);
            QVERIFY(line);
            QCOMPARE(line->count(), 7);  // 2..8 bits
            for (int b = 0; b < 7; ++b) {
                QCOMPARE(line->at(b).x(), double(b + 2));
                QVERIFY(close(line->at(b).y(), expected.rmse[std::size_t(g)][std::size_t(b)]));
            }
        }
        // Seed 002's lesson, on this tensor: at 4 bits groups of 64 beat one tensor-wide scale.
        QVERIFY(expected.rmse[3][2] < expected.rmse[0][2]);
        // ... and its printed table (bits | one global scale | g=64) is in the chart's tooltip.
        const QString tooltip = page_->findChild<QChartView*>(QStringLiteral("sweepChart"))->toolTip();
        for (std::size_t b : {std::size_t(6), std::size_t(2), std::size_t(1), std::size_t(0)}) {
            QVERIFY(tooltip.contains(QString::number(expected.rmse[0][b], 'f', 6)));
            QVERIFY(tooltip.contains(QString::number(expected.rmse[3][b], 'f', 6)));
        }
    }

    void clickingATableRowSelectsTheTensorEverywhere()
    {
        QSignalSpy selected(page_.get(), &QuantLabPage::tensorSelected);
        const int target = page_->selectedTensor() == 2 ? 3 : 2;
        auto* model = qobject_cast<TensorResultsModel*>(page_->tableProxy()->sourceModel());
        const QModelIndex index = page_->tableProxy()->mapFromSource(model->index(model->rowOf(target, 1), 0));
        page_->table()->scrollTo(index);
        const QRect rect = page_->table()->visualRect(index);
        QVERIFY(rect.isValid());
        QTest::mouseClick(page_->table()->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(selected.count(), 1);
        QCOMPARE(page_->selectedTensor(), target);
        QCOMPARE(page_->heatmap()->selectedTensor(), target);
        QCOMPARE(page_->findChild<QComboBox*>(QStringLiteral("tensorCombo"))->currentIndex(), target);
        // The group view follows: it inspects the selected tensor's worst group.
        QSignalSpy detail(page_.get(), &QuantLabPage::detailFinished);
        QVERIFY(detail.count() > 0 || detail.wait(kRunTimeoutMs));
        QVERIFY(!page_->groupInspection().values.empty());
        QVERIFY(!page_->gridChart()->series().isEmpty());
    }

    void clickingAHeatmapCellSelectsTheTensor()
    {
        const int target = 7;
        const QRect cell = page_->heatmap()->cellRect(target);
        QVERIFY(!cell.isEmpty());
        QTest::mouseClick(page_->heatmap(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(page_->selectedTensor(), target);
        const QModelIndexList rows = page_->table()->selectionModel()->selectedRows();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows[0].data(TensorResultsModel::TensorPositionRole).toInt(), target);
    }

    void plannerPlansWithinTheBudgetAndExports()
    {
        PlanPanel* plan = page_->planPanel();
        plan->setBudget(PlanBudget::bitsPerWeight(6.0));
        QVERIFY2(plan->plan().has_value(), qPrintable(plan->errorText()));
        QVERIFY(plan->plan()->plan.bitsPerWeight <= 6.0 + 1e-9);
        QVERIFY(plan->plan()->plan.bitsPerWeight > 4.0);  // the budget buys some int8 tensors
        QCOMPARE(plan->comparisonModel()->rowCount(), 3);  // plan + two uniform schemes
        QTemporaryDir dir;
        QString error;
        QVERIFY2(plan->exportJson(dir.filePath(QStringLiteral("plan.json")), &error), qPrintable(error));
        QFile file(dir.filePath(QStringLiteral("plan.json")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(QJsonDocument::fromJson(file.readAll()).isObject());
        // No GGUF scheme selected: the llama-quantize export says so instead of writing nothing.
        QVERIFY(!plan->exportLlamaArguments(dir.filePath(QStringLiteral("types.txt")), &error));
        QVERIFY(error.contains(QStringLiteral("GGUF")));
        QSignalSpy budget(page_.get(), &QuantLabPage::useBitsInBudget);
        for (QPushButton* button : plan->findChildren<QPushButton*>())
            if (button->text() == QStringLiteral("Use in Budget"))
                button->click();
        QCOMPARE(budget.count(), 1);
        QVERIFY(close(budget.first().first().toDouble(), plan->plan()->plan.bitsPerWeight));
    }

    void cancelStopsARunAndKeepsTheLastResults()
    {
        page_->sweepJob()->waitForIdle();
        page_->detailJob()->waitForIdle();
        const std::shared_ptr<const AnalysisResult> before = page_->analysis();
        QSignalSpy failed(page_.get(), &QuantLabPage::analysisFailed);
        QVERIFY(page_->schemePicker()->setSchemeNames({QStringLiteral("int3:g64"), QStringLiteral("nf4")}));
        page_->runAnalysis();
        QVERIFY(page_->analysisJob()->isRunning());
        QVERIFY(page_->cancelButton()->isEnabled());
        QTest::mouseClick(page_->cancelButton(), Qt::LeftButton);
        QVERIFY(failed.wait(kRunTimeoutMs));
        QCOMPARE(failed.first().first().toString(), QStringLiteral("cancelled"));
        QCOMPARE(page_->runInfo()->text(), QStringLiteral("Cancelled"));
        QCOMPARE(page_->analysis(), before);
        QVERIFY(!page_->analysisJob()->isRunning());
        QTRY_VERIFY(!page_->cancelButton()->isEnabled());
    }

    void badSchemeTextIsReportedAndKeepsTheLastValidList()
    {
        const QStringList before = page_->schemePicker()->schemeNames();
        QVERIFY(!page_->schemePicker()->setSchemeNames({QStringLiteral("int9:g64")}));
        QVERIFY(page_->schemePicker()->errorText().contains(QStringLiteral("int9")));
        QCOMPARE(page_->schemePicker()->schemeNames(), before);
    }

    void useInBudgetSetsTheBudgetPagesPrecision()
    {
        MainWindow window;
        const QStringList titles = window.pageTitles();
        QCOMPARE(titles.indexOf(QStringLiteral("Quant Lab")), titles.indexOf(QStringLiteral("Weights")) + 1);
        auto* lab = qobject_cast<QuantLabPage*>(window.page(QStringLiteral("Quant Lab")));
        auto* budget = qobject_cast<BudgetPage*>(window.page(QStringLiteral("Budget")));
        QVERIFY(lab && budget);
        QVERIFY(window.studioPage(QStringLiteral("Quant Lab")));
        Q_EMIT lab->useBitsInBudget(5.5);
        QVERIFY2(std::abs(budget->bits() - 5.5) < 0.01, qPrintable(QString::number(budget->bits())));
        QCOMPARE(window.currentPageTitle(), QStringLiteral("Budget"));
    }

    void stateRoundTripsThroughASession()
    {
        const QJsonObject state = page_->saveState();
        QCOMPARE(state.value(QStringLiteral("schemes")).toArray().size(), 2);
        QStringList warnings;
        page_->restoreState(QJsonObject{{QStringLiteral("schemes"), QJsonArray{QStringLiteral("int99")}}}, &warnings);
        QCOMPARE(warnings.size(), 1);
        QVERIFY(warnings.first().contains(QStringLiteral("int99")));
        page_->restoreState(state, &warnings);
        QCOMPARE(page_->saveState(), state);
    }

    void cleanupTestCase() { page_.reset(); }
};

QTEST_MAIN(QuantLabPageTest)
#include "test_quantlab_page.moc"
