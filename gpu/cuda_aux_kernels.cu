// The smaller kernels around the fused pass (whose no-scheme form gives a tensor's range and
// moments): the ":tensor:mse" clip-ratio search, nf4:dq decode scales, and a plain
// round trip that the tests compare bit for bit with the CPU quantizers.
#include "gpu/cuda_kernels.h"
#include "gpu/device_kquants.cuh"
#include "gpu/device_quantizers.cuh"

#include <algorithm>

namespace cstudio::gpu {

namespace {

constexpr int kThreads = 256;

__device__ __forceinline__ float loadElement(const void* raw, RawEncoding encoding, long long i)
{
    switch (encoding) {
    case RawEncoding::F32: return static_cast<const float*>(raw)[i];
    case RawEncoding::F16: return decodeHalfBits(static_cast<const unsigned short*>(raw)[i]);
    default: return decodeBf16Bits(static_cast<const unsigned short*>(raw)[i]);
    }
}

// One thread per (4096-tile, candidate): the tile's squared error, summed in element order.
__global__ void clipSearchKernel(const void* raw, RawEncoding encoding, long long n, DeviceScheme s, float* errors)
{
    const long long tiles = (n + kSearchTile - 1) / kSearchTile;
    const long long item = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x;
    if (item >= tiles * kClipRatioCount)
        return;
    const long long tile = item / kClipRatioCount;
    const int candidate = static_cast<int>(item % kClipRatioCount);
    s.mseClip = 1;
    s.clipRatio = clipRatioOf(candidate);
    const GroupParams p = tensorWideParams(s);
    const long long first = tile * kSearchTile;
    const long long end = min(n, first + kSearchTile);
    float sum = 0;
    for (long long i = first; i < end; ++i) {
        const float x = loadElement(raw, encoding, i);
        const float d = dequantize(s, p, x) - x;
        sum += d * d;
    }
    errors[item] = sum;
}

// nf4:dq, step 1: each 64-group's absmax (NaN marks a group with NaN/Inf).
__global__ void nf4AbsMaxKernel(const void* raw, RawEncoding encoding, long long n, float* absMax)
{
    const long long groups = (n + 63) / 64;
    const long long g = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x;
    if (g >= groups)
        return;
    unsigned key = 0;
    for (long long i = g * 64; i < min(n, g * 64 + 64); ++i)
        key = max(key, magnitudeKey(loadElement(raw, encoding, i)));
    absMax[g] = key < kInfinityKey ? __uint_as_float(key) : __int_as_float(0x7fc00000);
}

// step 2: per super-block of 256 groups, the mean and int8 offsets (nf4RoundTrip's dq branch).
__global__ void nf4DoubleQuantKernel(long long groups, float* scales)
{
    const long long super = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x;
    const long long first = super * 256;
    if (first >= groups)
        return;
    const long long last = min(groups, first + 256);
    double sum = 0;
    long long count = 0;
    for (long long g = first; g < last; ++g)
        if (scales[g] == scales[g]) {
            sum += scales[g];
            ++count;
        }
    const float mean = count > 0 ? static_cast<float>(sum / static_cast<double>(count)) : 0.0f;
    float spread = 0;
    for (long long g = first; g < last; ++g)
        if (scales[g] == scales[g])
            spread = maxStd(spread, fabsf(scales[g] - mean));
    const float scale = spread / 127.0f;
    for (long long g = first; g < last; ++g) {
        if (!(scales[g] == scales[g]) || scale == 0.0f)
            continue;
        const float code = clampStd(roundHalfEven((scales[g] - mean) / scale), -127.0f, 127.0f);
        scales[g] = code * scale + mean;
    }
}

// Round trip for tests: one thread per scale group (k-quants: per super-block).
__global__ void roundTripKernel(const void* raw, RawEncoding encoding, long long n, int rowLength, DeviceScheme s, float* out)
{
    const long long item = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x;
    if (s.tensorWide) {
        if (item >= n)
            return;
        out[item] = dequantize(s, tensorWideParams(s), loadElement(raw, encoding, item));
        return;
    }
    if (isKQuant(s.kind)) {
        const KQuantLayout L = kquantLayout(s.kind);
        const long long first = item * 256;
        if (first + 256 > n)
            return;
        auto x = [&](int i) { return loadElement(raw, encoding, first + i); };
        bool ok = true;
        for (int i = 0; i < 256; ++i)
            ok = ok && isFiniteValue(x(i));
        if (!ok) {
            for (int i = 0; i < 256; ++i)
                out[first + i] = x(i);
            return;
        }
        SubFit fits[16];
        float maxScale = 0, maxOffset = 0;
        for (int j = 0; j < 256 / L.subBlock; ++j) {
            fits[j] = kquantFitSubBlock([&](int i) { return x(j * L.subBlock + i); }, L.subBlock, L);
            maxScale = maxStd(maxScale, fabsf(fits[j].scale));
            maxOffset = maxStd(maxOffset, fits[j].offset);
        }
        float d, dmin;
        kquantSuperScales(L, maxScale, maxOffset, d, dmin);
        for (int j = 0; j < 256 / L.subBlock; ++j) {
            auto sub = [&](int i) { return x(j * L.subBlock + i); };
            const SubChoice c = kquantChoose(sub, L.subBlock, d, dmin, fits[j], L);
            for (int i = 0; i < L.subBlock; ++i)
                out[first + j * L.subBlock + i] = kquantValue(sub(i), d, dmin, c, L);
        }
        return;
    }
    const long long G = s.metricLength > 0 ? s.metricLength : rowLength;
    const long long first = item * G;
    if (first >= n)
        return;
    const int len = static_cast<int>(min(G, n - first));
    auto x = [&](int i) { return loadElement(raw, encoding, first + i); };
    const GroupParams p = groupParams(s, x, len, item);
    for (int i = 0; i < len; ++i)
        out[first + i] = dequantize(s, p, x(i));
}

int gridFor(long long items, int threads)
{
    return static_cast<int>(std::max(1LL, (items + threads - 1) / threads));
}

}  // namespace

cudaError_t uploadAuxTables(const DeviceTables& tables)
{
    return cudaMemcpyToSymbol(cTables, &tables, sizeof(tables));
}

cudaError_t launchClipSearch(const void* raw, RawEncoding encoding, long long elementCount, const DeviceScheme& scheme,
                             float* errors, cudaStream_t stream)
{
    const long long items = (elementCount + kSearchTile - 1) / kSearchTile * kClipRatioCount;
    clipSearchKernel<<<gridFor(items, 128), 128, 0, stream>>>(raw, encoding, elementCount, scheme, errors);
    return cudaGetLastError();
}

cudaError_t launchNf4DoubleQuant(const void* raw, RawEncoding encoding, long long elementCount, float* decodeScales,
                                 cudaStream_t stream)
{
    const long long groups = (elementCount + 63) / 64;
    nf4AbsMaxKernel<<<gridFor(groups, kThreads), kThreads, 0, stream>>>(raw, encoding, elementCount, decodeScales);
    nf4DoubleQuantKernel<<<gridFor((groups + 255) / 256, 64), 64, 0, stream>>>(groups, decodeScales);
    return cudaGetLastError();
}

cudaError_t launchRoundTrip(const void* raw, RawEncoding encoding, long long elementCount, int rowLength,
                            const DeviceScheme& scheme, float* out, cudaStream_t stream)
{
    long long items = elementCount;
    if (!scheme.tensorWide) {
        const bool kquant = scheme.kind == DeviceSchemeKind::Q2_K || scheme.kind == DeviceSchemeKind::Q3_K ||
                            scheme.kind == DeviceSchemeKind::Q4_K || scheme.kind == DeviceSchemeKind::Q5_K ||
                            scheme.kind == DeviceSchemeKind::Q6_K;
        const long long G = kquant ? 256 : (scheme.metricLength > 0 ? scheme.metricLength : rowLength);
        items = (elementCount + G - 1) / G;
    }
    roundTripKernel<<<gridFor(items, 128), 128, 0, stream>>>(raw, encoding, elementCount, rowLength, scheme, out);
    return cudaGetLastError();
}

}  // namespace cstudio::gpu
