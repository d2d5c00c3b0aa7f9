#include "core/analysis/analysis_types.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

namespace cstudio {

double LogHistogram::binLowerEdge(int bin)
{
    const int octave = bin / kBinsPerOctave, quarter = bin % kBinsPerOctave;
    return std::ldexp(1.0 + quarter / 4.0, kMinExponent + octave);
}

void LogHistogram::merge(const LogHistogram& other)
{
    for (std::size_t i = 0; i < counts.size() && i < other.counts.size(); ++i)
        counts[i] += other.counts[i];
}

qint64 LogHistogram::total() const
{
    qint64 sum = 0;
    for (const qint64 c : counts)
        sum += c;
    return sum;
}

double LogHistogram::quantile(double fraction) const
{
    const qint64 all = total();
    if (all == 0)
        return 0;
    const double target = std::clamp(fraction, 0.0, 1.0) * static_cast<double>(all);
    qint64 seen = 0;
    for (int bin = 0; bin < kBinCount; ++bin) {
        seen += counts[static_cast<std::size_t>(bin)];
        if (static_cast<double>(seen) >= target)
            return binLowerEdge(bin + 1);
    }
    return binLowerEdge(kBinCount);
}

void ErrorMetrics::merge(const ErrorMetrics& other)
{
    elementCount += other.elementCount;
    sumSquaredError += other.sumSquaredError;
    sumSquaredWeight += other.sumSquaredWeight;
    sumSquaredDequantized += other.sumSquaredDequantized;
    sumWeightTimesDequantized += other.sumWeightTimesDequantized;
    maxAbsError = std::max(maxAbsError, other.maxAbsError);
    groupCount += other.groupCount;
    zeroGroups += other.zeroGroups;
    constantGroups += other.constantGroups;
    nonFiniteGroups += other.nonFiniteGroups;
}

double ErrorMetrics::meanSquaredError() const
{
    return elementCount > 0 ? sumSquaredError / static_cast<double>(elementCount) : 0.0;
}

double ErrorMetrics::rmse() const
{
    return std::sqrt(meanSquaredError());
}

double ErrorMetrics::relativeRmse() const
{
    return sumSquaredWeight > 0 ? std::sqrt(sumSquaredError / sumSquaredWeight) : 0.0;
}

double ErrorMetrics::sqnrDb() const
{
    if (sumSquaredError <= 0)
        return std::numeric_limits<double>::infinity();
    if (sumSquaredWeight <= 0)
        return -std::numeric_limits<double>::infinity();
    return 10.0 * std::log10(sumSquaredWeight / sumSquaredError);
}

double ErrorMetrics::cosine() const
{
    const double denominator = std::sqrt(sumSquaredWeight) * std::sqrt(sumSquaredDequantized);
    if (denominator <= 0)
        return sumSquaredWeight == sumSquaredDequantized ? 1.0 : 0.0;  // both zero: identical
    return sumWeightTimesDequantized / denominator;
}

}  // namespace cstudio
