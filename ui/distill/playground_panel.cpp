#include "ui/distill/playground_panel.h"

#include "ui/distill/chart_style.h"
#include "ui/widgets/chart_title_fit.h"
#include "ui/widgets/font_scaled_width.h"
#include "ui/widgets/width_adaptive_arrangement.h"

#include <QChart>
#include <QChartView>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>
#include <QValueAxis>
#include <cmath>

namespace cstudio::ui {

namespace {
QChartView* makeChartView(QWidget* parent, const QString& objectName)
{
    auto* view = new QChartView(new QChart, parent);
    view->setObjectName(objectName);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(320, 200);
    styleChart(view->chart());
    // Five series with their final accuracies: a column at the right holds them whole, where
    // a row under a projector-width chart would cut them.
    view->chart()->legend()->setAlignment(Qt::AlignRight);
    return view;
}

QSpinBox* makeSpin(QWidget* parent, const char* name, int minimum, int maximum, int value, const QString& tip)
{
    auto* spin = new QSpinBox(parent);
    spin->setObjectName(QString::fromLatin1(name));
    spin->setRange(minimum, maximum);
    spin->setValue(value);
    spin->setToolTip(tip);
    return spin;
}

QString percent(double fraction)
{
    return QStringLiteral("%1 %").arg(fraction * 100.0, 0, 'f', 1);
}
} // namespace

PlaygroundPanel::PlaygroundPanel(QWidget* parent)
    : QWidget(parent)
{
    const distill::PlaygroundConfig defaults;
    auto* layout = new QHBoxLayout(this);
    auto* side = new QWidget(this);
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);

    auto* about = new QLabel(tr("<b>Real data, real training.</b> A teacher MLP 64-%1-10 learns the UCI "
                                "8\u00d78 handwritten digits "
                                "from 1 200 images. Two identical students 64-h-10 (same starting weights, "
                                "same batches) then see only "
                                "a few hundred of those images: one learns from the hard labels, the other "
                                "from the teacher's soft "
                                "labels at \u03c4 blended by \u03b1. 597 images are held out for testing.")
                                 .arg(defaults.teacherHidden),
        side);
    about->setWordWrap(true);
    sideLayout->addWidget(about);

    auto* settings = new QGroupBox(tr("Settings"), side);
    auto* form = new QFormLayout(settings);
    temperature_ = new QDoubleSpinBox(settings);
    temperature_->setObjectName(QStringLiteral("playgroundTemperature"));
    temperature_->setRange(0.1, 20.0);
    temperature_->setValue(defaults.temperature);
    temperature_->setToolTip(tr("Temperature of the teacher's soft labels."));
    alpha_ = new QDoubleSpinBox(settings);
    alpha_->setObjectName(QStringLiteral("playgroundAlpha"));
    alpha_->setRange(0.0, 1.0);
    alpha_->setSingleStep(0.05);
    alpha_->setValue(defaults.alpha);
    alpha_->setToolTip(
        tr("Soft-label student's loss: \u03b1\u00b7\u03c4\u00b2\u00b7KL + (1\u2212\u03b1)\u00b7CE."));
    epochs_ = makeSpin(
        settings, "playgroundEpochs", 1, 2000, defaults.epochs, tr("Passes over the students' images."));
    trainImages_ = makeSpin(settings, "playgroundTrainImages", 10, 1200, defaults.trainSamples,
        tr("How many training images the students see (the teacher saw 1 200)."));
    studentHidden_ = makeSpin(settings, "playgroundStudentHidden", 0, 256, defaults.studentHidden,
        tr("Hidden units of each student (0 = a linear classifier)."));
    seed_ = makeSpin(settings, "playgroundSeed", 0, 1000000, static_cast<int>(defaults.seed),
        tr("Seed of the train/test split, the initial weights and the batch order: same seed, same run."));
    form->addRow(tr("Temperature \u03c4:"), temperature_);
    form->addRow(tr("Soft weight \u03b1:"), alpha_);
    form->addRow(tr("Student epochs:"), epochs_);
    form->addRow(tr("Student images:"), trainImages_);
    form->addRow(tr("Student hidden units:"), studentHidden_);
    form->addRow(tr("Seed:"), seed_);
    sideLayout->addWidget(settings);

