#include "core/analysis/weight_moments.h"

#include "core/quant/scheme.h"
#include "core/quant/simd_dispatch.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace cstudio {

namespace {

constexpr qint64 kBlock = 4096;  // blocks checked for NaN/Inf before their values are summed
constexpr int kLanes = 8;        // double lanes: one AVX-512 register, two AVX2 ones
using Float8 = float __attribute__((vector_size(32)));
using Double8 = double __attribute__((vector_size(64)));

// Careful path for a block with NaN/Inf: only finite values count.
void addBlockWithNonFinite(const float* x, qint64 len, WeightMoments& part)
{
    bool first = true;
    for (qint64 i = 0; i < len; ++i) {
        if (!std::isfinite(x[i])) {
            ++part.nonFiniteCount;
            continue;
        }
        const double v = x[i];
        const double v2 = v * v;
        part.sum += v;
        part.sumSquares += v2;
        part.sumCubes += v2 * v;
        part.sumFourth += v2 * v2;
        part.minValue = first ? v : std::min(part.minValue, v);
        part.maxValue = first ? v : std::max(part.maxValue, v);
        first = false;
        ++part.count;
    }
}

CSTUDIO_VECTOR_CLONES
void addValues(std::span<const float> w, WeightMoments& moments)
{
    const auto n = static_cast<qint64>(w.size());
    for (qint64 start = 0; start < n; start += kBlock) {
        const qint64 len = std::min(kBlock, n - start);
        const float* x = w.data() + start;
        // extremes as order keys (integer min/max that vectorize); the largest magnitude key
        // says whether anything was NaN/Inf
        std::int32_t lowest = simd::orderKey(x[0]), highest = lowest;
        std::uint32_t maxMagnitude = 0;
#pragma omp simd reduction(min : lowest) reduction(max : highest, maxMagnitude)
        for (qint64 i = 0; i < len; ++i) {
            maxMagnitude = std::max(maxMagnitude, simd::magnitudeKey(x[i]));
            lowest = std::min(lowest, simd::orderKey(x[i]));
            highest = std::max(highest, simd::orderKey(x[i]));
        }
        WeightMoments part;
        if (maxMagnitude >= simd::kInfinityKey) {
            addBlockWithNonFinite(x, len, part);
        } else {
            // explicit vectors: left to itself the compiler vectorizes across the four sums of one
            // element instead of across elements
            Double8 s1 = {}, s2 = {}, s3 = {}, s4 = {};
            qint64 i = 0;
            for (; i + kLanes <= len; i += kLanes) {
                Float8 lanes;
                std::memcpy(&lanes, x + i, sizeof lanes);
                const Double8 v = __builtin_convertvector(lanes, Double8);
                const Double8 v2 = v * v;
                s1 += v;
                s2 += v2;
                s3 += v2 * v;
                s4 += v2 * v2;
            }
            for (; i < len; ++i) {
                const double v = x[i];
                const double v2 = v * v;
                s1[0] += v;
                s2[0] += v2;
                s3[0] += v2 * v;
                s4[0] += v2 * v2;
            }
            for (int k = 0; k < kLanes; ++k) {
                part.sum += s1[k];
                part.sumSquares += s2[k];
                part.sumCubes += s3[k];
                part.sumFourth += s4[k];
            }
            part.count = len;
            part.minValue = simd::fromOrderKey(lowest);
            part.maxValue = simd::fromOrderKey(highest);
        }
        const qint64 beyond = moments.beyondSixSigma;
        moments.merge(part);
        moments.beyondSixSigma = beyond;
    }
}

}  // namespace

void WeightMoments::add(std::span<const float> values)
{
    addValues(values, *this);
}

void WeightMoments::merge(const WeightMoments& other)
{
    if (other.count > 0) {
        minValue = count > 0 ? std::min(minValue, other.minValue) : other.minValue;
        maxValue = count > 0 ? std::max(maxValue, other.maxValue) : other.maxValue;
    }
    count += other.count;
    nonFiniteCount += other.nonFiniteCount;
    sum += other.sum;
    sumSquares += other.sumSquares;
    sumCubes += other.sumCubes;
    sumFourth += other.sumFourth;
    if (beyondSixSigma >= 0 && other.beyondSixSigma >= 0)
        beyondSixSigma += other.beyondSixSigma;
    else
        beyondSixSigma = -1;
}

double WeightMoments::mean() const
{
    return count > 0 ? sum / static_cast<double>(count) : 0.0;
}

double WeightMoments::variance() const
{
    if (count == 0 || minValue == maxValue)  // no spread: exactly 0, not a rounding residue
        return 0;
    const double m = mean();
    return std::max(0.0, sumSquares / static_cast<double>(count) - m * m);
}

double WeightMoments::standardDeviation() const
{
    return std::sqrt(variance());
}

double WeightMoments::kurtosis() const
{
    const double variance = this->variance();
    if (variance <= 0)
        return 0;
    const double n = static_cast<double>(count), m = mean();
    const double m2 = sumSquares / n, m3 = sumCubes / n, m4 = sumFourth / n;
    // fourth central moment from the raw moments
    const double central4 = m4 - 4 * m * m3 + 6 * m * m * m2 - 3 * m * m * m * m;
    return central4 / (variance * variance);
}

double WeightMoments::excessKurtosis() const
{
    return variance() > 0 ? kurtosis() - 3.0 : 0.0;
}

double WeightMoments::absMax() const
{
    return count > 0 ? std::max(std::fabs(minValue), std::fabs(maxValue)) : 0.0;
}

double WeightMoments::maxOverSigma() const
{
    const double sigma = standardDeviation();
    if (sigma <= 0)
        return 0;
    const double m = mean();
    return std::max(std::fabs(maxValue - m), std::fabs(minValue - m)) / sigma;
}

double WeightMoments::shareBeyondSixSigma() const
{
    if (beyondSixSigma < 0 || count == 0)
        return -1;
    return static_cast<double>(beyondSixSigma) / static_cast<double>(count);
}

TensorRange WeightMoments::range() const
{
    TensorRange range;
    range.nonFiniteCount = nonFiniteCount;
    range.valid = count > 0;
    if (range.valid) {
        range.minValue = static_cast<float>(minValue);
        range.maxValue = static_cast<float>(maxValue);
        range.absMax = std::max(std::fabs(range.minValue), std::fabs(range.maxValue));
    }
    return range;
}

qint64 countBeyond(std::span<const float> w, double mean, double threshold)
{
    qint64 count = 0;
    const auto m = static_cast<float>(mean), t = static_cast<float>(threshold);
    for (const float v : w)
        count += std::fabs(v - m) > t ? 1 : 0;  // NaN compares false
    return count;
}

}  // namespace cstudio
