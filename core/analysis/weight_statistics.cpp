#include "core/analysis/weight_statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cstudio {
namespace {
constexpr std::size_t kMomentBlock = 4096;  // values summed directly before a pairwise merge
constexpr qint64 kReadChunk = 1 << 20;      // elements per readFloats() call
}  // namespace

void MomentAccumulator::add(std::span<const float> values)
{
    for (std::size_t start = 0; start < values.size(); start += kMomentBlock) {
        const auto block = values.subspan(start, std::min(kMomentBlock, values.size() - start));
        qint64 finite = 0;
        double sum = 0.0;
        float lowest = std::numeric_limits<float>::infinity(), highest = -std::numeric_limits<float>::infinity();
        for (float value : block) {
            if (std::isfinite(value)) {
                sum += value;
                lowest = std::min(lowest, value);
                highest = std::max(highest, value);
                ++finite;
            } else if (std::isnan(value)) {
                ++nanCount_;
            } else {
                ++infCount_;
            }
        }
        if (finite == 0)
            continue;
        if (count_ == 0) {
            minimum_ = lowest;
            maximum_ = highest;
        } else {
            minimum_ = std::min<double>(minimum_, lowest);
            maximum_ = std::max<double>(maximum_, highest);
        }
        const double blockMean = sum / double(finite);
        // Four independent partial sums per moment: the additions no longer wait on each other.
        double m2[4] = {}, m3[4] = {}, m4[4] = {};
        const auto accumulate = [&](int lane, float value) {
            const double deviation = double(value) - blockMean;
            const double square = deviation * deviation;
            m2[lane] += square;
            m3[lane] += square * deviation;
            m4[lane] += square * square;
        };
        if (finite == qint64(block.size())) {
            std::size_t i = 0;
            for (; i + 4 <= block.size(); i += 4)
                for (int lane = 0; lane < 4; ++lane)
                    accumulate(lane, block[i + std::size_t(lane)]);
            for (; i < block.size(); ++i)
                accumulate(0, block[i]);
        } else {
            for (float value : block)
                if (std::isfinite(value))
                    accumulate(0, value);
        }
        mergeMoments(finite, blockMean, (m2[0] + m2[1]) + (m2[2] + m2[3]), (m3[0] + m3[1]) + (m3[2] + m3[3]),
                     (m4[0] + m4[1]) + (m4[2] + m4[3]));
    }
}

void MomentAccumulator::merge(const MomentAccumulator& other)
{
    nanCount_ += other.nanCount_;
    infCount_ += other.infCount_;
    if (other.count_ == 0)
        return;
    if (count_ == 0) {
        minimum_ = other.minimum_;
        maximum_ = other.maximum_;
    } else {
        minimum_ = std::min(minimum_, other.minimum_);
        maximum_ = std::max(maximum_, other.maximum_);
    }
    mergeMoments(other.count_, other.mean_, other.m2_, other.m3_, other.m4_);
}

void MomentAccumulator::mergeMoments(qint64 countB, double meanB, double m2B, double m3B, double m4B)
{
    if (count_ == 0) {
        count_ = countB;
        mean_ = meanB;
        m2_ = m2B;
        m3_ = m3B;
        m4_ = m4B;
        return;
    }
    const double na = double(count_), nb = double(countB), n = na + nb;
    const double delta = meanB - mean_;
    const double delta2 = delta * delta;
    const double m2 = m2_ + m2B + delta2 * na * nb / n;
    const double m3 = m3_ + m3B + delta2 * delta * na * nb * (na - nb) / (n * n) + 3.0 * delta * (na * m2B - nb * m2_) / n;
    const double m4 = m4_ + m4B + delta2 * delta2 * na * nb * (na * na - na * nb + nb * nb) / (n * n * n) +
                      6.0 * delta2 * (na * na * m2B + nb * nb * m2_) / (n * n) + 4.0 * delta * (na * m3B - nb * m3_) / n;
    mean_ += delta * nb / n;
    m2_ = m2;
    m3_ = m3;
    m4_ = m4;
    count_ += countB;
}

double MomentAccumulator::standardDeviation() const
{
    return std::sqrt(std::max(0.0, variance()));
}

double MomentAccumulator::excessKurtosis() const
{
    if (count_ < 2 || m2_ <= 0.0)
        return 0.0;
    return double(count_) * m4_ / (m2_ * m2_) - 3.0;
}

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

WeightStatistics statisticsFromMoments(const MomentAccumulator& moments, const StatisticsOptions& options)
{
    WeightStatistics statistics;
    statistics.count = moments.count();
    statistics.nanCount = moments.nanCount();
    statistics.infCount = moments.infCount();
    statistics.mean = moments.mean();
    statistics.standardDeviation = moments.standardDeviation();
    statistics.minimum = moments.minimum();
    statistics.maximum = moments.maximum();
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
    for (float value : values)
        if (std::isfinite(value) && std::abs(double(value) - statistics.mean) > limit)
            ++statistics.countBeyond6Sigma;
    statistics.histogram.add(values);
}

void finish(WeightStatistics& statistics)
{
    statistics.shareBeyond6Sigma = statistics.count ? double(statistics.countBeyond6Sigma) / double(statistics.count) : 0.0;
}

}  // namespace

WeightStatistics computeWeightStatistics(std::span<const float> values, const StatisticsOptions& options)
{
    MomentAccumulator moments;
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
    MomentAccumulator moments;
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
