// The fused analysis kernel and its helpers. One block walks tiles of a chunk: a tile is read
// from device memory once (converted from F32/F16/BF16 on the fly) into shared memory, and every
// selected scheme quantizes it from there; nothing dequantized is written out. Metric groups
// follow the CPU engine exactly (chunk_metrics.cpp): 16 float lanes per group, summed in lane
// order, then added in double; block sums are combined in a fixed order (deterministic).
#include "gpu/cuda_kernels.h"
#include "gpu/device_kquants.cuh"
#include "gpu/device_quantizers.cuh"

#include <algorithm>

namespace cstudio::gpu {

namespace {

constexpr int kThreads = 128;
constexpr int kWarps = kThreads / 32;

__host__ __device__ constexpr int paddedSize(int n) { return n + (n >> 5) + 1; }
__device__ __forceinline__ int pad(int i) { return i + (i >> 5); }

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

// Tile [start, start + len) of the chunk into shared memory, converted to float. Each thread
// issues 4 independent 16-byte loads before it stores any (a load-then-store loop waits one
// memory latency per load); with the padding, the 8-element stores of a warp hit 32 banks.
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
                if (v < vectors) {
                    tile[pad(4 * v)] = r[j].x;
                    tile[pad(4 * v + 1)] = r[j].y;
                    tile[pad(4 * v + 2)] = r[j].z;
                    tile[pad(4 * v + 3)] = r[j].w;
                }
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
            const unsigned words[4] = {r[j].x, r[j].y, r[j].z, r[j].w};
#pragma unroll
            for (int k = 0; k < 4; ++k) {
                const auto lo = static_cast<unsigned short>(words[k] & 0xffffu), hi = static_cast<unsigned short>(words[k] >> 16);
                tile[pad(8 * v + 2 * k)] = bf16 ? decodeBf16Bits(lo) : decodeHalfBits(lo);
                tile[pad(8 * v + 2 * k + 1)] = bf16 ? decodeBf16Bits(hi) : decodeHalfBits(hi);
            }
        }
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

// Grouped schemes other than k-quants: one thread per scale group.
template <int Kind>
__device__ void groupPassAs(const DeviceScheme& s, const TileContext& c, ThreadSums& t)
{
    const int G = s.metricLength;
    const int groups = (c.len + G - 1) / G;
    for (int g = threadIdx.x; g < groups; g += blockDim.x) {
        const int first = g * G;
        const int n = min(G, c.len - first);
        const long long groupIndex = c.start / G + g;
        const float* tile = c.tile;
        auto x = [&](int i) { return tile[pad(first + i)]; };
        const GroupParams p = groupParams(s, x, n, groupIndex);
        groupMetrics(c, first, n, [&](float v) { return dequantizeAs<Kind>(s, p, v); }, true, t,
                     s.keepGroupRmse ? s.groupRmse + groupIndex : nullptr);
    }
}

__device__ void groupPass(const DeviceScheme& s, const TileContext& c, ThreadSums& t)
{
    if (s.kind == DeviceSchemeKind::SymmetricInt)
        groupPassAs<static_cast<int>(DeviceSchemeKind::SymmetricInt)>(s, c, t);
    else if (s.kind == DeviceSchemeKind::AsymmetricInt)
        groupPassAs<static_cast<int>(DeviceSchemeKind::AsymmetricInt)>(s, c, t);
    else
        groupPassAs<-1>(s, c, t);
}

// k-quants: fit every sub-block, meet at the super-block, then choose and measure.
__device__ void kquantPass(const DeviceScheme& s, const TileContext& c, ThreadSums& t, float2* fits, unsigned char* finite)
{
    const KQuantLayout L = kquantLayout(s.kind);
    const int subs = c.len / L.subBlock;
    const int perSuper = 256 / L.subBlock;
    const float* tile = c.tile;
    for (int j = threadIdx.x; j < subs; j += blockDim.x) {
        const int first = j * L.subBlock;
        auto x = [&](int i) { return tile[pad(first + i)]; };
        bool ok = true;
        for (int i = 0; i < L.subBlock; ++i)
            ok = ok && isFiniteValue(x(i));
        finite[j] = ok ? 1 : 0;
        const SubFit fit = ok ? kquantFitSubBlock(x, L.subBlock, L) : SubFit{};
        fits[j] = make_float2(fit.scale, fit.offset);
    }
    __syncthreads();
    for (int j = threadIdx.x; j < subs; j += blockDim.x) {
        const int super = j / perSuper;
        bool ok = true;
        float maxScale = 0, maxOffset = 0;
        for (int k = super * perSuper; k < (super + 1) * perSuper; ++k) {
            ok = ok && finite[k];
            maxScale = maxStd(maxScale, fabsf(fits[k].x));
            maxOffset = maxStd(maxOffset, fits[k].y);
        }
        const int first = j * L.subBlock;
        auto x = [&](int i) { return tile[pad(first + i)]; };
        const long long groupIndex = c.start / L.subBlock + j;
        float* rmse = s.keepGroupRmse ? s.groupRmse + groupIndex : nullptr;
        if (!ok) {
            groupMetrics(c, first, L.subBlock, [](float v) { return v; }, true, t, rmse);
            continue;
        }
        float d, dmin;
        kquantSuperScales(L, maxScale, maxOffset, d, dmin);
        const SubChoice choice = kquantChoose(x, L.subBlock, d, dmin, SubFit{fits[j].x, fits[j].y}, L);
        groupMetrics(c, first, L.subBlock, [&](float v) { return kquantValue(v, d, dmin, choice, L); }, true, t, rmse);
    }
    __syncthreads();
}

// Tensor-wide schemes: metric blocks of 256, 16 threads per block (one per CPU lane).
__device__ void tensorWidePass(const DeviceScheme& s, const TileContext& c, ThreadSums& t)
{
    const GroupParams p = tensorWideParams(s);
    const int blocks = (c.len + kTensorWideBlock - 1) / kTensorWideBlock;
    const int items = blocks * 16;
    for (int base = 0; base < items; base += blockDim.x) {
        const int item = base + threadIdx.x;
        const bool active = item < items;
        const int b = item >> 4, lane = item & 15;
        float se = 0, cr = 0, so = 0;
        unsigned errorKey = 0, magnitude = 0;
        int n = 0;
        if (active) {
            const int first = b * kTensorWideBlock;
            n = min(kTensorWideBlock, c.len - first);
            const int full = n / 16 * 16;
            auto step = [&](int i) {
                const float x = c.tile[pad(first + i)];
                const float y = dequantize(s, p, x);
                const float d = y - x;
                se += d * d;
                cr += x * y;
                so += y * y;
                errorKey = max(errorKey, magnitudeKey(d));
                magnitude = max(magnitude, magnitudeKey(x));
                if (c.errorHistogram && isFiniteValue(d))
                    atomicAdd(&c.errorHistogram[histogramBin(d)], 1u);
            };
            for (int i = lane; i < full; i += 16)
                step(i);
            if (lane == 0)
                for (int i = full; i < n; ++i)
                    step(i);
        }
        // the weights' own sums of squares come from the same lanes
        float ww = 0;
        if (active) {
            const int first = b * kTensorWideBlock;
            const int full = n / 16 * 16;
            for (int i = lane; i < full; i += 16) {
                const float x = c.tile[pad(first + i)];
                ww += x * x;
            }
            if (lane == 0)
                for (int i = full; i < n; ++i) {
                    const float x = c.tile[pad(first + i)];
                    ww += x * x;
                }
        }
        const float sse = halvingSum(se), wq = halvingSum(cr), qq = halvingSum(so), sw = halvingSum(ww);
        unsigned blockMagnitude = magnitude, blockError = errorKey;
#pragma unroll
        for (int o = 8; o > 0; o >>= 1) {
            blockMagnitude = max(blockMagnitude, __shfl_xor_sync(0xffffffffu, blockMagnitude, o));
            blockError = max(blockError, __shfl_xor_sync(0xffffffffu, blockError, o));
        }
        if (active && lane == 0) {
            if (blockMagnitude >= kInfinityKey) {
                t.saw = 1;
            } else {
                t.elements += n;
                t.sse += sse;
                t.ssw += sw;
                t.swq += wq;
                t.sqq += qq;
                t.maxKey = max(t.maxKey, blockError);
            }
        }
    }
}

struct MomentSums {
    double s1 = 0, s2 = 0, s3 = 0, s4 = 0;
    long long count = 0, nonFinite = 0;
    int low = 0x7fffffff, high = static_cast<int>(0x80000000);
};

// accumulateMoments(): blocks of 256, 16 float lanes, lane sums added in double in lane order.
__device__ void momentsOfTile(const float* tile, int len, MomentSums& m)
{
    const int blocks = (len + 255) / 256;
    const int items = blocks * 16;
    for (int base = 0; base < items; base += blockDim.x) {
        const int item = base + threadIdx.x;
        const bool active = item < items;
        const int b = item >> 4, lane = item & 15;
        float s1 = 0, s2 = 0, s3 = 0, s4 = 0;
        long long finite = 0, total = 0;
        int low = orderKey(__int_as_float(0x7f800000)), high = orderKey(-__int_as_float(0x7f800000));
        if (active) {
            const int first = b * 256;
            const int n = min(256, len - first);
            const int full = n / 16 * 16;
            for (int i = lane; i < full; i += 16) {
                const float x = tile[pad(first + i)];
                const bool ok = isFiniteValue(x);
                const float v = ok ? x : 0.0f;
                const float v2 = v * v;
                s1 += v;
                s2 += v2;
                s3 += v2 * v;
                s4 += v2 * v2;
                finite += ok ? 1 : 0;
                low = ok ? min(low, orderKey(v)) : low;
                high = ok ? max(high, orderKey(v)) : high;
            }
            if (lane == 0)
                for (int i = full; i < n; ++i) {
                    const float x = tile[pad(first + i)];
                    const bool ok = isFiniteValue(x);
                    const float v = ok ? x : 0.0f;
                    s1 += v;
                    s2 += v * v;
                    s3 += v * v * v;
                    s4 += v * v * v * v;
                    finite += ok ? 1 : 0;
                    low = ok ? min(low, orderKey(v)) : low;
                    high = ok ? max(high, orderKey(v)) : high;
                }
            total = lane == 0 ? n : 0;
        }
        // The CPU adds the 16 lane sums into double in lane order; adding each lane's float sum
        // into this thread's double differs only in the order of double additions.
        if (active) {
            m.s1 += s1;
            m.s2 += s2;
            m.s3 += s3;
            m.s4 += s4;
            m.count += finite;
            m.nonFinite += total;  // minus the finite ones below
            m.nonFinite -= finite;
            m.low = min(m.low, low);
            m.high = max(m.high, high);
        }
    }
}

__device__ void depositMoments(const MomentSums& m, MomentPartial* slot)
{
    const double s1 = warpSum(m.s1), s2 = warpSum(m.s2), s3 = warpSum(m.s3), s4 = warpSum(m.s4);
    const long long count = warpSum(m.count), nonFinite = warpSum(m.nonFinite);
    const int low = __reduce_min_sync(0xffffffffu, m.low), high = __reduce_max_sync(0xffffffffu, m.high);
    if ((threadIdx.x & 31) == 0) {
        slot->sum += s1;
        slot->sumSquares += s2;
        slot->sumCubes += s3;
        slot->sumFourth += s4;
        slot->count += count;
        slot->nonFiniteCount += nonFinite;
        slot->minKey = min(slot->minKey, low);
        slot->maxKey = max(slot->maxKey, high);
    }
}

struct SharedLayout {
    int tileFloats, histogramWords, partialOffset, momentOffset, fitOffset, finiteOffset, total;
};

__host__ __device__ SharedLayout sharedLayout(int tileElements, int schemeCount)
{
    SharedLayout l{};
    l.tileFloats = paddedSize(tileElements);
    l.histogramWords = 2 * schemeCount * kHistogramBins;
    int bytes = (l.tileFloats + l.histogramWords) * 4;
    bytes = (bytes + 15) / 16 * 16;
    l.partialOffset = bytes;
    bytes += schemeCount * kWarps * static_cast<int>(sizeof(SchemePartial));
    l.momentOffset = bytes;
    bytes += kWarps * static_cast<int>(sizeof(MomentPartial));
    l.fitOffset = bytes;
    bytes += (tileElements / 16) * static_cast<int>(sizeof(float2));
    l.finiteOffset = bytes;
    bytes += tileElements / 16;
    l.total = (bytes + 15) / 16 * 16;
    return l;
}

__global__ void __launch_bounds__(kThreads, 4) analysisKernel(const __grid_constant__ AnalysisLaunch L, DeviceOutputs out)
{
    extern __shared__ __align__(16) unsigned char shared[];
    const SharedLayout layout = sharedLayout(L.tileElements, L.schemeCount);
    float* tile = reinterpret_cast<float*>(shared);
    unsigned* errorBins = reinterpret_cast<unsigned*>(tile + layout.tileFloats);
    unsigned* groupBins = errorBins + L.schemeCount * kHistogramBins;
    auto* partials = reinterpret_cast<SchemePartial*>(shared + layout.partialOffset);
    auto* moments = reinterpret_cast<MomentPartial*>(shared + layout.momentOffset);
    auto* fits = reinterpret_cast<float2*>(shared + layout.fitOffset);
    auto* finite = shared + layout.finiteOffset;
    const int warp = threadIdx.x >> 5;

    for (int i = threadIdx.x; i < layout.histogramWords; i += blockDim.x)
        errorBins[i] = 0;
    for (int i = threadIdx.x; i < L.schemeCount * kWarps; i += blockDim.x)
        partials[i] = SchemePartial{};
    if (threadIdx.x < kWarps) {
        moments[threadIdx.x] = MomentPartial{};
        moments[threadIdx.x].minKey = 0x7fffffff;
        moments[threadIdx.x].maxKey = static_cast<int>(0x80000000);
    }
    unsigned long long beyond = 0;
    const long long tiles = (L.elementCount + L.tileElements - 1) / L.tileElements;
    for (long long tileIndex = blockIdx.x; tileIndex < tiles; tileIndex += gridDim.x) {
        const long long start = tileIndex * L.tileElements;
        const int len = static_cast<int>(min(static_cast<long long>(L.tileElements), L.elementCount - start));
        __syncthreads();
        loadTile(tile, L.raw, L.encoding, start, len);
        __syncthreads();
        if (L.computeMoments) {
            MomentSums m;
            momentsOfTile(tile, len, m);
            depositMoments(m, &moments[warp]);
        }
        if (L.countBeyond)
            for (int i = threadIdx.x; i < len; i += blockDim.x)
                beyond += fabsf(tile[pad(i)] - L.beyondMean) > L.beyondThreshold ? 1 : 0;
        for (int s = 0; s < L.schemeCount; ++s) {
            const DeviceScheme& scheme = L.schemes[s];
            TileContext c{tile, len, start, L.errorHistograms ? errorBins + s * kHistogramBins : nullptr,
                          groupBins + s * kHistogramBins};
            ThreadSums t;
            if (scheme.tensorWide)
                tensorWidePass(scheme, c, t);
            else if (isKQuant(scheme.kind))
                kquantPass(scheme, c, t, fits, finite);
            else
                groupPass(scheme, c, t);
            depositSums(t, &partials[s * kWarps + warp]);
        }
    }
    __syncthreads();
    for (int s = threadIdx.x; s < L.schemeCount; s += blockDim.x) {
        SchemePartial total{};
        for (int w = 0; w < kWarps; ++w) {
            const SchemePartial& p = partials[s * kWarps + w];
            total.sumSquaredError += p.sumSquaredError;
            total.sumSquaredWeight += p.sumSquaredWeight;
            total.sumSquaredDequantized += p.sumSquaredDequantized;
            total.sumWeightTimesDequantized += p.sumWeightTimesDequantized;
            total.elementCount += p.elementCount;
            total.groupCount += p.groupCount;
            total.zeroGroups += p.zeroGroups;
            total.constantGroups += p.constantGroups;
            total.nonFiniteGroups += p.nonFiniteGroups;
            total.maxErrorKey = max(total.maxErrorKey, p.maxErrorKey);
            total.sawNonFinite |= p.sawNonFinite;
        }
        out.schemes[static_cast<long long>(blockIdx.x) * L.schemeCount + s] = total;
    }
    if (L.computeMoments && threadIdx.x == 0) {
        MomentPartial total{};
        total.minKey = 0x7fffffff;
        total.maxKey = static_cast<int>(0x80000000);
        for (int w = 0; w < kWarps; ++w) {
            total.sum += moments[w].sum;
            total.sumSquares += moments[w].sumSquares;
            total.sumCubes += moments[w].sumCubes;
            total.sumFourth += moments[w].sumFourth;
            total.count += moments[w].count;
            total.nonFiniteCount += moments[w].nonFiniteCount;
            total.minKey = min(total.minKey, moments[w].minKey);
            total.maxKey = max(total.maxKey, moments[w].maxKey);
        }
        out.moments[blockIdx.x] = total;
    }
    for (int i = threadIdx.x; i < layout.histogramWords; i += blockDim.x) {
        const unsigned count = errorBins[i];
        if (count == 0)
            continue;
        if (i < L.schemeCount * kHistogramBins)
            atomicAdd(&out.errorHistograms[i], static_cast<unsigned long long>(count));
        else
            atomicAdd(&out.groupHistograms[i - L.schemeCount * kHistogramBins], static_cast<unsigned long long>(count));
    }
    if (L.countBeyond) {
        const unsigned long long total = __reduce_add_sync(0xffffffffu, static_cast<unsigned>(beyond));
        if ((threadIdx.x & 31) == 0 && total)
            atomicAdd(out.beyondCount, total);
    }
}

}  // namespace

