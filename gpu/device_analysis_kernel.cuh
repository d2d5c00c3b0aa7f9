#pragma once
// The fused analysis kernel. One block walks tiles of a chunk: a tile is read from device memory
// once (converted from F32/F16/BF16 on the fly) into shared memory, and every selected scheme
// quantizes it from there; nothing dequantized is written out. Metric groups follow the CPU
// engine exactly (chunk_metrics.cpp): 16 float lanes per group, summed in lane order, then
// added in double; block sums are combined in a fixed order (deterministic). Compiled twice:
// cuda_kernels.cu (every scheme) and cuda_integer_kernel.cu (launches of int/uint schemes only,
// with the fast integer passes), each with its own tile layout.
#include "gpu/cuda_kernels.h"
#include "gpu/device_fast_integer.cuh"
#include "gpu/device_kquants.cuh"
#include "gpu/device_quantizers.cuh"
#include "gpu/device_tile.cuh"

namespace cstudio::gpu {
namespace {

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

__device__ __forceinline__ void fastGroupedPass(const DeviceScheme& s, int length, const TileContext& c, const GroupSummary* summaries, ThreadSums& t)
{
    const bool symmetric = s.kind == DeviceSchemeKind::SymmetricInt;
    switch (length) {
    case 32: symmetric ? fastGroupedPass<32, true>(s, c, summaries, t) : fastGroupedPass<32, false>(s, c, summaries, t); break;
    case 64: symmetric ? fastGroupedPass<64, true>(s, c, summaries, t) : fastGroupedPass<64, false>(s, c, summaries, t); break;
    default: symmetric ? fastGroupedPass<128, true>(s, c, summaries, t) : fastGroupedPass<128, false>(s, c, summaries, t);
    }
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

// The weights' moments (WeightMoments::add() on the CPU, which keeps double lanes): blocks of
// 256, 16 float lanes, each lane's sum added in double. The two agree to 1e-6.
__device__ __forceinline__ void momentsOfTile(const float* tile, int len, MomentSums& m)
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
        // each lane's float sum goes into this thread's double; the order of double additions
        // is free (the moments need 1e-6)
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
    int tileFloats, histogramWords, partialOffset, momentOffset, fitOffset, finiteOffset, summaryOffset, blockSquaresOffset,
        stagingOffset, total;
};

// 16-bit weights arrive in the vector layout's kernel through a staging buffer (cp.async).
__host__ __device__ constexpr bool stagesTiles(RawEncoding encoding) { return TileLayout::kVector && encoding != RawEncoding::F32; }

// summaryGroups: the fast grouped pass's groups per tile (0: no such pass).
__host__ __device__ SharedLayout sharedLayout(int tileElements, int schemeCount, RawEncoding encoding, int summaryGroups)
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
    l.fitOffset = bytes;  // k-quant sub-block fits: the general kernel only
    bytes += TileLayout::kVector ? 0 : (tileElements / 16) * static_cast<int>(sizeof(float2));
    l.finiteOffset = bytes;
    bytes += TileLayout::kVector ? 0 : tileElements / 16;
    bytes = (bytes + 15) / 16 * 16;
    l.summaryOffset = bytes;
    bytes += summaryGroups * static_cast<int>(sizeof(GroupSummary));
    l.blockSquaresOffset = bytes;
    bytes += (tileElements / kTensorWideBlock) * 4;
    bytes = (bytes + 15) / 16 * 16;
    l.stagingOffset = bytes;
    bytes += stagesTiles(encoding) ? tileElements * 2 : 0;
    l.total = (bytes + 15) / 16 * 16;
    return l;
}

// IntegerOnly: every scheme of the launch is an int/uint one; the kernel then holds only their
// passes and gets the registers those need (the general kernel's k-quant and minifloat paths
// would otherwise set its register budget and spill the fast loops). At 4 blocks per SM (128
// registers) the integer passes spill; at 3 they do not.
template <bool IntegerOnly>
__global__ void __launch_bounds__(kThreads, IntegerOnly ? 3 : 4) analysisKernel(const __grid_constant__ AnalysisLaunch L, DeviceOutputs out)
{
    extern __shared__ __align__(16) unsigned char shared[];
    constexpr bool kFastPasses = IntegerOnly && TileLayout::kVector;
    // The integer schemes that take the fast passes: grouped ones of one length, tensor-wide ones.
    const int fastLength = kFastPasses ? fastGroupLength(L) : 0;
    bool fastTensorWide = false;
    if constexpr (kFastPasses)
        for (int s = 0; s < L.schemeCount; ++s)
            fastTensorWide = fastTensorWide || takesFastTensorWidePass(L.schemes[s]);
    const SharedLayout layout = sharedLayout(L.tileElements, L.schemeCount, L.encoding, fastLength ? L.tileElements / fastLength : 0);
    float* tile = reinterpret_cast<float*>(shared);
    unsigned* errorBins = reinterpret_cast<unsigned*>(tile + layout.tileFloats);
    unsigned* groupBins = errorBins + L.schemeCount * kHistogramBins;
    auto* partials = reinterpret_cast<SchemePartial*>(shared + layout.partialOffset);
    auto* moments = reinterpret_cast<MomentPartial*>(shared + layout.momentOffset);
    auto* fits = reinterpret_cast<float2*>(shared + layout.fitOffset);
    auto* finite = shared + layout.finiteOffset;
    auto* summaries = reinterpret_cast<GroupSummary*>(shared + layout.summaryOffset);
    auto* blockSquares = reinterpret_cast<float*>(shared + layout.blockSquaresOffset);
    auto* staging = reinterpret_cast<unsigned short*>(shared + layout.stagingOffset);
    const int warp = threadIdx.x >> 5;
    const bool staged = stagesTiles(L.encoding);


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
    auto lengthOf = [&](long long tileIndex) {
        return static_cast<int>(min(static_cast<long long>(L.tileElements), L.elementCount - tileIndex * L.tileElements));
    };
    if (staged && blockIdx.x < tiles)
        stageTile(staging, L.raw, blockIdx.x * L.tileElements, lengthOf(blockIdx.x));
    for (long long tileIndex = blockIdx.x; tileIndex < tiles; tileIndex += gridDim.x) {
        const long long start = tileIndex * L.tileElements;
        const int len = lengthOf(tileIndex);
        __syncthreads();
        if (staged) {
            // this tile's bytes were requested one tile ago; request the next one's as soon as
            // the staging buffer is free, so its loads overlap this tile's measurements
            waitForStagedTile();
            __syncthreads();
            unstageTile(tile, staging, L.raw, L.encoding, start, len);
            __syncthreads();
            const long long next = tileIndex + gridDim.x;
            if (next < tiles)
                stageTile(staging, L.raw, next * L.tileElements, lengthOf(next));
        } else {
            loadTile(tile, L.raw, L.encoding, start, len);
            __syncthreads();
        }
        // Weights-only work, once for all schemes. Each summary is written and later read by the
        // same thread (the passes walk groups and blocks in the same order): no barrier needed.
        MomentSums m;
        MomentSums* tileMoments = L.computeMoments ? &m : nullptr;
        if constexpr (kFastPasses) {
            switch (fastLength) {
            case 32: describeGroups<32>(tile, len, summaries, tileMoments); break;
            case 64: describeGroups<64>(tile, len, summaries, tileMoments); break;
            case 128: describeGroups<128>(tile, len, summaries, tileMoments); break;
            default:
                if (tileMoments)
                    momentsOfTile(tile, len, m);
            }
            if (fastTensorWide)
                describeBlocks(tile, len, blockSquares);
        } else if (tileMoments) {
            momentsOfTile(tile, len, m);
        }
        if (L.computeMoments)
            depositMoments(m, &moments[warp]);
        if (L.countBeyond)
            for (int i = threadIdx.x; i < len; i += blockDim.x)
                beyond += fabsf(tile[pad(i)] - L.beyondMean) > L.beyondThreshold ? 1 : 0;
        for (int s = 0; s < L.schemeCount; ++s) {
            const DeviceScheme& scheme = L.schemes[s];
            TileContext c{tile, len, start, L.errorHistograms ? errorBins + s * kHistogramBins : nullptr,
                          groupBins + s * kHistogramBins};
            ThreadSums t;
            if constexpr (kFastPasses) {
                if (fastTensorWide && takesFastTensorWidePass(scheme) && fastTensorWidePass(scheme, c, blockSquares, t)) {
                    depositSums(t, &partials[s * kWarps + warp]);
                    continue;
                }
                if (takesFastGroupedPass(scheme, fastLength)) {
                    fastGroupedPass(scheme, fastLength, c, summaries, t);
                    depositSums(t, &partials[s * kWarps + warp]);
                    continue;
                }
            }
            if (scheme.tensorWide) {
                tensorWidePass(scheme, c, t);
            } else if constexpr (IntegerOnly) {
                if (scheme.kind == DeviceSchemeKind::SymmetricInt)
                    groupPassAs<static_cast<int>(DeviceSchemeKind::SymmetricInt)>(scheme, c, t);
                else
                    groupPassAs<static_cast<int>(DeviceSchemeKind::AsymmetricInt)>(scheme, c, t);
            } else if (isKQuant(scheme.kind)) {
                kquantPass(scheme, c, t, fits, finite);
            } else {
                groupPass(scheme, c, t);
            }
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
}  // namespace cstudio::gpu
