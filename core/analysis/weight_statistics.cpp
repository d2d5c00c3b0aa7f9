#include "core/analysis/weight_statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cstudio {
namespace {
constexpr qint64 kReadChunk = 1 << 20;      // elements per readFloats() call
}  // namespace

void Histogram::add(std::span<const float> values)
{
    const double width = binWidth();
    const std::size_t bins = counts.size();
    if (bins == 0)
        return;
    for (float value : values) {
        if (!std::isfinite(value))
            continue;
        if (value < lower) {
            ++below;
        } else if (value > upper) {
            ++above;
        } else {
            const double position = width > 0.0 ? (double(value) - lower) / width : 0.0;
            ++counts[std::min(bins - 1, std::size_t(position))];
        }
    }
}

namespace {

WeightStatistics statisticsFromMoments(const WeightMoments& moments, const StatisticsOptions& options)
{
    WeightStatistics statistics;
    statistics.count = moments.count;
    statistics.infCount = moments.nonFiniteCount;  // less the NaNs, counted in the second pass
    statistics.mean = moments.mean();
    statistics.standardDeviation = moments.standardDeviation();
    statistics.minimum = moments.count ? moments.minValue : 0.0;
    statistics.maximum = moments.count ? moments.maxValue : 0.0;
    statistics.excessKurtosis = moments.excessKurtosis();
    const double maxAbs = std::max(std::abs(statistics.minimum), std::abs(statistics.maximum));
    statistics.maxAbsOverSigma = statistics.standardDeviation > 0.0 ? maxAbs / statistics.standardDeviation : 0.0;
    Histogram& histogram = statistics.histogram;
    histogram.counts.assign(std::size_t(std::clamp(options.bins, 1, 100000)), 0);
    if (options.fixedRange && options.rangeUpper > options.rangeLower) {
        histogram.lower = options.rangeLower;
        histogram.upper = options.rangeUpper;
    } else if (statistics.maximum > statistics.minimum) {
        histogram.lower = statistics.minimum;
        histogram.upper = statistics.maximum;
    } else {  // all values equal (or none): one unit-wide range around them, as numpy.histogram
        histogram.lower = statistics.minimum - 0.5;
        histogram.upper = statistics.maximum + 0.5;
    }
    return statistics;
}

// Second pass: what needs σ and the range.
void addTailsAndHistogram(WeightStatistics& statistics, std::span<const float> values)
{
    const double limit = 6.0 * statistics.standardDeviation;
    for (float value : values) {
        if (std::isfinite(value) && std::abs(double(value) - statistics.mean) > limit)
            ++statistics.countBeyond6Sigma;
        if (std::isnan(value)) {
            ++statistics.nanCount;
            --statistics.infCount;
        }
    }
    statistics.histogram.add(values);
}

void finish(WeightStatistics& statistics)
{
    statistics.shareBeyond6Sigma = statistics.count ? double(statistics.countBeyond6Sigma) / double(statistics.count) : 0.0;
}

}  // namespace

WeightStatistics computeWeightStatistics(std::span<const float> values, const StatisticsOptions& options)
{
    WeightMoments moments;
    moments.add(values);
    WeightStatistics statistics = statisticsFromMoments(moments, options);
    addTailsAndHistogram(statistics, values);
    finish(statistics);
    return statistics;
}

Result<WeightStatistics> computeTensorStatistics(const TensorSource& source, int index, const StatisticsOptions& options,
                                                 const JobControl& job)
{
    if (index < 0 || std::size_t(index) >= source.tensors().size())
        return Error{source.displayName(), -1, QStringLiteral("there is no tensor number %1").arg(index)};
    const TensorInfo& info = source.tensors()[std::size_t(index)];
    const qint64 total = info.elementCount;
    std::vector<float> chunk(std::size_t(std::min(total, kReadChunk)));
    WeightMoments moments;
    WeightStatistics statistics;
    for (int pass = 0; pass < 2; ++pass) {
        for (qint64 first = 0; first < total; first += kReadChunk) {
            if (job.cancelled())
                return Error{source.displayName(), -1, QStringLiteral("cancelled")};
            const std::span<float> values(chunk.data(), std::size_t(std::min(kReadChunk, total - first)));
            if (auto read = source.readFloats(index, first, values); !read)
                return read.error();
            if (pass == 0)
                moments.add(values);
            else
                addTailsAndHistogram(statistics, values);
            job.report((pass + double(first + qint64(values.size())) / double(total)) / 2.0,
                       QStringLiteral("%1: pass %2 of 2").arg(info.name).arg(pass + 1));
        }
        if (pass == 0)
            statistics = statisticsFromMoments(moments, options);
    }
    finish(statistics);
    return statistics;
}

}  // namespace cstudio
