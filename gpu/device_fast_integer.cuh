#pragma once
// The integer schemes (int/uint at :gN and :tensor) carry most sweeps, so they get their own
// passes. What depends on the weights alone (each group's extremes and sum of squares, the
// moments) is computed once per tile for all schemes; each scheme then does per element one
// multiplication by the reciprocal scale, the rounding and its sums. The quotient x * (1/s) can
// differ from the CPU's x / s by a few ulps, which changes the rounded code only near a
// half-integer: there the element takes the CPU's exact division, so every code, error and
// per-group sum stays the CPU's bit for bit. Groups that are not plain (a NaN/Inf, all zeros,
// a partial group, a huge quotient range) take the general path of cuda_kernels.cu.
#include "gpu/device_integer_summaries.cuh"

namespace cstudio::gpu {
namespace {

// The CPU's rounded code for x / scale (integer_quantizer.cpp): clamp, then round half to even.
__device__ __forceinline__ float exactCode(float x, float scale, float low, float high)
{
    return roundHalfEven(clampStd(x / scale, low, high));
}

// A quotient this far from a half-integer rounds the same from x * (1/s) and from x / s:
// their relative difference is below 3 * 2^-24, and the margin is 2^-19 of the largest quotient.
__device__ __forceinline__ float halfIntegerMargin(float largestQuotient) { return 0.5f - largestQuotient * 1.9073486e-6f; }

// One integer scheme's quantizer for a group (or the tensor).
struct IntegerQuantizer {
    float scale, inverse, zeroPoint, levelHigh;
    float low, high;  // the CPU's clamp of the quotient: the code range (int), +-2^22 (uint)
    float margin;     // halfIntegerMargin() of the largest quotient
};

// How an element's code is found. Resolved: round x * (1/s); where the quotient came close to a
// half-integer t, decide the CPU's rounding of x / s from the exact residual x - t s (an FMA):
// the quotient's float is t itself (a tie: rounded to even) or lies on the residual's side; a
// residual too close to call is reported. Exact: the CPU's division. Weights of 8 significant
// bits (BF16) put many quotients near half-integers, so the residual keeps them off the division.
enum class Rounding { Resolved, Exact };

// Half an ulp of |t| >= 0.5, as a float.
__device__ __forceinline__ float halfUlp(float t) { return __uint_as_float((__float_as_uint(t) & 0x7f800000u) - (24u << 23)); }

// w' for one weight; Clamp is needed only where quotients can leave the code range (a clip
// ratio below 1).
template <bool Symmetric, bool Clamp, Rounding R>
__device__ __forceinline__ float integerValue(float w, const IntegerQuantizer& q, bool& undecided)
{
    float code;
    if constexpr (R == Rounding::Exact) {
        code = exactCode(w, q.scale, q.low, q.high);
    } else {
        const float v = w * q.inverse;
        code = roundHalfEven(v);
        if (fabsf(v - code) > q.margin) {
            const float t = v > code ? code + 0.5f : code - 0.5f;
            const float residual = fabsf(__fmaf_rn(-t, q.scale, w)), tolerance = q.scale * halfUlp(t);
            if (residual < tolerance)
                code = roundHalfEven(t);
            else if (residual > tolerance)
                code = __fmaf_rn(-t, q.scale, w) > 0.0f ? t + 0.5f : t - 0.5f;
            else
                undecided = true;
        }
        if constexpr (Clamp)
            code = fminf(fmaxf(code, q.low), q.high);  // both finite: std::clamp's result
    }
    if constexpr (Symmetric) {
        return code * q.scale;
    } else {
        const float level = fminf(fmaxf(code + q.zeroPoint, 0.0f), q.levelHigh);
        return (level - q.zeroPoint) * q.scale;
    }
}

// Sums of one group or lane; the order-free ones in a few chains (one chain would wait on its
// own latency).
struct IntegerErrors {
    float squaredError = 0, crossSum = 0, dequantizedSquares = 0, maxError = 0;
};

// One group of G weights at x (CPU lanes: element i in lane i % 16, then halving). Returns the
// 1 when a Resolved sweep left an element undecided, else 0. Histogram: add
// `delta` (1, or -1 to take bins back) per element.
template <int G, bool Symmetric, Rounding R, bool Histogram>
__device__ __forceinline__ float sweepGroup(const float* x, const IntegerQuantizer& q, unsigned* histogram, unsigned delta,
                                            IntegerErrors& out)
{
    bool undecided = false;
    float se[16], wq[4] = {0, 0, 0, 0}, qq[4] = {0, 0, 0, 0}, maxError[4] = {0, 0, 0, 0};
#pragma unroll
    for (int k = 0; k < 16; ++k)
        se[k] = 0.0f;
    constexpr int kSpan = G < 64 ? G : 64;  // unrolled: lane indices known at compile time
#pragma unroll 1
    for (int h = 0; h < G; h += kSpan)
#pragma unroll
        for (int i = 0; i < kSpan; i += 4) {
            const float4 v4 = *reinterpret_cast<const float4*>(x + groupOffset(h + i));
            const float e[4] = {v4.x, v4.y, v4.z, v4.w};
#pragma unroll
            for (int j = 0; j < 4; ++j) {
                const float y = integerValue<Symmetric, false, R>(e[j], q, undecided);
                const float d = y - e[j];
                se[(i + j) % 16] += d * d;
                wq[j] = __fmaf_rn(e[j], y, wq[j]);
                qq[j] = __fmaf_rn(y, y, qq[j]);
                maxError[j] = fmaxf(maxError[j], fabsf(d));
                if constexpr (Histogram)
                    atomicAdd(&histogram[histogramBin(d)], delta);
            }
        }
#pragma unroll
    for (int width = 8; width > 0; width /= 2)
#pragma unroll
        for (int k = 0; k < width; ++k)
            se[k] += se[k + width];
    out.squaredError = se[0];
    out.crossSum = (wq[0] + wq[1]) + (wq[2] + wq[3]);
    out.dequantizedSquares = (qq[0] + qq[1]) + (qq[2] + qq[3]);
    out.maxError = fmaxf(fmaxf(maxError[0], maxError[1]), fmaxf(maxError[2], maxError[3]));
    return undecided ? 1.0f : 0.0f;
}

// The group measured with every near-tie resolved; in the rare case one stays undecided, again
// with the CPU's division (the discarded sweep's bins are taken back first).
template <int G, bool Symmetric, bool Histogram>
__device__ __forceinline__ IntegerErrors measureGroupWith(const float* x, const IntegerQuantizer& q, unsigned* histogram)
{
    IntegerErrors e;
    if (sweepGroup<G, Symmetric, Rounding::Resolved, Histogram>(x, q, histogram, 1u, e) == 0.0f)
        return e;
    if constexpr (Histogram)
        sweepGroup<G, Symmetric, Rounding::Resolved, true>(x, q, histogram, ~0u, e);
    sweepGroup<G, Symmetric, Rounding::Exact, Histogram>(x, q, histogram, 1u, e);
    return e;
}
template <int G, bool Symmetric>
__device__ __forceinline__ IntegerErrors measureGroup(const float* x, const IntegerQuantizer& q, unsigned* histogram)
{
    return histogram ? measureGroupWith<G, Symmetric, true>(x, q, histogram) : measureGroupWith<G, Symmetric, false>(x, q, nullptr);
}

// An integer scheme of group length G over the tile's groups, one thread per group.
template <int G, bool Symmetric>
__device__ __forceinline__ void fastGroupedPass(const DeviceScheme& s, const TileContext& c, const GroupSummary* summaries, ThreadSums& t)
{
    constexpr float kLimit = 4194304.0f;
    const int whole = c.len / G, groups = (c.len + G - 1) / G;
    for (int g = threadIdx.x; g < groups; g += blockDim.x) {
        const int first = g * G;
        const long long groupIndex = c.start / G + g;
        float* rmseOut = s.keepGroupRmse ? s.groupRmse + groupIndex : nullptr;
        GroupSummary summary{};
        IntegerQuantizer q{};
        q.levelHigh = s.levelHigh;
        bool plain = g < whole;
        if (plain) {
            summary = summaries[g];
            plain = summary.magnitude < kHugeKey && summary.magnitude != 0;
        }
        if (plain) {
            float largest;
            if constexpr (Symmetric) {
                q.scale = __uint_as_float(summary.magnitude) * 1.0f / s.levelHigh;
                q.low = s.levelLow;
                q.high = s.levelHigh;
                largest = s.levelHigh + 1.0f;
            } else {
                plain = asymmetricParameters(fromOrderKey(summary.low), fromOrderKey(summary.high), 1.0f, s.levelHigh, q.scale,
                                             q.zeroPoint);
                q.low = -kLimit;
                q.high = kLimit;
                largest = __uint_as_float(summary.magnitude) / q.scale * 1.0001f + 1.0f;
            }
            q.inverse = 1.0f / q.scale;
            plain = plain && q.scale > 1e-30f && q.inverse < __int_as_float(0x7f800000) && largest < 262144.0f;
            q.margin = halfIntegerMargin(largest);
        }
        if (!plain) {
            const int n = min(G, c.len - first);
            auto x = [&](int i) { return c.tile[pad(first + i)]; };
            const GroupParams p = groupParams(s, x, n, groupIndex);
            constexpr int kKind = static_cast<int>(Symmetric ? DeviceSchemeKind::SymmetricInt : DeviceSchemeKind::AsymmetricInt);
            groupMetrics(c, first, n, [&](float v) { return dequantizeAs<kKind>(s, p, v); }, true, t, rmseOut);
            continue;
        }
        const IntegerErrors e = measureGroup<G, Symmetric>(c.tile + pad(first), q, c.errorHistogram);
        t.elements += G;
        t.sse += e.squaredError;
        t.ssw += summary.sumSquares;
        t.swq += e.crossSum;
        t.sqq += e.dequantizedSquares;
        t.maxKey = max(t.maxKey, __float_as_uint(e.maxError));
        ++t.groups;
        t.constant += summary.low == summary.high ? 1 : 0;
        const float rmse = sqrtf(e.squaredError / static_cast<float>(G));
        if (c.groupHistogram)
            atomicAdd(&c.groupHistogram[histogramBin(rmse)], 1u);
        if (rmseOut)
            *rmseOut = rmse;
    }
}

// One lane of a 256-block: elements lane, lane + 16, ... at x (x = block start + lane).
template <bool Symmetric, bool Clamp, Rounding R, bool Histogram>
__device__ __forceinline__ float sweepLane(const float* x, const IntegerQuantizer& q, unsigned* histogram, unsigned delta,
                                           IntegerErrors& out)
{
    float se = 0, wq[2] = {0, 0}, qq[2] = {0, 0}, maxError[2] = {0, 0};
    bool undecided = false;
#pragma unroll
    for (int j = 0; j < 16; ++j) {
        const float w = x[laneOffset(j)];
        const float y = integerValue<Symmetric, Clamp, R>(w, q, undecided);
        const float d = y - w;
        se += d * d;
        wq[j & 1] = __fmaf_rn(w, y, wq[j & 1]);
        qq[j & 1] = __fmaf_rn(y, y, qq[j & 1]);
        maxError[j & 1] = fmaxf(maxError[j & 1], fabsf(d));
        if constexpr (Histogram)
            atomicAdd(&histogram[histogramBin(d)], delta);
    }
    out.squaredError = se;
    out.crossSum = wq[0] + wq[1];
    out.dequantizedSquares = qq[0] + qq[1];
    out.maxError = fmaxf(maxError[0], maxError[1]);
    return undecided ? 1.0f : 0.0f;
}

// Whether any lane of this thread's 256-block (its half-warp) reports `close`.
__device__ __forceinline__ bool blockAgrees(bool close)
{
    return (__ballot_sync(0xffffffffu, close) >> (threadIdx.x & 16)) & 0xffffu;
}

template <bool Symmetric, bool Clamp, bool Histogram>
__device__ __forceinline__ void tensorWideBlocksWith(const IntegerQuantizer& q, const TileContext& c, const float* blockSquares,
                                                     ThreadSums& t)
{
    unsigned* histogram = c.errorHistogram;
    const int items = c.len / kTensorWideBlock * 16;
    for (int base = 0; base < items; base += blockDim.x) {
        const int item = base + threadIdx.x;
        const int b = item >> 4, lane = item & 15;
        const bool active = item < items;
        const float* x = c.tile + pad(b * kTensorWideBlock) + lane;
        IntegerErrors e;
        float undecided = 0;
        if (active)
            undecided = sweepLane<Symmetric, Clamp, Rounding::Resolved, Histogram>(x, q, histogram, 1u, e);
        // a block with a near-tie left undecided is measured again with the division (see
        // measureGroupWith); the vote is taken by the whole warp
        if (blockAgrees(undecided != 0.0f)) {
            if constexpr (Histogram)
                sweepLane<Symmetric, Clamp, Rounding::Resolved, true>(x, q, histogram, ~0u, e);
            sweepLane<Symmetric, Clamp, Rounding::Exact, Histogram>(x, q, histogram, 1u, e);
        }
        const float sse = halvingSum(e.squaredError);
        if (active) {
            if (lane == 0) {
                t.elements += kTensorWideBlock;
                t.sse += sse;
                t.ssw += blockSquares[b];
            }
            t.swq += e.crossSum;
            t.sqq += e.dequantizedSquares;
            t.maxKey = max(t.maxKey, __float_as_uint(e.maxError));
        }
    }
}
template <bool Symmetric, bool Clamp>
__device__ __forceinline__ void tensorWideBlocks(const IntegerQuantizer& q, const TileContext& c, const float* blockSquares, ThreadSums& t)
{
    if (c.errorHistogram)
        tensorWideBlocksWith<Symmetric, Clamp, true>(q, c, blockSquares, t);
    else
        tensorWideBlocksWith<Symmetric, Clamp, false>(q, c, blockSquares, t);
}

// A tensor-wide integer scheme over whole 256-blocks: 16 threads per block, thread k holding the
// CPU's lane k (elements k, k + 16, ...). False: the caller takes the general path.
__device__ __forceinline__ bool fastTensorWidePass(const DeviceScheme& s, const TileContext& c, const float* blockSquares, ThreadSums& t)
{
    const GroupParams p = tensorWideParams(s);
    if (p.mode != GroupMode::Quantize || c.len % kTensorWideBlock != 0)
        return false;
    const bool symmetric = s.kind == DeviceSchemeKind::SymmetricInt;
    constexpr float kLimit = 4194304.0f;
    IntegerQuantizer q{p.scale, 1.0f / p.scale, p.zeroPoint, s.levelHigh, symmetric ? s.levelLow : -kLimit,
                       symmetric ? s.levelHigh : kLimit, 0.0f};
    const float extent = symmetric ? s.absMax : fmaxf(fabsf(s.minValue), fabsf(s.maxValue));
    const float largest = extent / q.scale * 1.0001f + 1.0f;
    if (!(q.scale > 1e-30f) || !(q.inverse < __int_as_float(0x7f800000)) || !(largest < 262144.0f) ||
        !(magnitudeKey(extent) < kHugeKey))
        return false;
    q.margin = halfIntegerMargin(largest);
    // At a clip ratio of 1 no quotient leaves the code range (|w| <= absmax): no clamp.
    const bool clamps = s.mseClip && s.clipRatio != 1.0f;
    if (!symmetric)
        tensorWideBlocks<false, false>(q, c, blockSquares, t);
    else if (clamps)
        tensorWideBlocks<true, true>(q, c, blockSquares, t);
    else
        tensorWideBlocks<true, false>(q, c, blockSquares, t);
    return true;
}

}  // namespace
}  // namespace cstudio::gpu