    auto* buttons = new QHBoxLayout;
    startButton_ = new QPushButton(tr("Train"), side);
    startButton_->setObjectName(QStringLiteral("playgroundStart"));
    stopButton_ = new QPushButton(tr("Stop"), side);
    stopButton_->setObjectName(QStringLiteral("playgroundStop"));
    stopButton_->setEnabled(false);
    buttons->addWidget(startButton_);
    buttons->addWidget(stopButton_);
    sideLayout->addLayout(buttons);
    progress_ = new QProgressBar(side);
    progress_->setRange(0, 1000);
    progress_->setValue(0);
    sideLayout->addWidget(progress_);
    status_ = new QLabel(tr("Press Train: a run takes about a second."), side);
    status_->setObjectName(QStringLiteral("playgroundStatus"));
    status_->setWordWrap(true);
    sideLayout->addWidget(status_);
    results_ = new QLabel(side);
    results_->setObjectName(QStringLiteral("playgroundResults"));
    results_->setTextFormat(Qt::RichText);
    results_->setWordWrap(true);
    results_->setToolTip(
        tr("Accuracy: fraction of images whose largest logit is the true digit. CE: mean "
           "cross-entropy with the true labels, in nats, the same measure for both students."));
    sideLayout->addWidget(results_);
    sideLayout->addStretch(1);

    auto* charts = new QVBoxLayout;
    accuracyView_ = makeChartView(this, QStringLiteral("playgroundAccuracyChart"));
    lossView_ = makeChartView(this, QStringLiteral("playgroundLossChart"));
    auto* caption = new QLabel(
        tr("Solid lines: held-out test images; dashed: the students' own training images. Both students "
           "start "
           "from the same weights and see the same batches, so the gap between orange and blue is what the "
           "teacher's soft labels add. Loss is cross-entropy with the true labels for both. When a run ends, "
           "the "
           "accuracy axis zooms onto its second half."),
        this);
    caption->setWordWrap(true);
    caption->setStyleSheet(QStringLiteral("color: #444;"));
    charts->addWidget(accuracyView_, 1);
    charts->addWidget(lossView_, 1);
    charts->addWidget(caption);
    layout->addWidget(holdAtLeft(side));
    layout->addLayout(charts, 1);
    scaleFixedWidthWithFont(side, 340);
    // Narrow (beside the Lessons dock, on a projector): the charts first, at full width and a
    // height that keeps their axis titles whole (the page scrolls vertically).
    auto* arrangement = new WidthAdaptiveArrangement(this, layout, QBoxLayout::BottomToTop, [this](bool stacked) {
        chartsStacked_ = stacked;
        updateChartHeights();
    });
    arrangement->setLegibleSideBySideWidth(340 + layout->spacing() + 560);

    connect(startButton_, &QPushButton::clicked, this, &PlaygroundPanel::start);
    connect(stopButton_, &QPushButton::clicked, this, &PlaygroundPanel::stop);
    resetCharts(defaults);
}

void PlaygroundPanel::updateChartHeights()
{
    for (QChartView* view : { accuracyView_, lossView_ })
        if (view)
            view->setMinimumHeight(chartsStacked_ ? 22 * fontMetrics().lineSpacing() : 200);
}

void PlaygroundPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        updateChartHeights();
}

PlaygroundPanel::~PlaygroundPanel()
{
    if (thread_) {
        cancel_->store(true);
        thread_->wait();
        delete thread_;  // finish() would have deleted it; it never ran
    }
}

distill::PlaygroundConfig PlaygroundPanel::config() const
{
    distill::PlaygroundConfig config;
    config.temperature = temperature_->value();
    config.alpha = alpha_->value();
    config.epochs = epochs_->value();
    config.trainSamples = trainImages_->value();
    config.studentHidden = studentHidden_->value();
    config.seed = static_cast<quint64>(seed_->value());
    return config;
}

void PlaygroundPanel::setConfig(const distill::PlaygroundConfig& config)
{
    temperature_->setValue(config.temperature);
    alpha_->setValue(config.alpha);
    epochs_->setValue(config.epochs);
    trainImages_->setValue(config.trainSamples);
    studentHidden_->setValue(config.studentHidden);
    seed_->setValue(static_cast<int>(std::min<quint64>(config.seed, 1000000)));
}

