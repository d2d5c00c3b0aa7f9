#pragma once
// Moments and extremes of the weights themselves (scheme independent), the one accumulator
// behind both the analysis engine's weight figures and the Weights page's statistics
// (weight_statistics.h): power sums of the finite values about a shift (the first value seen),
// plus count, NaN/Inf count and the extremes. Sums about a value near the mean keep weights far
// from zero (layer-norm gains around 1, biases) from cancelling: the variance and kurtosis come
// out to ~1e-8 relative whatever the mean. The powers are formed in float lanes that go to
// double every 16 terms, the same precision class as the CUDA engine's per-group partial sums.
// Partial sums merge by re-centring on one shift, so chunks and threads combine in any
// grouping, and an accelerator can deliver its own raw sums (shift 0; the CUDA engine does).
#include <QtGlobal>
#include <span>

namespace cstudio {

struct TensorRange;

struct WeightMoments {
    qint64 count = 0;            // finite elements
    qint64 nonFiniteCount = 0;   // NaN and ±Inf, left out of everything else
    double shift = 0;  // the sums are of (w - shift)^k
    double sum = 0, sumSquares = 0, sumCubes = 0, sumFourth = 0;
    double minValue = 0, maxValue = 0;  // of the finite elements (-0 below +0)
    qint64 beyondSixSigma = -1;  // elements with |w - mean| > 6 std; -1 when not computed

    void add(std::span<const float> values);  // beyondSixSigma untouched
    void merge(const WeightMoments& other);
    void shiftTo(double newShift);     // the same moments, the sums re-centred on newShift
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
