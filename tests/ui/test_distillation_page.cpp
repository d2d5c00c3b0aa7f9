// The Distillation page, driven like a user: the τ slider and spin box change what the charts
// show (values read back from the chart series and checked against core), presets and a
// large imported vocabulary, bad input messages, and a short playground run with Stop.
#include "core/distill/softmax.h"
#include "ui/distill/distillation_page.h"
#include "ui/distill/logit_table_editor.h"
#include "ui/distill/playground_panel.h"
#include "ui/distill/temperature_explorer_panel.h"
#include "ui/main_window.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QDoubleSpinBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPushButton>
#include <QScatterSeries>
#include <QSlider>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace cstudio;
using namespace cstudio::ui;

namespace {
const std::vector<double> kSeedLogits { 9.0, 6.5, 4.0, 2.5, 1.0, -4.0 };

QChart* chart(QWidget* page, const char* name)
{
    auto* view = page->findChild<QChartView*>(QString::fromLatin1(name));
    return view ? view->chart() : nullptr;
}

QBarSeries* bars(QWidget* page, const char* name)
{
    QChart* c = chart(page, name);
    return c && !c->series().isEmpty() ? qobject_cast<QBarSeries*>(c->series().first()) : nullptr;
}

QStringList categories(QWidget* page, const char* name)
{
    for (QAbstractAxis* axis : chart(page, name)->axes(Qt::Horizontal))
        if (auto* category = qobject_cast<QBarCategoryAxis*>(axis))
            return category->categories();
    return {};
}
} // namespace

class TestDistillationPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void mainWindowHasADistillationPage()
    {
        MainWindow window;
        QVERIFY(window.showPage(QStringLiteral("Distillation")));
        QVERIFY(qobject_cast<DistillationPage*>(window.page(QStringLiteral("Distillation"))));
    }

    void overlayShowsSeed002AtTau1_2_5_10()
    {
        DistillationPage page;
        QBarSeries* series = bars(&page, "overlayChart");
        QVERIFY(series);
        QCOMPARE(series->count(), 4);
        QCOMPARE(categories(&page, "overlayChart"),
            (QStringList { "cat", "kitten", "lynx", "dog", "loaf", "carburetor" }));
        QCOMPARE(series->barSets()[0]->label(), QStringLiteral("\u03c4 = 1"));
        QVERIFY(std::abs(series->barSets()[0]->at(0) - 0.9168725667901794) < 1e-12);
        QVERIFY(std::abs(series->barSets()[2]->at(5) - 0.029437289547576937) < 1e-12); // τ = 5, carburetor
        auto* caption = page.findChild<QLabel*>(QStringLiteral("overlayChartCaption"));
        QVERIFY(caption->text().contains(QStringLiteral("0.458 bits")));
        QVERIFY(caption->text().contains(QStringLiteral("2.476 bits")));
    }

    void temperatureSliderDrivesTheCharts()
    {
        DistillationPage page;
        auto* slider = page.findChild<QSlider*>(QStringLiteral("temperatureSlider"));
        auto* spin = page.findChild<QDoubleSpinBox*>(QStringLiteral("temperatureSpin"));
        QVERIFY(slider && spin);
        // Logarithmic: the middle of the slider is the geometric mean of 0.1 and 20.
        slider->setValue(500);
        QVERIFY(std::abs(spin->value() - std::sqrt(0.1 * 20.0)) < 0.01);
        slider->setValue(slider->minimum());
        QCOMPARE(spin->value(), 0.1);
        slider->setValue(slider->maximum());
        QCOMPARE(spin->value(), 20.0);

        double previousEntropy = -1.0;
        for (int position : { 0, 250, 500, 738, 1000 }) {
            slider->setValue(position);
            const double tau = page.explorer()->temperature();
            const std::vector<double> expected = distill::softmax(kSeedLogits, tau);
            QBarSeries* comparison = bars(&page, "comparisonChart");
            QBarSet* teacher = comparison->barSets()[0];
            for (int i = 0; i < 6; ++i)
                QVERIFY2(std::abs(teacher->at(i) - expected[i]) < 1e-12, qPrintable(QString::number(tau)));
            QScatterSeries* marker = nullptr;
            for (QAbstractSeries* s : chart(&page, "entropyChart")->series())
                if (s->objectName() == QLatin1String("sliderMarker"))
                    marker = qobject_cast<QScatterSeries*>(s);
            QVERIFY(marker && marker->count() == 1);
            QVERIFY(std::abs(marker->at(0).x() - tau) < 1e-12);
            QVERIFY(marker->at(0).y() > previousEntropy); // entropy rises with τ
            previousEntropy = marker->at(0).y();
        }
        spin->setValue(5.0);
        QCOMPARE(slider->value(), 738);
        QVERIFY(std::abs(bars(&page, "comparisonChart")->barSets()[0]->at(0) - 0.39633595492906937) < 1e-12);
        QVERIFY(chart(&page, "comparisonChart")->title().contains(QStringLiteral("\u03c4 = 5")));
        QVERIFY(page.findChild<QLabel*>(QStringLiteral("lossNumbers"))
                    ->text()
                    .contains(QStringLiteral("2.217 bits")));
        // The gradient bars sum to zero (softmax shift invariance).
        QBarSet* gradient = bars(&page, "gradientChart")->barSets()[0];
        double sum = 0.0;
        for (int i = 0; i < gradient->count(); ++i)
            sum += gradient->at(i);
        QVERIFY(std::abs(sum) < 1e-12);
    }

    void presetsAndALargeImportedVocabulary()
    {
        DistillationPage page;
        LogitTableEditor* editor = page.explorer()->editor();
        editor->loadPreset(2); // seed 003: 90% positive, 8% neutral, 2% negative
        QCOMPARE(categories(&page, "overlayChart"), (QStringList { "positive", "neutral", "negative" }));
        QVERIFY(std::abs(bars(&page, "overlayChart")->barSets()[0]->at(0) - 0.90) < 1e-12);

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("vocab.csv"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QByteArray text;
        for (int i = 0; i < 150000; ++i)
            text += QByteArray::number(std::sin(i * 0.37) * 4.0 - i * 1e-5) + '\n';
        text += "25\n"; // one clear favourite, the last token
        file.write(text);
        file.close();
        QVERIFY(editor->importFile(path));
        const QStringList shown = categories(&page, "overlayChart");
        QCOMPARE(shown.size(), 13);
        QCOMPARE(shown.first(), QStringLiteral("class 150000"));
        QVERIFY(shown.last().startsWith(QStringLiteral("the rest")));
        QBarSet* tau10 = bars(&page, "overlayChart")->barSets()[3];
        double total = 0.0;
        for (int i = 0; i < tau10->count(); ++i)
            total += tau10->at(i);
        QVERIFY(std::abs(total - 1.0) < 1e-9); // top 12 + the rest carry all the probability
    }

    void editingTheTableRenamesClassesAndChangesLogits()
    {
        DistillationPage page;
        auto* table = page.findChild<QTableWidget*>(QStringLiteral("logitTable"));
        QVERIFY(table);
        table->item(5, 0)->setText(QStringLiteral("toaster"));
        QCOMPARE(categories(&page, "overlayChart").last(), QStringLiteral("toaster"));
        table->item(0, 1)->setText(QStringLiteral("6.5")); // cat now ties with kitten
        QBarSet* tau1 = bars(&page, "overlayChart")->barSets()[0];
        QCOMPARE(tau1->at(0), tau1->at(1));
        table->item(1, 2)->setText(QStringLiteral("abc")); // refused, old value restored
        QVERIFY(page.findChild<QLabel*>(QStringLiteral("logitMessage"))
                    ->text()
                    .contains(QStringLiteral("'abc'")));
        QVERIFY(table->item(1, 2)->text() != QStringLiteral("abc"));
        table->item(2, 0)->setText(QStringLiteral("  "));
        QCOMPARE(table->item(2, 0)->text(), QStringLiteral("lynx"));
    }

    void badInputShowsAMessage()
    {
        DistillationPage page;
        auto* overlay = page.findChild<QLineEdit*>(QStringLiteral("overlayEdit"));
        overlay->setText(QStringLiteral("1, 0, 5"));
        Q_EMIT overlay->editingFinished();
        QVERIFY(
            page.findChild<QLabel*>(QStringLiteral("explorerError"))->text().contains(QStringLiteral("tau")));
        overlay->setText(QStringLiteral("1, warm"));
        Q_EMIT overlay->editingFinished();
        QVERIFY(page.findChild<QLabel*>(QStringLiteral("explorerError"))
                    ->text()
                    .contains(QStringLiteral("'warm'")));
        QVERIFY(!page.explorer()->editor()->importFile(QStringLiteral("/nonexistent/logits.npy")));
        QVERIFY(page.findChild<QLabel*>(QStringLiteral("logitMessage"))
                    ->text()
                    .contains(QStringLiteral("/nonexistent/logits.npy")));
    }

    void lessonActionsDriveTheExplorerAsLesson06Does()
    {
        DistillationPage page;
        page.explorer()->editor()->loadPreset(3); // start elsewhere: seed 000, 3 classes
        QString error;
        QVERIFY(page.applyLessonAction(
            "labels", QJsonArray { "cat", "kitten", "lynx", "dog", "loaf", "carburetor" }, &error));
        QVERIFY(page.applyLessonAction("logits", QJsonArray { 9, 6.5, 4, 2.5, 1, -4 }, &error));
        QVERIFY(page.applyLessonAction("taus", QJsonArray { 1, 2, 5, 10 }, &error));
        QVERIFY2(page.applyLessonAction("tau", 5, &error), qPrintable(error));
        QCOMPARE(categories(&page, "overlayChart").last(), QStringLiteral("carburetor"));
        QVERIFY(std::abs(bars(&page, "comparisonChart")->barSets()[0]->at(1) - 0.24038990821096498) < 1e-12);
        QVERIFY(!page.applyLessonAction("tau", -1, &error));
        QVERIFY(error.contains(QStringLiteral("tau")));
        QVERIFY(!page.applyLessonAction("logits", QJsonArray { 1, "x" }, &error));
    }

    void sessionStateRoundTrips()
    {
        DistillationPage first;
        QString error;
        QVERIFY(first.applyLessonAction("alpha", 0.25, &error));
        QVERIFY(first.applyLessonAction("studentLogits", QJsonArray { 1, 2, 3, 4, 5, 6 }, &error));
        QVERIFY(first.applyLessonAction("hardLabel", "lynx", &error));
        QVERIFY(first.applyLessonAction("epochs", 7, &error));
        const QJsonObject state = first.saveState();
        DistillationPage second;
        QStringList warnings;
        second.restoreState(state, &warnings);
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join('\n')));
        QCOMPARE(second.saveState(), state);
        QCOMPARE(second.explorer()->editor()->hardLabel(), 2);
        QCOMPARE(second.playground()->config().epochs, 7);
        QCOMPARE(second.playground()->config().alpha, 0.25);
        QVERIFY(!second.exportableCharts().isEmpty());
        QVERIFY(second.reportSummaryHtml().contains(QStringLiteral("bits")));
    }

    void playgroundTrainsLiveAndCanBeStopped()
    {
        DistillationPage page;
        PlaygroundPanel* playground = page.playground();
        page.findChild<QSpinBox*>(QStringLiteral("playgroundEpochs"))->setValue(4);
        QSignalSpy finished(playground, &PlaygroundPanel::finished);
        QString error;
        QVERIFY(page.applyLessonAction("train", true, &error)); // lesson 07's action
        QVERIFY(playground->isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 120000);
        QCOMPARE(finished.first().first().toBool(), false);
        QChart* accuracy = chart(&page, "playgroundAccuracyChart");
        auto* softTest = qobject_cast<QLineSeries*>(accuracy->series()[3]);
        QCOMPARE(softTest->count(), 4);
        QVERIFY(softTest->at(3).y() > 10.0 && softTest->at(3).y() <= 100.0);
        QVERIFY(page.findChild<QLabel*>(QStringLiteral("playgroundResults"))
                    ->text()
                    .contains(QStringLiteral("Soft labels")));

        page.findChild<QSpinBox*>(QStringLiteral("playgroundEpochs"))->setValue(2000);
        page.findChild<QPushButton*>(QStringLiteral("playgroundStart"))->click();
        // Start() redraws the charts at once: wait for the first epoch of the new run.
        QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<QLineSeries*>(accuracy->series()[3])->count() >= 1, 120000);
        page.findChild<QPushButton*>(QStringLiteral("playgroundStop"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 2, 60000);
        QCOMPARE(finished.last().first().toBool(), true);
        QVERIFY(page.findChild<QLabel*>(QStringLiteral("playgroundStatus"))
                    ->text()
                    .startsWith(QStringLiteral("Stopped")));
        QVERIFY(qobject_cast<QLineSeries*>(accuracy->series()[3])->count() < 2000);
    }
};

QTEST_MAIN(TestDistillationPage)
#include "test_distillation_page.moc"