void PlaygroundPanel::resetCharts(const distill::PlaygroundConfig& config)
{
    const QString names[4] = { tr("hard labels, train"), tr("hard labels, test"), tr("soft labels, train"),
        tr("soft labels, test") };
    auto build = [&](QChartView* view, QLineSeries** series, const QString& title, const QString& yTitle,
                     double yMaximum) {
        QChart* chart = view->chart();
        clearChart(chart);
        setFittedChartTitle(view, title);
        for (int i = 0; i < 4; ++i) {
            series[i] = new QLineSeries;
            series[i]->setName(names[i]);
            const bool train = i % 2 == 0;
            series[i]->setPen(
                QPen(seriesColor(i < 2 ? 0 : 5), train ? 1.5 : 2.5, train ? Qt::DashLine : Qt::SolidLine));
            chart->addSeries(series[i]);
        }
        auto* xAxis = new QValueAxis;
        xAxis->setRange(0, std::max(2, config.epochs));
        xAxis->setTickType(QValueAxis::TicksDynamic);
        xAxis->setTickAnchor(0.0);
        xAxis->setTickInterval(std::max(1.0, niceCeiling(config.epochs / 6.0)));
        xAxis->setLabelFormat(QStringLiteral("%d"));
        xAxis->setTitleText(tr("student epoch"));
        auto* yAxis = new QValueAxis;
        yAxis->setRange(0.0, yMaximum);
        yAxis->applyNiceNumbers();
        yAxis->setLabelFormat(QStringLiteral("%g"));
        yAxis->setTitleText(yTitle);
        chart->addAxis(xAxis, Qt::AlignBottom);
        chart->addAxis(yAxis, Qt::AlignLeft);
        for (int i = 0; i < 4; ++i) {
            series[i]->attachAxis(xAxis);
            series[i]->attachAxis(yAxis);
        }
    };
    const QString soft
        = tr("soft labels at \u03c4 = %1, \u03b1 = %2").arg(config.temperature).arg(config.alpha);
    build(accuracyView_, accuracy_, tr("Student accuracy over training (%1)").arg(soft), tr("accuracy (%)"),
        100.0);
    build(lossView_, loss_, tr("Student loss over training (%1)").arg(soft),
        tr("cross-entropy (nats per image)"), 2.5);
    lossCeiling_ = 0.0;
    teacherAccuracy_ = new QLineSeries;
    teacherAccuracy_->setName(tr("teacher, test"));
    teacherAccuracy_->setPen(QPen(seriesColor(2), 2.0, Qt::DotLine));
    QChart* chart = accuracyView_->chart();
    chart->addSeries(teacherAccuracy_);
    for (QAbstractAxis* axis : chart->axes())
        teacherAccuracy_->attachAxis(axis);
}

void PlaygroundPanel::start()
{
    if (thread_)
        return;
    const distill::PlaygroundConfig config = this->config();
    if (auto check = distill::validatePlaygroundConfig(config, 1797); !check) {
        status_->setText(check.error().message);
        return;
    }
    resetCharts(config);
    results_->clear();
    progress_->setValue(0);
    status_->setText(tr("Training the teacher\u2026"));
    startButton_->setEnabled(false);
    stopButton_->setEnabled(true);
    cancel_ = std::make_shared<std::atomic_bool>(false);
    auto cancel = cancel_;
    // The worker only posts to this panel; the destructor stops and joins it first, so `this`
    // outlives every post.
    thread_ = QThread::create([this, config, cancel] {
        JobControl control;
        control.cancelRequested = cancel.get();
        control.onProgress = [this](double fraction, const QString& message) {
            QMetaObject::invokeMethod(
                this,
                [this, fraction, message] {
                    progress_->setValue(static_cast<int>(fraction * 1000));
                    status_->setText(message);
                },
                Qt::QueuedConnection);
        };
        Result<distill::PlaygroundResult> result = distill::runDistillationPlayground(
            config, control, [this](const distill::PlaygroundResult& soFar) {
                QMetaObject::invokeMethod(
                    this,
                    [this, record = soFar.epochs.back(), teacher = soFar.teacherTestAccuracy] {
                        addEpoch(record, teacher);
                    },
                    Qt::QueuedConnection);
            });
        QMetaObject::invokeMethod(
            this, [this, result] { finish(result); }, Qt::QueuedConnection);
    });
    thread_->start();
}

void PlaygroundPanel::stop()
{
    if (cancel_)
        cancel_->store(true);
    status_->setText(tr("Stopping\u2026"));
}

