#pragma once
// One long computation at a time off the GUI thread, with progress and cancel. The work runs on
// its own QThread and returns a closure that is then run on the GUI thread to deliver the
// result. Starting while a run is in flight cancels it and queues the new work (the latest
// wins; a superseded run's result is dropped). The destructor cancels and joins, so the worker
// never posts to a dead object.
#include "core/job_control.h"

#include <QObject>
#include <QString>
#include <atomic>
#include <functional>
#include <memory>

class QThread;

namespace cstudio::ui {

class BackgroundJob : public QObject {
    Q_OBJECT
public:
    // Runs on the worker thread; the returned closure runs on the GUI thread.
    using Work = std::function<std::function<void()>(const JobControl& control)>;

    explicit BackgroundJob(QObject* parent = nullptr);
    ~BackgroundJob() override;

    void start(Work work);
    bool isRunning() const { return thread_ != nullptr; }
    // Blocks until no run is in flight or queued (for tests and shutdown).
    void waitForIdle();

public Q_SLOTS:
    void cancel();

Q_SIGNALS:
    void progress(double fraction, const QString& message);
    void runningChanged(bool running);

private:
    void launch(Work work);
    void threadFinished();

    QThread* thread_ = nullptr;
    std::shared_ptr<std::atomic_bool> cancelFlag_;
    std::function<void()> delivery_;
    Work pending_;
    bool hasPending_ = false;
};

}  // namespace cstudio::ui
