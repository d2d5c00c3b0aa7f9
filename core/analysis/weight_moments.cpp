#include "core/analysis/weight_moments.h"

#include "core/quant/scheme.h"
#include "core/quant/simd_dispatch.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace cstudio {

namespace {

constexpr qint64 kBlock = 4096;  // blocks checked for NaN/Inf before their sums count
constexpr int kLanes = 16;       // float lanes: one AVX-512 register, two AVX2 ones
constexpr int kTermsPerLane = 16;  // float lanes go to double after this many vectors
using Float8 = float __attribute__((vector_size(32)));
using Float16 = float __attribute__((vector_size(64)));
using Double8 = double __attribute__((vector_size(64)));
using Int16 = std::int32_t __attribute__((vector_size(64)));
using UInt16 = std::uint32_t __attribute__((vector_size(64)));

// In float, (w - shift)^4 stays a normal number for |w - shift| in [2^-24, 2^24]; a block whose
// spread leaves that range is summed in double instead.
constexpr double kFloatSpreadLow = 0x1p-24, kFloatSpreadHigh = 0x1p24;

// Careful path, in double: a block with NaN/Inf (only finite values count) or with a spread
// float powers cannot hold.
void addBlockInDouble(const float* x, qint64 len, double shift, WeightMoments& part)
{
    bool first = true;
    for (qint64 i = 0; i < len; ++i) {
        if (!std::isfinite(x[i])) {
            ++part.nonFiniteCount;
            continue;
        }
        const double d = static_cast<double>(x[i]) - shift;
        const double d2 = d * d;
        part.sum += d;
        part.sumSquares += d2;
        part.sumCubes += d2 * d;
        part.sumFourth += d2 * d2;
        part.minValue = first ? x[i] : std::min<double>(part.minValue, x[i]);
        part.maxValue = first ? x[i] : std::max<double>(part.maxValue, x[i]);
        first = false;
        ++part.count;
    }
}

[[gnu::always_inline]] inline void addLanes(Double8 (&sums)[2], const Float16& lanes)
{
    sums[0] += __builtin_convertvector(__builtin_shufflevector(lanes, lanes, 0, 1, 2, 3, 4, 5, 6, 7), Double8);
    sums[1] += __builtin_convertvector(__builtin_shufflevector(lanes, lanes, 8, 9, 10, 11, 12, 13, 14, 15), Double8);
}

// One pass per block: the extremes as order keys (integer min/max that vectorize; the largest
// magnitude key says whether anything was NaN/Inf) and the powers of (w - shift) in float lanes
// (explicit vectors: left to itself the compiler vectorizes across the four sums of one element
// instead of across elements). A block with NaN/Inf, or whose spread the float powers cannot
// hold, is summed again by the careful path.
CSTUDIO_VECTOR_CLONES
void addValues(std::span<const float> w, WeightMoments& moments)
{
    const auto n = static_cast<qint64>(w.size());
    if (moments.count == 0) {  // the first finite value seen becomes the shift
        const auto firstFinite = std::find_if(w.begin(), w.end(), [](float v) { return std::isfinite(v); });
        moments.shift = firstFinite != w.end() ? *firstFinite : 0.0f;
    }
    const auto shift = static_cast<float>(moments.shift);  // a float, so w - shift is one float operation
    const Float16 shifts = Float16{} + shift;
    for (qint64 start = 0; start < n; start += kBlock) {
        const qint64 len = std::min(kBlock, n - start);
        const float* x = w.data() + start;
        Int16 lowest = Int16{} + simd::orderKey(x[0]), highest = lowest;
        UInt16 maxMagnitude = {};
        Double8 s1[2] = {}, s2[2] = {}, s3[2] = {}, s4[2] = {};
        qint64 i = 0;
        while (i + kLanes <= len) {
            Float16 f1 = {}, f2 = {}, f3 = {}, f4 = {};
            for (int t = 0; t < kTermsPerLane && i + kLanes <= len; ++t, i += kLanes) {
                Float16 v;
                std::memcpy(&v, x + i, sizeof v);
                const auto bits = __builtin_bit_cast(Int16, v);
                const Int16 key = bits ^ ((bits >> 31) & 0x7fffffff);
                lowest = key < lowest ? key : lowest;
                highest = key > highest ? key : highest;
                const UInt16 magnitude = __builtin_bit_cast(UInt16, bits) & 0x7fffffffu;
                maxMagnitude = magnitude > maxMagnitude ? magnitude : maxMagnitude;
                const Float16 d = v - shifts;
                const Float16 d2 = d * d;
                f1 += d;
                f2 += d2;
                f3 += d2 * d;
                f4 += d2 * d2;
            }
            addLanes(s1, f1);
            addLanes(s2, f2);
            addLanes(s3, f3);
            addLanes(s4, f4);
        }
        std::uint32_t blockMagnitude = 0;
        std::int32_t blockLowest = lowest[0], blockHighest = highest[0];
        for (int k = 0; k < kLanes; ++k) {
            blockMagnitude = std::max(blockMagnitude, maxMagnitude[k]);
            blockLowest = std::min(blockLowest, lowest[k]);
            blockHighest = std::max(blockHighest, highest[k]);
        }
        for (qint64 j = i; j < len; ++j) {
            blockMagnitude = std::max(blockMagnitude, simd::magnitudeKey(x[j]));
            blockLowest = std::min(blockLowest, simd::orderKey(x[j]));
            blockHighest = std::max(blockHighest, simd::orderKey(x[j]));
        }
        WeightMoments part;
        part.shift = moments.shift;
        const double low = simd::fromOrderKey(blockLowest), high = simd::fromOrderKey(blockHighest);
        const double spread = std::max(std::fabs(high - shift), std::fabs(low - shift));
        const bool floatsHold = spread == 0 || (spread >= kFloatSpreadLow && spread <= kFloatSpreadHigh);
        if (blockMagnitude >= simd::kInfinityKey || !floatsHold) {
            addBlockInDouble(x, len, moments.shift, part);
        } else {
            for (qint64 j = i; j < len; ++j) {
                const double d = static_cast<double>(x[j] - shift);
                const double d2 = d * d;
                s1[0][0] += d;
                s2[0][0] += d2;
                s3[0][0] += d2 * d;
                s4[0][0] += d2 * d2;
            }
            for (int h = 0; h < 2; ++h)
                for (int k = 0; k < 8; ++k) {
                    part.sum += s1[h][k];
                    part.sumSquares += s2[h][k];
                    part.sumCubes += s3[h][k];
                    part.sumFourth += s4[h][k];
                }
            part.count = len;
            part.minValue = low;
            part.maxValue = high;
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

void WeightMoments::shiftTo(double newShift)
{
    // sum over (w - s')^k = sum over ((w - s) + delta)^k, delta = s - s'
    const double delta = shift - newShift, n = static_cast<double>(count);
    const double s1 = sum, s2 = sumSquares, s3 = sumCubes, s4 = sumFourth;
    const double d2 = delta * delta;
    sum = s1 + n * delta;
    sumSquares = s2 + 2 * delta * s1 + n * d2;
    sumCubes = s3 + 3 * delta * s2 + 3 * d2 * s1 + n * d2 * delta;
    sumFourth = s4 + 4 * delta * s3 + 6 * d2 * s2 + 4 * d2 * delta * s1 + n * d2 * d2;
    shift = newShift;
}

void WeightMoments::merge(const WeightMoments& other)
{
    if (other.count > 0) {
        minValue = count > 0 ? std::min(minValue, other.minValue) : other.minValue;
        maxValue = count > 0 ? std::max(maxValue, other.maxValue) : other.maxValue;
    }
    WeightMoments moved = other;
    if (count == 0)
        shift = other.shift;
    else if (other.shift != shift)
        moved.shiftTo(shift);
    count += moved.count;
    nonFiniteCount += moved.nonFiniteCount;
    sum += moved.sum;
    sumSquares += moved.sumSquares;
    sumCubes += moved.sumCubes;
    sumFourth += moved.sumFourth;
    if (beyondSixSigma >= 0 && moved.beyondSixSigma >= 0)
        beyondSixSigma += moved.beyondSixSigma;
    else
        beyondSixSigma = -1;
}

double WeightMoments::mean() const
{
    return count > 0 ? shift + sum / static_cast<double>(count) : 0.0;
}

double WeightMoments::variance() const
{
    if (count == 0 || minValue == maxValue)  // no spread: exactly 0, not a rounding residue
        return 0;
    const double m = sum / static_cast<double>(count);  // the mean less the shift
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
    const double n = static_cast<double>(count), m = sum / n;  // moments about the shift
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
