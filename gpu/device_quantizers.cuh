#pragma once
// Device twins of the quantizers in core/quant/: for one scale group (read through an accessor
// `x(i)`), the group's parameters, then each element's dequantized value. Every branch and every
// float operation follows the CPU code it names, so the results are bit-identical.
#include "gpu/cuda_kernels.h"
#include "gpu/device_numerics.cuh"

namespace cstudio::gpu {

// One copy per translation unit (no relocatable device code): uploadTables() fills each.
static __constant__ DeviceTables cTables;

enum class GroupMode : int { Copy, Zero, Quantize };

struct GroupParams {
    GroupMode mode = GroupMode::Quantize;
    float scale = 0, zeroPoint = 0;     // integer; gguf legacy: d16 (scale) and m16 (zeroPoint)
    float inverse = 0;                  // nf4 1/absmax; gguf legacy: id; nvfp4: encode scale
    float decodeScale = 0;              // nf4; nvfp4 block scale
    float offset = 0;                   // gguf legacy q4_1/q5_1: min
    int exponent = 0;                   // mxfp4
};

// ---- integer (core/quant/integer_quantizer.cpp) ----
__device__ __forceinline__ float clipRatioOf(int c) { return 1.0f - 0.02f * static_cast<float>(c); }

__device__ __forceinline__ bool asymmetricParameters(float minValue, float maxValue, float ratio, float levelHigh,
                                                     float& scale, float& zeroPoint)
{
    const float low = minValue * ratio, high = maxValue * ratio;
    scale = (high - low) / levelHigh;
    if (scale == 0.0f)
        scale = fabsf(high) / levelHigh;
    if (scale == 0.0f)
        return false;  // the range is {0}
    zeroPoint = clampStd(-roundHalfEven(clampStd(low / scale, -4194304.0f, 4194304.0f)), 0.0f, levelHigh);
    return true;
}

__device__ __forceinline__ float symmetricValue(float x, float scale, float low, float high)
{
    float v = x / scale;
    v = v < low ? low : v;
    v = v > high ? high : v;
    return roundHalfEven(v) * scale;
}

__device__ __forceinline__ float asymmetricValue(float x, float scale, float zeroPoint, float high)
{
    constexpr float kLimit = 4194304.0f;
    float v = x / scale;
    v = v < -kLimit ? -kLimit : v;
    v = v > kLimit ? kLimit : v;
    float q = roundHalfEven(v) + zeroPoint;
    q = q < 0.0f ? 0.0f : q;
    q = q > high ? high : q;
    return (q - zeroPoint) * scale;
}

// Parameters of an integer scheme for a given extent and clip ratio.
__device__ __forceinline__ GroupParams integerParams(const DeviceScheme& s, bool symmetric, float absMax, float minValue,
                                                     float maxValue, float ratio)
{
    GroupParams p;
    if (symmetric) {
        if (absMax == 0.0f)
            p.mode = GroupMode::Zero;
        else
            p.scale = absMax * ratio / s.levelHigh;
    } else if (!asymmetricParameters(minValue, maxValue, ratio, s.levelHigh, p.scale, p.zeroPoint)) {
        p.mode = GroupMode::Zero;
    }
    return p;
}

// ---- nf4 (core/quant/nf4_quantizer.cpp) ----
__device__ __forceinline__ float nf4Value(float x, const GroupParams& p)
{
    const float v = x * p.inverse;
    int code = 0;
#pragma unroll
    for (int k = 0; k < 15; ++k)
        code += v > cTables.nf4Midpoints[k] ? 1 : 0;
    return cTables.nf4Levels[code] * p.decodeScale;
}

// ---- microscaling (core/quant/microscaling_quantizer.cpp) ----
__device__ __forceinline__ float nvfp4TensorScale(const DeviceScheme& s)
{
    if (!(s.absMax > 0.0f) || s.rangeNonFinite > 0)
        return 0.0f;
    return 448.0f * 6.0f / s.absMax;
}

// ---- GGUF legacy blocks (core/quant/gguf_quantize.cpp legacyBlock) ----
template <class X>
__device__ __forceinline__ GroupParams ggufLegacyParams(DeviceSchemeKind kind, X x)
{
    GroupParams p;
    float d = 0.0f, m = 0.0f;
    if (kind == DeviceSchemeKind::Q8_0) {
        float amax = 0.0f;
        for (int j = 0; j < 32; ++j)
            amax = maxStd(amax, fabsf(x(j)));
        d = amax / 127.0f;
    } else if (kind == DeviceSchemeKind::Q4_0 || kind == DeviceSchemeKind::Q5_0) {
        const float levels = kind == DeviceSchemeKind::Q4_0 ? 8.0f : 16.0f;
        float amax = 0.0f, max = 0.0f;
        for (int j = 0; j < 32; ++j)
            if (amax < fabsf(x(j))) {
                amax = fabsf(x(j));
                max = x(j);
            }
        d = max / -levels;
    } else {
        float lo = x(0), hi = x(0);
        for (int j = 1; j < 32; ++j) {
            lo = minStd(lo, x(j));
            hi = maxStd(hi, x(j));
        }
        const int top = kind == DeviceSchemeKind::Q4_1 ? 15 : 31;
        d = (hi - lo) / static_cast<float>(top);
        m = lo;
    }
    p.inverse = d == 0.0f ? 0.0f : 1.0f / d;
    p.scale = roundToMinifloat(d, kFp16);
    p.zeroPoint = roundToMinifloat(m, kFp16);
    p.offset = m;
    return p;
}

__device__ __forceinline__ float ggufLegacyValue(DeviceSchemeKind kind, float x, const GroupParams& p)
{
    switch (kind) {
    case DeviceSchemeKind::Q8_0: {
        int q = static_cast<int>(roundf(x * p.inverse));
        q = q < -128 ? -128 : q;
        return static_cast<float>(q) * p.scale;
    }
    case DeviceSchemeKind::Q4_0:
    case DeviceSchemeKind::Q5_0: {
        const bool four = kind == DeviceSchemeKind::Q4_0;
        const float levels = four ? 8.0f : 16.0f;
        const int top = four ? 15 : 31;
        int q = static_cast<int>(truncf(x * p.inverse + (levels + 0.5f)));
        q = top < q ? top : q;
        q = q < 0 ? 0 : q;
        return p.scale * static_cast<float>(q - (four ? 8 : 16));
    }
    default: {
        const int top = kind == DeviceSchemeKind::Q4_1 ? 15 : 31;
        int q = static_cast<int>(truncf((x - p.offset) * p.inverse + 0.5f));
        q = top < q ? top : q;
        q = q < 0 ? 0 : q;
        return p.scale * static_cast<float>(q) + p.zeroPoint;
    }
    }
}

// ---- the element function shared by every non-k-quant scheme ----
__device__ __forceinline__ float dequantize(const DeviceScheme& s, const GroupParams& p, float x)
{
    if (p.mode == GroupMode::Copy)
        return x;
    if (p.mode == GroupMode::Zero)
        return 0.0f;
    switch (s.kind) {
    case DeviceSchemeKind::SymmetricInt: return symmetricValue(x, p.scale, s.levelLow, s.levelHigh);
    case DeviceSchemeKind::AsymmetricInt: return asymmetricValue(x, p.scale, p.zeroPoint, s.levelHigh);
    case DeviceSchemeKind::Nf4: return nf4Value(x, p);
    case DeviceSchemeKind::Fp8E4M3: return roundToMinifloat(x / p.scale, kE4M3) * p.scale;
    case DeviceSchemeKind::Fp8E5M2: return roundToMinifloat(x / p.scale, kE5M2) * p.scale;
    case DeviceSchemeKind::Bf16: return roundToMinifloat(x, kBf16);
    case DeviceSchemeKind::Fp16: return roundToMinifloat(x, kFp16);
    case DeviceSchemeKind::MxFp4: return ldexpExact(roundToMinifloat(ldexpExact(x, -p.exponent), kE2M1), p.exponent);
    case DeviceSchemeKind::NvFp4: return roundToMinifloat(x * p.inverse, kE2M1) * p.decodeScale / p.scale;
    default: return ggufLegacyValue(s.kind, x, p);
    }
}

// Parameters of a tensor-wide scheme (":tensor", fp8, bf16, fp16): the same for every element.
__device__ __forceinline__ GroupParams tensorWideParams(const DeviceScheme& s)
{
    GroupParams p;
    switch (s.kind) {
    case DeviceSchemeKind::SymmetricInt:
    case DeviceSchemeKind::AsymmetricInt:
        if (s.rangeNonFinite > 0 || !s.rangeValid) {
            p.mode = GroupMode::Copy;
            return p;
        }
        return integerParams(s, s.kind == DeviceSchemeKind::SymmetricInt, s.absMax, s.minValue, s.maxValue,
                             s.mseClip ? s.clipRatio : 1.0f);
    case DeviceSchemeKind::Fp8E4M3:
    case DeviceSchemeKind::Fp8E5M2: {
        p.scale = s.absMax / (s.kind == DeviceSchemeKind::Fp8E4M3 ? 448.0f : 57344.0f);
        if (s.rangeNonFinite > 0 || !(p.scale > 0.0f))
            p.mode = p.scale == 0.0f ? GroupMode::Zero : GroupMode::Copy;
        return p;
    }
    default: return p;  // bf16, fp16: no parameters
    }
}

// Parameters of one scale group of a grouped scheme (not k-quants, not tensor-wide).
// `groupIndex` indexes nf4:dq decode scales within the chunk.
template <class X>
__device__ GroupParams groupParams(const DeviceScheme& s, X x, int n, long long groupIndex)
{
    GroupParams p;
    switch (s.kind) {
    case DeviceSchemeKind::SymmetricInt:
    case DeviceSchemeKind::AsymmetricInt: {
        const bool symmetric = s.kind == DeviceSchemeKind::SymmetricInt;
        float absMax = 0, minValue = 0, maxValue = 0;
        bool finite;
        if (symmetric) {
            unsigned key = 0;
            for (int i = 0; i < n; ++i)
                key = max(key, magnitudeKey(x(i)));
            finite = key < kInfinityKey;
            absMax = __uint_as_float(key);
        } else {
            int low = orderKey(x(0)), high = low;
            for (int i = 0; i < n; ++i) {
                const int k = orderKey(x(i));
                low = min(low, k);
                high = max(high, k);
            }
            finite = low > orderKey(-__int_as_float(0x7f800000)) && high < orderKey(__int_as_float(0x7f800000));
            minValue = fromOrderKey(low);
            maxValue = fromOrderKey(high);
        }
        if (!finite) {
            p.mode = GroupMode::Copy;
            return p;
        }
        float bestRatio = 1.0f;
        if (s.mseClip) {
            float bestError = __int_as_float(0x7f800000);
            for (int c = 0; c < kClipRatioCount; ++c) {
                const GroupParams trial = integerParams(s, symmetric, absMax, minValue, maxValue, clipRatioOf(c));
                float error = 0;
                for (int i = 0; i < n; ++i) {
                    const float d = dequantize(s, trial, x(i)) - x(i);
                    error += d * d;
                }
                if (error < bestError) {
                    bestError = error;
                    bestRatio = clipRatioOf(c);
                }
            }
        }
        return integerParams(s, symmetric, absMax, minValue, maxValue, bestRatio);
    }
    case DeviceSchemeKind::Nf4:
    case DeviceSchemeKind::MxFp4:
    case DeviceSchemeKind::NvFp4: {
        unsigned key = 0;
        for (int i = 0; i < n; ++i)
            key = max(key, magnitudeKey(x(i)));
        const float absMax = __uint_as_float(key);
        const float tensorScale = s.kind == DeviceSchemeKind::NvFp4 ? nvfp4TensorScale(s) : 1.0f;
        if (!(tensorScale == tensorScale) || tensorScale == __int_as_float(0x7f800000) || tensorScale == 0.0f) {
            p.mode = s.absMax == 0.0f ? GroupMode::Zero : GroupMode::Copy;  // zero or NaN/Inf tensor
            return p;
        }
        if (key >= kInfinityKey) {
            p.mode = GroupMode::Copy;
            return p;
        }
        if (s.kind == DeviceSchemeKind::Nf4) {
            p.inverse = 1.0f / absMax;
            p.decodeScale = s.doubleQuantized ? s.nf4DecodeScales[groupIndex] : absMax;
            if (absMax == 0.0f || p.decodeScale <= 0.0f)
                p.mode = GroupMode::Zero;
        } else if (s.kind == DeviceSchemeKind::MxFp4) {
            if (absMax == 0.0f)
                p.mode = GroupMode::Zero;
            else
                p.exponent = clampInt(floorLog2(absMax) - 2, -127, 127);
        } else {
            p.scale = tensorScale;
            p.decodeScale = roundToMinifloat(absMax / 6.0f * tensorScale, kE4M3);
            if (absMax == 0.0f || p.decodeScale == 0.0f) {
                p.mode = GroupMode::Zero;
                return p;
            }
            p.inverse = 1.0f / (p.decodeScale * (1.0f / tensorScale));
        }
        return p;
    }
    default: {  // GGUF legacy blocks of 32
        for (int i = 0; i < n; ++i)
            if (!isFiniteValue(x(i))) {
                p.mode = GroupMode::Copy;
                return p;
            }
        if (n < 32) {  // a stray tail (appliesTo() rejects such rows): passed through
            p.mode = GroupMode::Copy;
            return p;
        }
        return ggufLegacyParams(s.kind, x);
    }
    }
}

}  // namespace cstudio::gpu
