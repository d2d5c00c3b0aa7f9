#pragma once
// The Qt-free face of the CUDA kernels: plain structs and functions that the engine's host code
// (cuda_analysis_engine.cpp) and the stand-alone checks call. Everything here mirrors the CPU
// quantizers in core/quant/ and the chunk metrics in core/analysis/chunk_metrics.cpp operation
// for operation (same float32 operations in the same order, no fused multiply-add), so the
// dequantized values are bit-identical and the per-group float sums are the CPU's.
#include <cstdint>

#include <cuda_runtime_api.h>

namespace cstudio::gpu {

// Mirrors cstudio::SchemeKind (the host maps one to the other).
enum class DeviceSchemeKind : int {
    SymmetricInt, AsymmetricInt, Nf4, Fp8E4M3, Fp8E5M2, MxFp4, NvFp4, Bf16, Fp16,
    Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K,
};

enum class RawEncoding : int { F32 = 0, F16 = 1, BF16 = 2 };

inline constexpr int kMaxSchemesPerPass = 16;
inline constexpr int kHistogramBins = 192;  // LogHistogram::kBinCount
inline constexpr int kTensorWideBlock = 256;
inline constexpr int kClipRatioCount = 26;
inline constexpr int kSearchTile = 4096;    // integerClipSearchErrors' tile

// One scheme as the kernels see it, with its tensor-wide parameters filled in.
struct DeviceScheme {
    DeviceSchemeKind kind = DeviceSchemeKind::SymmetricInt;
    int metricLength = 0;     // elements per metric group (scale group; 256 for tensor-wide)
    int tensorWide = 0;       // one scale for the whole tensor (":tensor", fp8, bf16, fp16)
    int mseClip = 0;          // ":mse" (per group; tensor-wide uses clipRatio)
    int doubleQuantized = 0;  // nf4:dq: decode scales come from `nf4DecodeScales`
    float levelLow = 0, levelHigh = 0;  // integer code range
    // tensor range (TensorRange) and what the schemes derive from it
    float absMax = 0, minValue = 0, maxValue = 0;
    long long rangeNonFinite = 0;
    int rangeValid = 0;
    float clipRatio = 1.0f;
    int keepGroupRmse = 0;
    float* groupRmse = nullptr;          // device, per metric group of the chunk (or null)
    const float* nf4DecodeScales = nullptr;  // device, per 64-group of the chunk (nf4:dq)
};

// Sums of one scheme over a chunk (what SchemeAccumulator holds, histograms aside).
struct SchemePartial {
    double sumSquaredError = 0, sumSquaredWeight = 0, sumSquaredDequantized = 0, sumWeightTimesDequantized = 0;
    long long elementCount = 0, groupCount = 0, zeroGroups = 0, constantGroups = 0, nonFiniteGroups = 0;
    unsigned int maxErrorKey = 0;  // float bits of max |w' - w|
    int sawNonFinite = 0;
};

// Moments of the weights over a chunk (WeightMoments), in 256-element blocks like the CPU.
struct MomentPartial {
    double sum = 0, sumSquares = 0, sumCubes = 0, sumFourth = 0;
    long long count = 0, nonFiniteCount = 0;
    int minKey = 0, maxKey = 0;  // order keys of the finite extremes (valid when count > 0)
};

// Per-pass output buffers on the device, sized by the caller (see cuda_kernels.cu).
struct DeviceOutputs {
    SchemePartial* schemes = nullptr;                // [blocks][schemeCount]
    MomentPartial* moments = nullptr;                // [blocks] (when computeMoments)
    unsigned long long* errorHistograms = nullptr;   // [schemeCount][kHistogramBins]
    unsigned long long* groupHistograms = nullptr;   // [schemeCount][kHistogramBins]
    unsigned long long* beyondCount = nullptr;       // [1] (when countBeyond)
};

struct AnalysisLaunch {
    const void* raw = nullptr;   // device: the chunk's stored elements
    RawEncoding encoding = RawEncoding::F32;
    long long elementCount = 0;  // of this chunk
    long long tensorRemaining = 0;  // elements from the chunk's start to the tensor's end (>= count)
    int rowLength = 1;
    int tileElements = 0;        // multiple of every metric length and of 256
    int schemeCount = 0;
    DeviceScheme schemes[kMaxSchemesPerPass];
    int errorHistograms = 1;
    int computeMoments = 0;
    int countBeyond = 0;
    float beyondMean = 0, beyondThreshold = 0;
    int blocks = 0;              // grid size; the caller sizes outputs.schemes by it
};

// Constant tables the host computes from core (NF4 levels and midpoints).
struct DeviceTables {
    float nf4Levels[16];
    float nf4Midpoints[15];
};

// All return cudaSuccess or the first CUDA error; kernels run on `stream`.
cudaError_t uploadTables(const DeviceTables& tables);
int analysisBlocks(long long elementCount, int tileElements);
// Shared memory a tile needs; 0 when tileElements is too large for the device.
int analysisSharedBytes(int tileElements, int schemeCount);
cudaError_t launchAnalysis(const AnalysisLaunch& launch, const DeviceOutputs& outputs, cudaStream_t stream);
// Range and moments alone: launchAnalysis() with schemeCount = 0 and computeMoments = 1.
// ":tensor:mse": squared error per (4096-tile, candidate) as float32, tiles counted from the
// chunk's start; errors has ceil(count / 4096) * kClipRatioCount floats.
cudaError_t launchClipSearch(const void* raw, RawEncoding encoding, long long elementCount, const DeviceScheme& scheme,
                             float* errors, cudaStream_t stream);
// nf4:dq decode scales of every 64-group of a chunk that starts at a 16384 boundary.
cudaError_t launchNf4DoubleQuant(const void* raw, RawEncoding encoding, long long elementCount, float* decodeScales,
                                 cudaStream_t stream);
// For tests: the dequantized values of one scheme over a chunk (the same device functions).
cudaError_t launchRoundTrip(const void* raw, RawEncoding encoding, long long elementCount, int rowLength,
                            const DeviceScheme& scheme, float* out, cudaStream_t stream);

}  // namespace cstudio::gpu
