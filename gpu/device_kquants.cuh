#pragma once
// Device twin of core/quant/gguf_kquant_encode.cpp: least-squares fit per sub-block, super-block
// fp16 scales, then the best neighbouring scale/min codes per sub-block. Split in the same
// three steps so the engine can fit sub-blocks in parallel and meet at the super-block.
#include "gpu/device_numerics.cuh"

namespace cstudio::gpu {

struct KQuantLayout {
    int subBlock;
    int codeLow, codeHigh;
    bool asymmetric;
    int scaleLow, scaleHigh;
};

__device__ __forceinline__ KQuantLayout kquantLayout(DeviceSchemeKind kind)
{
    switch (kind) {
    case DeviceSchemeKind::Q2_K: return {16, 0, 3, true, 0, 15};
    case DeviceSchemeKind::Q3_K: return {16, -4, 3, false, -32, 31};
    case DeviceSchemeKind::Q4_K: return {32, 0, 15, true, 0, 63};
    case DeviceSchemeKind::Q5_K: return {32, 0, 31, true, 0, 63};
    default: return {16, -32, 31, false, -128, 127};
    }
}

__device__ __forceinline__ bool isKQuant(DeviceSchemeKind kind)
{
    return kind == DeviceSchemeKind::Q2_K || kind == DeviceSchemeKind::Q3_K || kind == DeviceSchemeKind::Q4_K ||
           kind == DeviceSchemeKind::Q5_K || kind == DeviceSchemeKind::Q6_K;
}

__device__ __forceinline__ int roundCode(float v, int low, int high)
{
    if (!isFiniteValue(v))
        return 0;
    return static_cast<int>(clampStd(rintf(v), static_cast<float>(low), static_cast<float>(high)));
}

struct SubFit {
    float scale = 0;
    float offset = 0;
};

template <class X>
__device__ float kquantFitError(X x, int n, float scale, float offset, const KQuantLayout& L)
{
    float err = 0;
    for (int i = 0; i < n; ++i) {
        const int q = scale == 0.0f ? 0 : roundCode((x(i) + offset) / scale, L.codeLow, L.codeHigh);
        const float d = scale * static_cast<float>(q) - offset - x(i);
        err += d * d;
    }
    return err;
}

template <class X>
__device__ SubFit kquantFitSubBlock(X x, int n, const KQuantLayout& L)
{
    SubFit best;
    float minValue = x(0), maxValue = x(0), amax = 0, signedMax = 0;
    for (int i = 0; i < n; ++i) {
        minValue = minStd(minValue, x(i));
        maxValue = maxStd(maxValue, x(i));
        if (fabsf(x(i)) > amax) {
            amax = fabsf(x(i));
            signedMax = x(i);
        }
    }
    if (amax == 0.0f)
        return best;
    float bestError = __int_as_float(0x7f800000);
    auto consider = [&](float scale, float offset) {
        if (!(scale != 0.0f) || !isFiniteValue(scale))
            return;
        const float e = kquantFitError(x, n, scale, offset, L);
        if (e < bestError) {
            bestError = e;
            best.scale = scale;
            best.offset = offset;
        }
    };
    if (!L.asymmetric) {
        for (int step = 0; step <= 12; ++step) {
            const float f = 1.0f - 0.025f * static_cast<float>(step);
            consider(signedMax / static_cast<float>(L.codeLow) * f, 0.0f);
            consider(amax / static_cast<float>(L.codeHigh) * f, 0.0f);
        }
    } else {
        const float low = minStd(minValue, 0.0f);
        for (int step = 0; step <= 12; ++step) {
            const float f = 1.0f - 0.025f * static_cast<float>(step);
            consider((maxValue - low) / static_cast<float>(L.codeHigh) * f, -low);
        }
    }
    for (int iteration = 0; iteration < 4; ++iteration) {
        double sq = 0, sqq = 0, sx = 0, sxq = 0;
        for (int i = 0; i < n; ++i) {
            const double q = roundCode((x(i) + best.offset) / best.scale, L.codeLow, L.codeHigh);
            sq += q;
            sqq += q * q;
            sx += x(i);
            sxq += x(i) * q;
        }
        float scale = 0, offset = 0;
        if (L.asymmetric) {
            const double det = n * sqq - sq * sq;
            if (det <= 0)
                break;
            scale = static_cast<float>((n * sxq - sq * sx) / det);
            offset = static_cast<float>((sq * sxq - sqq * sx) / det);
            if (offset < 0) {
                offset = 0;
                scale = sqq > 0 ? static_cast<float>(sxq / sqq) : 0.0f;
            }
        } else {
            if (sqq <= 0)
                break;
            scale = static_cast<float>(sxq / sqq);
        }
        consider(scale, offset);
    }
    return best;
}

// Super-block scales from the sub-block fits (maxScale = max |scale|, maxOffset = max offset).
__device__ __forceinline__ void kquantSuperScales(const KQuantLayout& L, float maxScale, float maxOffset, float& d, float& dmin)
{
    const int symmetricTop = -L.scaleLow - 1 < L.scaleHigh ? -L.scaleLow - 1 : L.scaleHigh;
    const float scaleTop = static_cast<float>(L.asymmetric ? L.scaleHigh : symmetricTop);
    d = roundToMinifloat(maxScale / scaleTop, kFp16);
    dmin = L.asymmetric ? roundToMinifloat(maxOffset / static_cast<float>(L.scaleHigh), kFp16) : 0.0f;
}

struct SubChoice {
    int scale = 0;
    int offset = 0;
};

__device__ __forceinline__ float kquantValue(float x, float d, float dmin, SubChoice c, const KQuantLayout& L)
{
    const float dl = d * static_cast<float>(c.scale);
    const float ml = L.asymmetric ? dmin * static_cast<float>(c.offset) : 0.0f;
    const int q = dl == 0.0f ? 0 : roundCode((x + ml) / dl, L.codeLow, L.codeHigh);
    if (!L.asymmetric)
        return dl * static_cast<float>(q);
    return dl * static_cast<float>(q) - dmin * static_cast<float>(c.offset);
}

template <class X>
__device__ SubChoice kquantChoose(X x, int n, float d, float dmin, SubFit fit, const KQuantLayout& L)
{
    const int sc0 = d == 0.0f ? 0 : roundCode(fit.scale / d, L.scaleLow, L.scaleHigh);
    const int m0 = dmin == 0.0f ? 0 : roundCode(fit.offset / dmin, L.scaleLow, L.scaleHigh);
    SubChoice best;
    float bestError = __int_as_float(0x7f800000);
    for (int ds = -1; ds <= 1; ++ds)
        for (int dm = L.asymmetric ? -1 : 0; dm <= (L.asymmetric ? 1 : 0); ++dm) {
            SubChoice trial;
            trial.scale = clampInt(sc0 + ds, L.scaleLow, L.scaleHigh);
            trial.offset = clampInt(m0 + dm, L.scaleLow, L.scaleHigh);
            float err = 0;
            for (int i = 0; i < n; ++i) {
                const float e = kquantValue(x(i), d, dmin, trial, L) - x(i);
                err += e * e;
            }
            if (err < bestError) {
                bestError = err;
                best = trial;
            }
        }
    return best;
}

}  // namespace cstudio::gpu