cudaError_t uploadAuxTables(const DeviceTables& tables);  // cuda_aux_kernels.cu

cudaError_t uploadTables(const DeviceTables& tables)
{
    const cudaError_t e = cudaMemcpyToSymbol(cTables, &tables, sizeof(tables));
    return e != cudaSuccess ? e : uploadAuxTables(tables);
}

int analysisBlocks(long long elementCount, int tileElements)
{
    static int multiprocessors = 0;
    if (multiprocessors == 0) {
        int device = 0;
        cudaGetDevice(&device);
        cudaDeviceGetAttribute(&multiprocessors, cudaDevAttrMultiProcessorCount, device);
        if (multiprocessors <= 0)
            multiprocessors = 1;
    }
    const long long tiles = (elementCount + tileElements - 1) / tileElements;
    return static_cast<int>(std::max(1LL, std::min(tiles, 8LL * multiprocessors)));
}

int analysisSharedBytes(int tileElements, int schemeCount)
{
    int device = 0, limit = 0;
    cudaGetDevice(&device);
    cudaDeviceGetAttribute(&limit, cudaDevAttrMaxSharedMemoryPerBlockOptin, device);
    const int bytes = sharedLayout(tileElements, schemeCount).total;
    return bytes <= limit ? bytes : 0;
}

cudaError_t launchAnalysis(const AnalysisLaunch& launch, const DeviceOutputs& outputs, cudaStream_t stream)
{
    const int bytes = sharedLayout(launch.tileElements, launch.schemeCount).total;
    cudaError_t e = cudaFuncSetAttribute(analysisKernel, cudaFuncAttributeMaxDynamicSharedMemorySize, bytes);
    if (e != cudaSuccess)
        return e;
    analysisKernel<<<launch.blocks, kThreads, bytes, stream>>>(launch, outputs);
    return cudaGetLastError();
}

}  // namespace cstudio::gpu
