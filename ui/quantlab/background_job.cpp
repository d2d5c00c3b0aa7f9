#include "ui/quantlab/background_job.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>

namespace cstudio::ui {

BackgroundJob::BackgroundJob(QObject* parent) : QObject(parent) {}

BackgroundJob::~BackgroundJob()
{
    hasPending_ = false;
    if (thread_) {
        cancelFlag_->store(true);
        thread_->wait();
        delete thread_;
        thread_ = nullptr;
    }
}

void BackgroundJob::start(Work work)
{
    if (thread_) {
        cancelFlag_->store(true);
        pending_ = std::move(work);
        hasPending_ = true;
        return;
    }
    launch(std::move(work));
}

void BackgroundJob::cancel()
{
    hasPending_ = false;
    pending_ = nullptr;
    if (cancelFlag_)
        cancelFlag_->store(true);
}

void BackgroundJob::waitForIdle()
{
    while (thread_) {
        thread_->wait();
        QCoreApplication::processEvents();
    }
}

void BackgroundJob::launch(Work work)
{
    cancelFlag_ = std::make_shared<std::atomic_bool>(false);
    auto flag = cancelFlag_;
    thread_ = QThread::create([this, work = std::move(work), flag] {
        // Progress is posted at most ~20 times a second so the event queue never floods.
        auto throttle = std::make_shared<QElapsedTimer>();
        throttle->start();
        JobControl control;
        control.cancelRequested = flag.get();
        control.onProgress = [this, throttle](double fraction, const QString& message) {
            if (fraction < 1.0 && throttle->elapsed() < 50)
                return;
            throttle->restart();
            QMetaObject::invokeMethod(this, [this, fraction, message] { Q_EMIT progress(fraction, message); },
                                      Qt::QueuedConnection);
        };
        std::function<void()> delivery = work(control);
        // Handed over before the thread ends; read on the GUI thread in threadFinished().
        QMetaObject::invokeMethod(this, [this, delivery = std::move(delivery)]() mutable { delivery_ = std::move(delivery); },
                                  Qt::QueuedConnection);
    });
    connect(thread_, &QThread::finished, this, &BackgroundJob::threadFinished, Qt::QueuedConnection);
    thread_->start();
    Q_EMIT runningChanged(true);
}

void BackgroundJob::threadFinished()
{
    if (!thread_)
        return;
    thread_->wait();
    delete thread_;
    thread_ = nullptr;
    // The delivery was posted before `finished`, so it has arrived by now.
    QCoreApplication::sendPostedEvents(this);
    std::function<void()> delivery = std::move(delivery_);
    delivery_ = nullptr;
    if (hasPending_) {
        hasPending_ = false;
        launch(std::move(pending_));
        pending_ = nullptr;
        return;  // the superseded run's result is dropped
    }
    Q_EMIT runningChanged(false);
    if (delivery)
        delivery();
}

}  // namespace cstudio::ui
