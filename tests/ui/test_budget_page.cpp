// The Budget page, driven through its real widgets (offscreen): the slider sets the precision,
// and the readouts and chart series show core's figures.
#include "ui/budget/budget_charts.h"
#include "ui/budget/budget_page.h"
#include "ui/budget/precision_slider.h"
#include "ui/budget/readout.h"
#include "ui/main_window.h"

#include <QAbstractBarSeries>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QComboBox>
#include <QLabel>
#include <QListWidget>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QtTest>
#include <memory>

using cstudio::ui::BudgetPage;
using cstudio::ui::PrecisionSlider;

class TestBudgetPage : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<cstudio::ui::MainWindow> window_;
    BudgetPage* page_ = nullptr;
    QSlider* slider_ = nullptr;

    QString readout(const char* name) const
    {
        auto* label = page_->findChild<QLabel*>(QLatin1String(name) + QStringLiteral("Value"));
        return label ? label->text() : QStringLiteral("<no %1>").arg(QLatin1String(name));
    }
    QString labelText(const char* name) const { return page_->findChild<QLabel*>(QLatin1String(name))->text(); }
    double barValue(QChart* chart, int set, int index) const
    {
        auto* series = qobject_cast<QAbstractBarSeries*>(chart->series().front());
        return series->barSets().at(set)->at(index);
    }
    void useSeedSetup()
    {
        // Seed 000: a 70 B model on 80 GB GPUs with 20% overhead and no KV cache.
        page_->setCustomModel(QStringLiteral("Seed 70B"), 70e9);
        auto* device = page_->findChild<QComboBox*>(QStringLiteral("deviceCombo"));
        device->setCurrentIndex(device->findData(QStringLiteral("h100-sxm")));
        page_->findChild<QSpinBox*>(QStringLiteral("context"))->setValue(0);
        page_->findChild<QSpinBox*>(QStringLiteral("overhead"))->setValue(20);
        page_->findChild<QSpinBox*>(QStringLiteral("deviceCount"))->setValue(1);
        page_->findChild<QSpinBox*>(QStringLiteral("systemRam"))->setValue(0);
    }

private Q_SLOTS:
    void initTestCase();
    void budgetIsTheFirstPage();
    void draggingTheSliderShowsTheSeedTable_data();
    void draggingTheSliderShowsTheSeedTable();
    void sliderSnapsToCatalogFormatsAndIsContinuousBetween();
    void keyboardMovesTheSliderAcrossTheScale();
    void chartsFollowTheSlider();
    void everyReadoutSaysHowItWasComputed();
    void verdictUsesSystemRam();
    void pushedModelShapeCountsItsKvCache();
    void settingsPersistBetweenRuns();
    void cleanupTestCase();
};

void TestBudgetPage::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("CompressionStudioTest"));
    QCoreApplication::setApplicationName(QStringLiteral("test_budget_page"));
    QSettings().clear();
    window_ = std::make_unique<cstudio::ui::MainWindow>();
    window_->resize(1400, 900);
    window_->show();
    QVERIFY(window_->showPage(QStringLiteral("Budget")));
    page_ = qobject_cast<BudgetPage*>(window_->page(QStringLiteral("Budget")));
    QVERIFY(page_);
    slider_ = page_->findChild<QSlider*>(QStringLiteral("precisionSlider"));
    QVERIFY(slider_);
    useSeedSetup();
}

void TestBudgetPage::budgetIsTheFirstPage()
{
    auto* list = window_->findChild<QListWidget*>(QStringLiteral("pageList"));
    QVERIFY(list);
    QCOMPARE(list->item(0)->text(), QStringLiteral("Budget"));
}

void TestBudgetPage::draggingTheSliderShowsTheSeedTable_data()
{
    QTest::addColumn<double>("bits");
    QTest::addColumn<QString>("weights");
    QTest::addColumn<QString>("gpus");
    QTest::addColumn<QString>("vs16");
    QTest::addColumn<QString>("vs16Caption");
    QTest::newRow("32-bit") << 32.0 << "280.0 GB" << "5" << "2.0×" << "larger: 200% of the 16-bit size";
    QTest::newRow("16-bit") << 16.0 << "140.0 GB" << "3" << "1×" << "the 16-bit size";
    QTest::newRow("8-bit") << 8.0 << "70.0 GB" << "2" << "2.0×" << "smaller: 50% of the 16-bit size";
    QTest::newRow("4-bit") << 4.0 << "35.0 GB" << "1" << "4.0×" << "smaller: 25% of the 16-bit size";
}

