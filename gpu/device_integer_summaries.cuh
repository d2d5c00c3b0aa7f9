#pragma once
// What the integer passes need to know about the weights alone, computed once per tile for all
// schemes: each group's extremes and sum of squares (in the CPU's lanes), each 256-block's sum of
// squares, and the moments. Included by device_fast_integer.cuh.
#include "gpu/device_tile.cuh"

namespace cstudio::gpu {
namespace {

// What every integer scheme of one group length needs to know about a group of the tile.
struct GroupSummary {
    float sumSquares;    // the weights' own: the CPU's 16 lanes and halving reduction
    unsigned magnitude;  // max |w| key (>= kInfinityKey: the group holds NaN or Inf)
    int low, high;       // order keys of the smallest and largest weight
};

// Weights below this magnitude (2^124) keep every error finite.
constexpr unsigned kHugeKey = 0x7d800000u;

// Group lengths with a fast path (one thread walks a whole group from registers).
__host__ __device__ constexpr bool hasFastGroupLength(int length) { return length == 32 || length == 64 || length == 128; }

__host__ __device__ inline bool isPlainInteger(const DeviceScheme& s)
{
    return s.kind == DeviceSchemeKind::SymmetricInt || s.kind == DeviceSchemeKind::AsymmetricInt;
}
// The group length of the launch's fast grouped pass: the first plain grouped integer scheme's
// (0: none). Host and device agree on it, so shared memory holds exactly its summaries.
__host__ __device__ inline int fastGroupLength(const AnalysisLaunch& L)
{
    for (int s = 0; s < L.schemeCount; ++s) {
        const DeviceScheme& scheme = L.schemes[s];
        if (isPlainInteger(scheme) && !scheme.tensorWide && !scheme.mseClip && hasFastGroupLength(scheme.metricLength))
            return scheme.metricLength;
    }
    return 0;
}
__device__ __forceinline__ bool takesFastGroupedPass(const DeviceScheme& s, int fastLength)
{
    return isPlainInteger(s) && !s.tensorWide && !s.mseClip && s.metricLength == fastLength;
}
__device__ __forceinline__ bool takesFastTensorWidePass(const DeviceScheme& s) { return isPlainInteger(s) && s.tensorWide; }

// Element i of a group that starts at a multiple of min(G, 64) in the padded tile.
__device__ __forceinline__ constexpr int groupOffset(int i) { return i + 4 * (i >> 6); }

// Element lane + 16 j of a 256-block, relative to the block's start plus lane (lane < 16 never
// crosses a padding boundary on its own).
__device__ __forceinline__ constexpr int laneOffset(int j)
{
    return 16 * j + TileLayout::kPadWidth * ((16 * j) >> TileLayout::kPadShift);
}

// One weight into the tile's moments (finite values only, like WeightMoments::add()).
__device__ __forceinline__ void addMoment(float x, MomentSums& m)
{
    if (!isFiniteValue(x)) {
        ++m.nonFinite;
        return;
    }
    const float x2 = x * x;
    m.s1 += x;
    m.s2 += x2;
    m.s3 += x2 * x;
    m.s4 += x2 * x2;
    ++m.count;
    m.low = min(m.low, orderKey(x));
    m.high = max(m.high, orderKey(x));
}

// Summaries of the tile's whole groups of length G, and (moments != null) the moments of all
// its weights: per group in float (the CPU keeps float partial sums too; they agree to 1e-6).
template <int G>
__device__ __forceinline__ void describeGroups(const float* tile, int len, GroupSummary* summaries, MomentSums* moments)
{
    const int groups = len / G;
    for (int g = threadIdx.x; g < groups; g += blockDim.x) {
        const float* x = tile + pad(g * G);
        float lanes[16];
#pragma unroll
        for (int k = 0; k < 16; ++k)
            lanes[k] = 0.0f;
        unsigned magnitude = 0;
        int low = orderKey(x[0]), high = low;
        float s1[4] = {0, 0, 0, 0}, s3[4] = {0, 0, 0, 0}, s4[4] = {0, 0, 0, 0};
        constexpr int kSpan = G < 64 ? G : 64;  // unrolled: lane indices known at compile time
#pragma unroll 1
        for (int h = 0; h < G; h += kSpan)
#pragma unroll
        for (int i = 0; i < kSpan; i += 4) {
            const float4 v = *reinterpret_cast<const float4*>(x + groupOffset(h + i));
            const float e[4] = {v.x, v.y, v.z, v.w};
#pragma unroll
            for (int j = 0; j < 4; ++j) {
                const float x2 = e[j] * e[j];
                lanes[(i + j) % 16] += x2;
                magnitude = max(magnitude, magnitudeKey(e[j]));
                low = min(low, orderKey(e[j]));
                high = max(high, orderKey(e[j]));
                s1[j] += e[j];
                s3[j] = __fmaf_rn(x2, e[j], s3[j]);
                s4[j] = __fmaf_rn(x2, x2, s4[j]);
            }
        }
#pragma unroll
        for (int width = 8; width > 0; width /= 2)
#pragma unroll
            for (int k = 0; k < width; ++k)
                lanes[k] += lanes[k + width];
        summaries[g] = GroupSummary{lanes[0], magnitude, low, high};
        if (!moments)
            continue;
        if (magnitude < kInfinityKey) {
            moments->s1 += (s1[0] + s1[1]) + (s1[2] + s1[3]);
            moments->s2 += lanes[0];
            moments->s3 += (s3[0] + s3[1]) + (s3[2] + s3[3]);
            moments->s4 += (s4[0] + s4[1]) + (s4[2] + s4[3]);
            moments->count += G;
            moments->low = min(moments->low, low);
            moments->high = max(moments->high, high);
        } else {
            for (int i = 0; i < G; ++i)
                addMoment(x[groupOffset(i)], *moments);
        }
    }
    if (moments)
        for (int i = groups * G + threadIdx.x; i < len; i += blockDim.x)
            addMoment(tile[pad(i)], *moments);
}

// The weights' sum of squares of each whole 256-block of the tile (the tensor-wide schemes'
// metric blocks), in the CPU's lanes: 16 threads per block, halving across the half-warp.
__device__ __forceinline__ void describeBlocks(const float* tile, int len, float* blockSquares)
{
    const int items = len / kTensorWideBlock * 16;
    for (int base = 0; base < items; base += blockDim.x) {
        const int item = base + threadIdx.x;
        const int b = item >> 4, lane = item & 15;
        float ww = 0;
        if (item < items)
#pragma unroll
            for (int j = 0; j < 16; ++j) {
                const float x = tile[pad(b * kTensorWideBlock) + lane + laneOffset(j)];
                ww += x * x;
            }
        ww = halvingSum(ww);
        if (item < items && lane == 0)
            blockSquares[b] = ww;
    }
}

}  // namespace
}  // namespace cstudio::gpu
