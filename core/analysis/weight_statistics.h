#pragma once
// Descriptive statistics of a weight tensor, streamed in chunks so any tensor size works:
// mean, standard deviation, min/max, excess kurtosis, max|w|/σ, the share of values beyond 6σ
// and a histogram. NaN and ±Inf are counted and reported, and left out of every other figure.
//
// The moments are the analysis engine's own accumulator (WeightMoments: power sums formed in
// double, merged chunk by chunk), so the Weights page and the Quant Lab report the same
// figures. Figures that need σ first (share beyond 6σ, the histogram range) and the NaN/Inf
// split take a second pass.
#include "core/analysis/weight_moments.h"
#include "core/formats/tensor_source.h"
#include "core/job_control.h"

#include <QString>
#include <span>
#include <vector>

namespace cstudio {

struct Histogram {
    double lower = 0.0;  // left edge of the first bin
    double upper = 0.0;  // right edge of the last bin; a value equal to it falls in the last bin
    std::vector<qint64> counts;
    qint64 below = 0, above = 0;  // finite values outside [lower, upper]

    double binWidth() const { return counts.empty() ? 0.0 : (upper - lower) / double(counts.size()); }
    void add(std::span<const float> values);
};

struct WeightStatistics {
    qint64 count = 0;  // finite values; the figures below are over these
    qint64 nanCount = 0;
    qint64 infCount = 0;
    double mean = 0.0;
    double standardDeviation = 0.0;  // population σ (ddof = 0), as numpy.std
    double minimum = 0.0;
    double maximum = 0.0;
    double excessKurtosis = 0.0;       // 0 for a Gaussian
    double maxAbsOverSigma = 0.0;      // max |w| / σ: how far the largest weight stretches a scale
    double shareBeyond6Sigma = 0.0;    // fraction of values with |w − mean| > 6σ (Gaussian: 2e-9)
    qint64 countBeyond6Sigma = 0;
    Histogram histogram;               // over [minimum, maximum] unless a range was asked for
};

struct StatisticsOptions {
    int bins = 100;
    // Histogram range; by default [minimum, maximum] of the data.
    bool fixedRange = false;
    double rangeLower = 0.0, rangeUpper = 0.0;
};

// For values already in memory.
WeightStatistics computeWeightStatistics(std::span<const float> values, const StatisticsOptions& options = {});

// For tensor `index` of `source`, read in chunks (two passes). Reports progress and stops
// with an error when cancelled.
Result<WeightStatistics> computeTensorStatistics(const TensorSource& source, int index,
                                                 const StatisticsOptions& options = {}, const JobControl& job = {});

}  // namespace cstudio