void TestBudgetPage::draggingTheSliderShowsTheSeedTable()
{
    QFETCH(double, bits);
    QFETCH(QString, weights);
    QFETCH(QString, gpus);
    QFETCH(QString, vs16);
    QFETCH(QString, vs16Caption);
    QSignalSpy updated(page_, &BudgetPage::estimateUpdated);
    slider_->setValue(PrecisionSlider::positionForBits(bits));  // what a drag does: move the position
    QVERIFY(updated.count() >= 1);
    QCOMPARE(page_->bits(), bits);
    QCOMPARE(readout("weightsReadout"), weights);
    QCOMPARE(readout("gpusReadout"), gpus);
    QCOMPARE(readout("vs16Readout"), vs16);
    QCOMPARE(page_->findChild<QLabel*>(QStringLiteral("vs16ReadoutCaption"))->text(), vs16Caption);
}

void TestBudgetPage::sliderSnapsToCatalogFormatsAndIsContinuousBetween()
{
    // Q4_K sits at 4.5 bits: a position 3 steps away snaps onto it.
    slider_->setValue(PrecisionSlider::positionForBits(4.5) + 3);
    QCOMPARE(page_->bits(), 4.5);
    QCOMPARE(page_->precisionSlider()->formatsAtBits().front()->id, QStringLiteral("q4_k"));
    QCOMPARE(readout("weightsReadout"), QStringLiteral("39.4 GB"));  // 70e9 x 4.5 / 8
    QVERIFY(labelText("formatNote").contains(QStringLiteral("GGUF Q4_K")));
    // Between Q5_K (5.5) and Q6_K (6.5625) no format captures the slider: bits are continuous.
    slider_->setValue(PrecisionSlider::positionForBits(6.0));
    QVERIFY(page_->precisionSlider()->formatsAtBits().empty());
    QVERIFY(std::abs(page_->bits() - 6.0) < 0.02);
    QVERIFY(labelText("formatNote").contains(QStringLiteral("between catalog formats")));
}

void TestBudgetPage::keyboardMovesTheSliderAcrossTheScale()
{
    slider_->setFocus();
    QTest::keyClick(slider_, Qt::Key_End);
    QCOMPARE(page_->bits(), 32.0);
    QCOMPARE(readout("weightsReadout"), QStringLiteral("280.0 GB"));
    QTest::keyClick(slider_, Qt::Key_Home);
    QCOMPARE(page_->bits(), 1.0);
    QCOMPARE(readout("weightsReadout"), QStringLiteral("8.75 GB"));
    // One arrow step leaves a format's snap radius: the keyboard never sticks on a format.
    slider_->setValue(PrecisionSlider::positionForBits(8));
    QCOMPARE(page_->bits(), 8.0);
    QTest::keyClick(slider_, Qt::Key_Right);
    QVERIFY(page_->bits() > 8.0);
}

void TestBudgetPage::chartsFollowTheSlider()
{
    slider_->setValue(PrecisionSlider::positionForBits(16));
    QChart* memory = page_->charts()->memoryChart();
    QCOMPARE(barValue(memory, 0, 0), 140.0);                    // weights of the selected precision
    QCOMPARE(barValue(memory, 1, 0), 0.0);                      // no KV at context 0
    QVERIFY(std::abs(barValue(memory, 2, 0) - 28.0) < 1e-9);    // 20% overhead
    QCOMPARE(barValue(page_->charts()->devicesChart(), 0, 0), 3.0);
    auto* axis = qobject_cast<QBarCategoryAxis*>(memory->axes(Qt::Horizontal).front());
    QVERIFY2(axis->at(0).startsWith(QStringLiteral("▶")), qPrintable(axis->at(0)));
    QVERIFY(axis->count() >= 10);  // the catalog formats stand beside the selection
    const double tokensPerSecond = barValue(page_->charts()->speedChart(), 0, 0);
    QCOMPARE(tokensPerSecond, 3 * 3350e9 / 140e9);  // 3 H100s' bandwidth over 140 GB per token

    slider_->setValue(PrecisionSlider::positionForBits(4));
    QCOMPARE(barValue(memory, 0, 0), 35.0);
    QCOMPARE(barValue(page_->charts()->devicesChart(), 0, 0), 1.0);
    QCOMPARE(barValue(page_->charts()->speedChart(), 0, 0), 3350e9 / 35e9);
    QVERIFY(barValue(page_->charts()->costChart(), 0, 0) > 0);
}

