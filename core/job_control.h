#pragma once
// What a long job (loading, analysis, training) needs from whoever runs it: a place to report
// progress and a flag to check for cancellation between chunks. The GUI wires these to a
// progress bar and a Cancel button; the CLI to a terminal bar; tests leave them empty.
#include <QString>
#include <atomic>
#include <functional>

namespace cstudio {

struct JobControl {
    // fraction in [0, 1]; message says what is being done ("layer 12 of 32: mlp.down_proj")
    std::function<void(double fraction, const QString& message)> onProgress;
    const std::atomic_bool* cancelRequested = nullptr;

    void report(double fraction, const QString& message) const
    {
        if (onProgress)
            onProgress(fraction, message);
    }
    bool cancelled() const { return cancelRequested && cancelRequested->load(std::memory_order_relaxed); }
};

}  // namespace cstudio
