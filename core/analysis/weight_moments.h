#pragma once
// Moments and extremes of the weights themselves (scheme independent), the one accumulator
// behind both the analysis engine's weight figures and the Weights page's statistics
// (weight_statistics.h): power sums of the finite values, accumulated in double lanes (every
// product of a float is formed in double, so the sums lose nothing that matters: the variance
// keeps ~1e-14 relative even for a mean 6 sigma from zero), plus count, NaN/Inf count and the
// extremes. Partial sums merge by adding, so chunks and threads combine in any grouping, and
// an accelerator can deliver its own partial sums (the CUDA engine does).
#include <QtGlobal>
#include <span>

namespace cstudio {

struct TensorRange;

struct WeightMoments {
    qint64 count = 0;            // finite elements
    qint64 nonFiniteCount = 0;   // NaN and ±Inf, left out of everything else
    double sum = 0, sumSquares = 0, sumCubes = 0, sumFourth = 0;
    double minValue = 0, maxValue = 0;  // of the finite elements (-0 below +0)
    qint64 beyondSixSigma = -1;  // elements with |w - mean| > 6 std; -1 when not computed

    void add(std::span<const float> values);  // beyondSixSigma untouched
    void merge(const WeightMoments& other);
    double mean() const;
    double variance() const;           // population (ddof = 0), as numpy.var
    double standardDeviation() const;  // population, as numpy.std
    double kurtosis() const;           // Pearson (normal = 3); 0 without spread
    double excessKurtosis() const;     // Fisher (normal = 0); 0 without spread
    double absMax() const;
    double maxOverSigma() const;       // max |w - mean| / std
    double shareBeyondSixSigma() const;  // fraction, or -1 when not computed
    // TensorRange::of() of the same values (both keep the finite extremes by order key),
    // without another pass over them.
    TensorRange range() const;
};

// Finite elements with |w - mean| > threshold (compared in float, as the GPU engine does).
qint64 countBeyond(std::span<const float> w, double mean, double threshold);

}  // namespace cstudio