void TestBudgetPage::everyReadoutSaysHowItWasComputed()
{
    for (const char* name : {"weightsReadout", "gpusReadout", "vs16Readout", "kvReadout", "speedReadout", "costReadout"}) {
        auto* readoutWidget = page_->findChild<cstudio::ui::Readout*>(QLatin1String(name));
        QVERIFY2(readoutWidget && readoutWidget->toolTip().contains(QLatin1Char('=')), name);
    }
    for (const char* name : {"verdictLabel", "maxContextLabel", "bestFormatLabel"})
        QVERIFY2(!page_->findChild<QLabel*>(QLatin1String(name))->toolTip().isEmpty(), name);
    QVERIFY(page_->findChild<cstudio::ui::Readout*>(QStringLiteral("gpusReadout"))->toolTip().contains(QStringLiteral("ceil")));
}

void TestBudgetPage::verdictUsesSystemRam()
{
    slider_->setValue(PrecisionSlider::positionForBits(8));  // 70 GB x 1.2 = 84 GB on one 80 GB device
    QVERIFY2(labelText("verdictLabel").startsWith(QStringLiteral("Does not fit")), qPrintable(labelText("verdictLabel")));
    page_->findChild<QSpinBox*>(QStringLiteral("systemRam"))->setValue(64);
    QVERIFY2(labelText("verdictLabel").contains(QStringLiteral("4.0 GB offloaded")), qPrintable(labelText("verdictLabel")));
    page_->findChild<QSpinBox*>(QStringLiteral("deviceCount"))->setValue(2);
    QCOMPARE(labelText("verdictLabel"), QStringLiteral("Fits on 2 of your 2 devices"));
    page_->findChild<QSpinBox*>(QStringLiteral("deviceCount"))->setValue(1);
    page_->findChild<QSpinBox*>(QStringLiteral("systemRam"))->setValue(0);
}

void TestBudgetPage::pushedModelShapeCountsItsKvCache()
{
    // What the Weights page will do: push a loaded model's size and shape.
    page_->setCustomModel(QStringLiteral("Loaded 8B"), 8e9, 8e9, 32, 8, 128, 131072);
    page_->findChild<QSpinBox*>(QStringLiteral("context"))->setValue(8192);
    slider_->setValue(PrecisionSlider::positionForBits(16));
    QCOMPARE(page_->currentEstimate().kv.bytes, 2.0 * 32 * 8 * 128 * 2 * 8192);
    QCOMPARE(readout("kvReadout"), QStringLiteral("1.07 GB"));
    QCOMPARE(readout("weightsReadout"), QStringLiteral("16.0 GB"));
    QVERIFY(labelText("maxContextLabel").contains(QStringLiteral("131,072")));  // the model's full context fits
    useSeedSetup();
}

void TestBudgetPage::settingsPersistBetweenRuns()
{
    page_->findChild<QSpinBox*>(QStringLiteral("context"))->setValue(12345);
    slider_->setValue(PrecisionSlider::positionForBits(6.5625));
    QCOMPARE(page_->bits(), 6.5625);
    window_.reset();  // the page saves its settings as it goes away
    BudgetPage second;
    QCOMPARE(second.bits(), 6.5625);
    QCOMPARE(second.findChild<QSpinBox*>(QStringLiteral("context"))->value(), 12345);
    QCOMPARE(second.findChild<QComboBox*>(QStringLiteral("deviceCombo"))->currentData().toString(), QStringLiteral("h100-sxm"));
}

void TestBudgetPage::cleanupTestCase() { QSettings().clear(); }

QTEST_MAIN(TestBudgetPage)
#include "test_budget_page.moc"
