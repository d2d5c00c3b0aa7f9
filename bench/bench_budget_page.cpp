// How long one move of the Budget page's precision slider takes to recompute and redraw
// (goal: < 16 ms, one frame at 60 Hz). Offscreen, the whole window at 1400 x 900: each move
// sets the slider position, lets Qt process the resulting events (chart scene updates,
// layouts) and then repaints the entire window synchronously, which is more than a real
// frame repaints. Three figures: recompute only (no painting); recompute plus one pass of the
// event loop, in which Qt repaints just the regions that changed (what a real frame costs);
// and recompute plus a forced repaint of the entire window (the worst case).
#include "ui/budget/budget_page.h"
#include "ui/budget/precision_slider.h"
#include "ui/main_window.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QThread>
#include <QSettings>
#include <QSlider>
#include <QStandardPaths>
#include <QTextStream>
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <vector>

namespace {

// CPU time of this thread: on a shared machine, wall-clock time includes waiting for a core;
// this is the work a move itself costs.
double threadCpuMilliseconds()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}

struct Summary {
    double median = 0, p99 = 0, max = 0;
};

Summary summarize(std::vector<double> milliseconds)
{
    std::sort(milliseconds.begin(), milliseconds.end());
    auto at = [&](double q) { return milliseconds[static_cast<std::size_t>(q * (milliseconds.size() - 1))]; };
    return {at(0.5), at(0.99), milliseconds.back()};
}

// Positions that sweep the whole scale back and forth in uneven steps, so that nearly every
// move changes the bits (snapped positions inside one format's radius do not).
std::vector<int> sweepPositions(int moves)
{
    std::vector<int> positions;
    int position = 0, step = 13;
    for (int i = 0; i < moves; ++i) {
        position += step;
        if (position > cstudio::ui::PrecisionSlider::kSteps || position < 0) {
            step = -step;
            position += 2 * step;
        }
        positions.push_back(position);
    }
    return positions;
}

}  // namespace

int main(int argc, char* argv[])
{
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen") : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);  // do not read or write the user's settings
    QCoreApplication::setOrganizationName(QStringLiteral("CompressionStudioBench"));
    QSettings().clear();
    const int moves = argc > 1 ? std::max(50, atoi(argv[1])) : 600;

    cstudio::ui::MainWindow window;
    window.resize(1400, 900);
    window.show();
    window.showPage(QStringLiteral("Budget"));
    auto* page = qobject_cast<cstudio::ui::BudgetPage*>(window.page(QStringLiteral("Budget")));
    auto* slider = page ? page->findChild<QSlider*>(QStringLiteral("precisionSlider")) : nullptr;
    if (!slider) {
        std::fprintf(stderr, "bench_budget_page: no Budget page with a precision slider\n");
        return 1;
    }
    QApplication::processEvents();
    window.repaint();

    const std::vector<int> positions = sweepPositions(moves);
    std::vector<double> recomputeOnly, recomputeAndFrame, recomputeAndRedraw, frameCpu;
    QElapsedTimer timer;
    int changed = 0;
    for (int position : positions) {  // recompute only: readouts, answers, chart data
        const double before = page->bits();
        timer.start();
        slider->setValue(position);
        recomputeOnly.push_back(timer.nsecsElapsed() / 1e6);
        changed += page->bits() != before;
    }
    for (int position : positions) {  // recompute + one event-loop pass: Qt repaints what changed
        const double cpuStart = threadCpuMilliseconds();
        timer.start();
        slider->setValue(position);
        QApplication::processEvents();
        recomputeAndFrame.push_back(timer.nsecsElapsed() / 1e6);
        frameCpu.push_back(threadCpuMilliseconds() - cpuStart);
    }
    for (int position : positions) {  // recompute + events + full synchronous repaint
        timer.start();
        slider->setValue(position);
        QApplication::processEvents();
        window.repaint();
        recomputeAndRedraw.push_back(timer.nsecsElapsed() / 1e6);
    }
    const Summary compute = summarize(recomputeOnly);
    const Summary dirty = summarize(recomputeAndFrame);
    const Summary dirtyCpu = summarize(frameCpu);
    const Summary frame = summarize(recomputeAndRedraw);
    QTextStream out(stdout);
    double load = 0;
    QFile loadavg(QStringLiteral("/proc/loadavg"));
    if (loadavg.open(QIODevice::ReadOnly))
        load = loadavg.readAll().split(' ').value(0).toDouble();
    out << QStringLiteral("Budget page slider, %1 moves (%2 changed the bits), window 1400x900, platform %3, "
                          "%4 CPUs, load average %5\n")
               .arg(moves).arg(changed).arg(QGuiApplication::platformName()).arg(QThread::idealThreadCount()).arg(load);
    out << QStringLiteral("  recompute only:            median %1 ms, p99 %2 ms, max %3 ms\n")
               .arg(compute.median, 0, 'f', 3).arg(compute.p99, 0, 'f', 3).arg(compute.max, 0, 'f', 3);
    out << QStringLiteral("  recompute + redraw changes: median %1 ms, p99 %2 ms, max %3 ms  (goal < 16 ms: %4)\n")
               .arg(dirty.median, 0, 'f', 3).arg(dirty.p99, 0, 'f', 3).arg(dirty.max, 0, 'f', 3)
               .arg(dirty.p99 < 16 ? QStringLiteral("met at p99") : dirty.median < 16 ? QStringLiteral("met at the median only")
                                                                                      : QStringLiteral("NOT met"));
    out << QStringLiteral("    same, thread CPU time:   median %1 ms, p99 %2 ms, max %3 ms\n")
               .arg(dirtyCpu.median, 0, 'f', 3).arg(dirtyCpu.p99, 0, 'f', 3).arg(dirtyCpu.max, 0, 'f', 3);
    out << QStringLiteral("  recompute + full repaint:  median %1 ms, p99 %2 ms, max %3 ms  (goal < 16 ms: %4)\n")
               .arg(frame.median, 0, 'f', 3).arg(frame.p99, 0, 'f', 3).arg(frame.max, 0, 'f', 3)
               .arg(frame.p99 < 16 ? QStringLiteral("met at p99") : frame.median < 16 ? QStringLiteral("met at the median only")
                                                                                      : QStringLiteral("NOT met"));
    QSettings().clear();
    return 0;
}