void PlaygroundPanel::addEpoch(const distill::EpochRecord& record, double teacherTestAccuracy)
{
    if (teacherAccuracy_->count() == 0) {
        teacherAccuracy_->append(1, teacherTestAccuracy * 100.0);
        teacherAccuracy_->append(std::max(2, epochs_->value()), teacherTestAccuracy * 100.0);
        teacherAccuracy_->setName(tr("teacher, test: %1").arg(percent(teacherTestAccuracy)));
    }
    const distill::StudentEpoch* students[2] = { &record.hardLabel, &record.softLabel };
    for (int s = 0; s < 2; ++s) {
        accuracy_[2 * s]->append(record.epoch, students[s]->trainAccuracy * 100.0);
        accuracy_[2 * s + 1]->append(record.epoch, students[s]->testAccuracy * 100.0);
        loss_[2 * s]->append(record.epoch, students[s]->trainLoss);
        loss_[2 * s + 1]->append(record.epoch, students[s]->testLoss);
        lossCeiling_ = std::max({ lossCeiling_, students[s]->trainLoss, students[s]->testLoss });
    }
    if (auto* axis = qobject_cast<QValueAxis*>(lossView_->chart()->axes(Qt::Vertical).value(0))) {
        const double step = niceCeiling(lossCeiling_ / 5.0);
        axis->setRange(0.0, std::ceil(lossCeiling_ / step) * step);
        axis->setTickType(QValueAxis::TicksDynamic);
        axis->setTickAnchor(0.0);
        axis->setTickInterval(step);
    }
}

void PlaygroundPanel::finish(const Result<distill::PlaygroundResult>& result)
{
    thread_->wait();
    thread_->deleteLater();
    thread_ = nullptr;
    startButton_->setEnabled(true);
    stopButton_->setEnabled(false);
    if (!result) {
        status_->setText(result.error().toString());
        Q_EMIT finished(true);
        return;
    }
    const distill::PlaygroundResult& run = *result;
    if (run.epochs.empty()) {
        status_->setText(tr("Stopped before the students started."));
        Q_EMIT finished(true);
        return;
    }
    progress_->setValue(run.cancelled ? progress_->value() : 1000);
    lastRun_ = run;
    const distill::EpochRecord& last = run.epochs.back();
    accuracy_[1]->setName(tr("hard labels, test: %1").arg(percent(last.hardLabel.testAccuracy)));
    accuracy_[3]->setName(tr("soft labels, test: %1").arg(percent(last.softLabel.testAccuracy)));
    // Zoom the accuracy axis onto the second half of training, where the students differ.
    double lowest = 100.0;
    for (int i = 0; i < 4; ++i)
        for (qsizetype p = accuracy_[i]->count() / 2; p < accuracy_[i]->count(); ++p)
            lowest = std::min(lowest, accuracy_[i]->at(p).y());
    if (auto* axis = qobject_cast<QValueAxis*>(accuracyView_->chart()->axes(Qt::Vertical).value(0))) {
        axis->setRange(std::clamp(std::floor((lowest - 3.0) / 5.0) * 5.0, 0.0, 90.0), 100.0);
        axis->setTickCount(6);
        axis->setTitleText(tr("accuracy (%), zoomed"));
    }
    const double gain = (last.softLabel.testAccuracy - last.hardLabel.testAccuracy) * 100.0;
    status_->setText(run.cancelled ? tr("Stopped after %n epoch(s).", nullptr, last.epoch)
                                   : tr("Done: %n epoch(s).", nullptr, last.epoch));
    results_->setText(tr(
        "<table cellspacing='0' cellpadding='3'>"
        "<tr><th align='left'></th><th>train acc.</th><th>test acc.</th><th>test CE</th><th>params</th></tr>"
        "<tr><td>Hard-label student</td><td align='right'>%1</td><td align='right'><b>%2</b></td>"
        "<td align='right'>%3</td><td align='right'>%4</td></tr>"
        "<tr><td>Soft-label student</td><td align='right'>%5</td><td align='right'><b>%6</b></td>"
        "<td align='right'>%7</td><td align='right'>%4</td></tr>"
        "<tr><td>Teacher</td><td align='right'>%8</td><td align='right'><b>%9</b></td><td></td>"
        "<td align='right'>%10</td></tr></table>"
        "<p>Soft labels %11 the student's test accuracy by <b>%12 points</b> (%13 training images per "
        "student, "
        "%14 test images).</p>")
                          .arg(percent(last.hardLabel.trainAccuracy), percent(last.hardLabel.testAccuracy))
                          .arg(last.hardLabel.testLoss, 0, 'f', 3)
                          .arg(run.studentParameters)
                          .arg(percent(last.softLabel.trainAccuracy), percent(last.softLabel.testAccuracy))
                          .arg(last.softLabel.testLoss, 0, 'f', 3)
                          .arg(percent(run.teacherTrainAccuracy), percent(run.teacherTestAccuracy))
                          .arg(run.teacherParameters)
                          .arg(gain >= 0 ? tr("raise") : tr("lower"))
                          .arg(std::abs(gain), 0, 'f', 1)
                          .arg(run.studentTrainImages)
                          .arg(run.testImages));
    Q_EMIT finished(run.cancelled);
}

} // namespace cstudio::ui
