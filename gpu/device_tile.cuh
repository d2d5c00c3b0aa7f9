#pragma once
// The tile a block works on and the metric bookkeeping every pass shares: loading a chunk's
// tile into shared memory (F32/F16/BF16 converted to float), the per-thread sums, and one
// metric group measured exactly like the CPU engine (core/analysis/chunk_metrics.cpp). Included
// by the kernels' translation units only.
#include "gpu/cuda_kernels.h"
#include "gpu/device_quantizers.cuh"

namespace cstudio::gpu {
namespace {

constexpr int kThreads = 128;
constexpr int kWarps = kThreads / 32;

// The tile in shared memory, padded after every 2^kPadShift elements so that threads walking
// their own groups hit different banks. The translation unit defines TileLayout before it
// includes this header: cuda_kernels.cu pads 1 float per 32 (scalar reads of any group length
// are conflict-free), cuda_integer_kernel.cu 4 floats per 64 (group starts stay 16-byte
// aligned for vector reads, and the 64-groups of 8 threads fall in 8 different bank quads).
__host__ __device__ constexpr int paddedSize(int n)
{
    return n + TileLayout::kPadWidth * (n >> TileLayout::kPadShift) + TileLayout::kPadWidth;
}
__device__ __forceinline__ int pad(int i) { return i + TileLayout::kPadWidth * (i >> TileLayout::kPadShift); }

__device__ __forceinline__ float loadRaw(const void* raw, RawEncoding encoding, long long i)
{
    switch (encoding) {
    case RawEncoding::F32: return static_cast<const float*>(raw)[i];
    case RawEncoding::F16: return decodeHalfBits(static_cast<const unsigned short*>(raw)[i]);
    default: return decodeBf16Bits(static_cast<const unsigned short*>(raw)[i]);
    }
}

__device__ __forceinline__ int histogramBin(float magnitude)
{
    const unsigned bits = __float_as_uint(magnitude) & 0x7fffffffu;
    const int index = static_cast<int>(bits >> 21) - (127 - 40) * 4;
    return index < 0 ? 0 : (index > kHistogramBins - 1 ? kHistogramBins - 1 : index);
}

// Elements i..i+3 (i a multiple of 4: they never straddle a padding boundary of the vector layout).
__device__ __forceinline__ void storeFour(float* tile, int i, float4 v)
{
    if constexpr (TileLayout::kVector) {
        *reinterpret_cast<float4*>(&tile[pad(i)]) = v;
    } else {
        tile[pad(i)] = v.x;
        tile[pad(i + 1)] = v.y;
        tile[pad(i + 2)] = v.z;
        tile[pad(i + 3)] = v.w;
    }
}

// Eight 16-bit weights (BF16 or F16, 16 bytes) decoded into tile elements i..i+7 (i a multiple of 8).
__device__ __forceinline__ void storeEight16Bit(float* tile, int i, uint4 r, bool bf16)
{
    const unsigned words[4] = {r.x, r.y, r.z, r.w};
    float f[8];
#pragma unroll
    for (int k = 0; k < 4; ++k) {
        const auto lo = static_cast<unsigned short>(words[k] & 0xffffu), hi = static_cast<unsigned short>(words[k] >> 16);
        f[2 * k] = bf16 ? decodeBf16Bits(lo) : decodeHalfBits(lo);
        f[2 * k + 1] = bf16 ? decodeBf16Bits(hi) : decodeHalfBits(hi);
    }
    storeFour(tile, i, make_float4(f[0], f[1], f[2], f[3]));
    storeFour(tile, i + 4, make_float4(f[4], f[5], f[6], f[7]));
}

// Tile [start, start + len) of the chunk into shared memory, converted to float. Each thread
// issues 4 independent 16-byte loads before it stores any (a load-then-store loop waits one
// memory latency per load), then stores 16 bytes at a time.
__device__ void loadTile(float* tile, const void* raw, RawEncoding encoding, long long start, int len)
{
    constexpr int kInFlight = 4;
    if (encoding == RawEncoding::F32) {
        const float4* src = reinterpret_cast<const float4*>(static_cast<const float*>(raw) + start);
        const int vectors = len / 4;
        for (int base = 0; base < vectors; base += kInFlight * blockDim.x) {
            float4 r[kInFlight];
#pragma unroll
            for (int j = 0; j < kInFlight; ++j) {
                const int v = base + j * blockDim.x + threadIdx.x;
                if (v < vectors)
                    r[j] = src[v];
            }
#pragma unroll
            for (int j = 0; j < kInFlight; ++j) {
                const int v = base + j * blockDim.x + threadIdx.x;
                if (v < vectors)
                    storeFour(tile, 4 * v, r[j]);
            }
        }
        for (int i = vectors * 4 + threadIdx.x; i < len; i += blockDim.x)
            tile[pad(i)] = loadRaw(raw, encoding, start + i);
        return;
    }
    const uint4* src = reinterpret_cast<const uint4*>(static_cast<const unsigned short*>(raw) + start);
    const bool bf16 = encoding == RawEncoding::BF16;
    const int vectors = len / 8;
    for (int base = 0; base < vectors; base += kInFlight * blockDim.x) {
        uint4 r[kInFlight];
#pragma unroll
        for (int j = 0; j < kInFlight; ++j) {
            const int v = base + j * blockDim.x + threadIdx.x;
            if (v < vectors)
                r[j] = src[v];
        }
#pragma unroll
        for (int j = 0; j < kInFlight; ++j) {
            const int v = base + j * blockDim.x + threadIdx.x;
            if (v >= vectors)
                continue;
            storeEight16Bit(tile, 8 * v, r[j], bf16);
        }
    }
    for (int i = vectors * 8 + threadIdx.x; i < len; i += blockDim.x)
        tile[pad(i)] = loadRaw(raw, encoding, start + i);
}

// A tile of 16-bit weights copied to shared memory asynchronously (cp.async, 16 bytes a request):
// stageTile() requests it, waitForStagedTile() waits for this thread's requests, unstageTile()
// converts it into the float tile once every thread has waited and met at a barrier. Elements
// past the last whole 16 bytes are read from device memory by unstageTile().
__device__ __forceinline__ void stageTile(unsigned short* staging, const void* raw, long long start, int len)
{
    const auto* src = static_cast<const unsigned short*>(raw) + start;
    const int vectors = len / 8;
    for (int v = threadIdx.x; v < vectors; v += blockDim.x) {
        const auto destination = static_cast<unsigned>(__cvta_generic_to_shared(staging + 8 * v));
        asm volatile("cp.async.cg.shared.global [%0], [%1], 16;\n" ::"r"(destination), "l"(src + 8 * v));
    }
    asm volatile("cp.async.commit_group;\n" ::);
}
__device__ __forceinline__ void waitForStagedTile() { asm volatile("cp.async.wait_group 0;\n" ::: "memory"); }
__device__ __forceinline__ void unstageTile(float* tile, const unsigned short* staging, const void* raw, RawEncoding encoding, long long start, int len)
{
    const bool bf16 = encoding == RawEncoding::BF16;
    const int vectors = len / 8;
    for (int v = threadIdx.x; v < vectors; v += blockDim.x) {
        storeEight16Bit(tile, 8 * v, reinterpret_cast<const uint4*>(staging)[v], bf16);
    }
    for (int i = vectors * 8 + threadIdx.x; i < len; i += blockDim.x)
        tile[pad(i)] = loadRaw(raw, encoding, start + i);
}

struct ThreadSums {
    double sse = 0, ssw = 0, sqq = 0, swq = 0;
    long long elements = 0, groups = 0, zero = 0, constant = 0, nonFinite = 0;
    unsigned maxKey = 0;
    int saw = 0;
};

__device__ __forceinline__ double warpSum(double v)
{
#pragma unroll
    for (int o = 16; o > 0; o >>= 1)
        v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}
__device__ __forceinline__ long long warpSum(long long v)
{
#pragma unroll
    for (int o = 16; o > 0; o >>= 1)
        v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

// Warp-reduces a thread's sums and lets lane 0 add them into its warp's slot (fixed order).
__device__ void depositSums(const ThreadSums& t, SchemePartial* slot)
{
    const double sse = warpSum(t.sse), ssw = warpSum(t.ssw), sqq = warpSum(t.sqq), swq = warpSum(t.swq);
    const long long elements = warpSum(t.elements), groups = warpSum(t.groups), zero = warpSum(t.zero),
                    constant = warpSum(t.constant), nonFinite = warpSum(t.nonFinite);
    const unsigned maxKey = __reduce_max_sync(0xffffffffu, t.maxKey);
    const int saw = __any_sync(0xffffffffu, t.saw);
    if ((threadIdx.x & 31) == 0) {
        slot->sumSquaredError += sse;
        slot->sumSquaredWeight += ssw;
        slot->sumSquaredDequantized += sqq;
        slot->sumWeightTimesDequantized += swq;
        slot->elementCount += elements;
        slot->groupCount += groups;
        slot->zeroGroups += zero;
        slot->constantGroups += constant;
        slot->nonFiniteGroups += nonFinite;
        slot->maxErrorKey = max(slot->maxErrorKey, maxKey);
        slot->sawNonFinite |= saw;
    }
}

// The CPU's halving reduction of 16 lanes (lane k += lane k+8, +4, +2, +1), across the 16
// threads of a half-warp: lane 0 of the half-warp ends with the group's sum.
__device__ __forceinline__ float halvingSum(float v)
{
#pragma unroll
    for (int width = 8; width > 0; width /= 2)
        v += __shfl_down_sync(0xffffffffu, v, width);
    return v;
}

struct TileContext {
    const float* tile;
    int len;
    long long start;  // of the tile in the chunk
    unsigned* errorHistogram;  // this scheme's shared bins (null: none)
    unsigned* groupHistogram;
};

// One metric group, as detail::accumulateGroups (core/analysis/group_error_accumulation.h):
// the squared error in 16 float lanes (lane k: elements k, k+16, ...; the tail in lane 0),
// reduced by halving (lane k += lane k+8, then +4, +2, +1) - bit for bit the CPU's group sum;
// the weights' own sum of squares the same way (describeWeightGroups). The cross sums (w w',
// w'^2) only feed the cosine, which the CPU keeps in lanes across groups: any order will do.
// Each lane is summed completely before the next: the same arithmetic, fewer live registers.
template <class Value>
__device__ void groupMetrics(const TileContext& c, int first, int n, Value value, bool countGroups, ThreadSums& t,
                             float* groupRmse)
{
    float se[16], ww[16];
    float wq = 0, qq = 0;
    unsigned errorKey = 0, magnitude = 0;
    int low = orderKey(c.tile[pad(first)]), high = low;
    const int full = n / 16 * 16;
    auto step = [&](int i, float& seK, float& wwK) {
        const float x = c.tile[pad(first + i)];
        const float y = value(x);
        const float d = y - x;
        seK += d * d;
        wq += x * y;
        qq += y * y;
        wwK += x * x;
        errorKey = max(errorKey, magnitudeKey(d));
        magnitude = max(magnitude, magnitudeKey(x));
        low = min(low, orderKey(x));
        high = max(high, orderKey(x));
        if (c.errorHistogram && isFiniteValue(d))
            atomicAdd(&c.errorHistogram[histogramBin(d)], 1u);
    };
#pragma unroll
    for (int k = 0; k < 16; ++k) {
        se[k] = ww[k] = 0.0f;
        for (int i = k; i < full; i += 16)
            step(i, se[k], ww[k]);
    }
    for (int i = full; i < n; ++i)
        step(i, se[0], ww[0]);
#pragma unroll
    for (int width = 8; width > 0; width /= 2)
#pragma unroll
        for (int k = 0; k < width; ++k) {
            se[k] += se[k + width];
            ww[k] += ww[k + width];
        }
    const float sse = se[0], sw = ww[0];
    if (magnitude >= kInfinityKey) {
        t.saw = 1;
        if (countGroups) {
            ++t.groups;
            ++t.nonFinite;
        }
        if (groupRmse)
            *groupRmse = __int_as_float(0x7fc00000);
        return;
    }
    t.elements += n;
    t.sse += sse;
    t.ssw += sw;
    t.swq += wq;
    t.sqq += qq;
    t.maxKey = max(t.maxKey, errorKey);
    if (countGroups) {
        ++t.groups;
        t.zero += magnitude == 0 ? 1 : 0;
        t.constant += (magnitude != 0 && low == high) ? 1 : 0;
        const float rmse = sqrtf(sse / static_cast<float>(n));
        if (c.groupHistogram)
            atomicAdd(&c.groupHistogram[histogramBin(rmse)], 1u);
        if (groupRmse)
            *groupRmse = rmse;
    }
}

// The element function with the scheme kind known at compile time for the hot integer kinds
// (no per-element switch); every other kind goes through dequantize().
template <int Kind>
__device__ __forceinline__ float dequantizeAs(const DeviceScheme& s, const GroupParams& p, float x)
{
    if constexpr (Kind == static_cast<int>(DeviceSchemeKind::SymmetricInt)) {
        if (p.mode != GroupMode::Quantize)
            return p.mode == GroupMode::Copy ? x : 0.0f;
        return symmetricValue(x, p.scale, s.levelLow, s.levelHigh);
    } else if constexpr (Kind == static_cast<int>(DeviceSchemeKind::AsymmetricInt)) {
        if (p.mode != GroupMode::Quantize)
            return p.mode == GroupMode::Copy ? x : 0.0f;
        return asymmetricValue(x, p.scale, p.zeroPoint, s.levelHigh);
    } else {
        return dequantize(s, p, x);
    }
}

struct MomentSums {
    double s1 = 0, s2 = 0, s3 = 0, s4 = 0;
    long long count = 0, nonFinite = 0;
    int low = 0x7fffffff, high = static_cast<int>(0x80000000);
};

}  // namespace
}  // namespace cstudio::gpu
