#pragma once
// What an analysis is asked to do and what it returns. Plain values: the CPU engine, a GPU
// engine, the CLI and the Quant Lab page all speak these types.
//
// Metrics (per group, tensor, layer and model; sums kept in double and merged exactly):
//   rmse          sqrt(sum (w' - w)^2 / n)
//   relativeRmse  rmse / sqrt(sum w^2 / n)      (error relative to the weights' RMS)
//   maxAbsError   max |w' - w|
//   sqnrDb        10 log10(sum w^2 / sum (w' - w)^2)   (+inf when lossless)
//   cosine        sum w w' / sqrt(sum w^2 sum w'^2)
// Groups whose weights include NaN/Inf have no meaningful scale: they are counted in
// nonFiniteGroups and left out of every sum. All-zero groups are exact (counted in
// zeroGroups); constant groups are counted in constantGroups. Nothing is ever divided by zero:
// undefined ratios come back as 0 (relativeRmse of a zero tensor) or +inf (sqnr when exact).
#include "core/analysis/weight_moments.h"
#include "core/quant/scheme.h"

#include <QString>
#include <bit>
#include <cstdint>
#include <vector>

namespace cstudio {

// Histogram of positive magnitudes on a log2 axis, 4 bins per octave from 2^-40 to 2^8; bin
// 0 also holds everything smaller (exact zeros included), the last bin everything larger.
// Scale-free, so histograms of different tensors merge by adding counts.
struct LogHistogram {
    static constexpr int kMinExponent = -40;
    static constexpr int kMaxExponent = 8;
    static constexpr int kBinsPerOctave = 4;
    static constexpr int kBinCount = (kMaxExponent - kMinExponent) * kBinsPerOctave;
    std::vector<qint64> counts = std::vector<qint64>(kBinCount, 0);

    // exponent field and the top two mantissa bits: 4 bins per octave without a log() (inline:
    // the engine calls it once per group)
    static int binOf(float magnitude)
    {
        const std::uint32_t bits = std::bit_cast<std::uint32_t>(magnitude) & 0x7fffffffu;
        const int index = static_cast<int>(bits >> 21) - (127 + kMinExponent) * kBinsPerOctave;
        return index < 0 ? 0 : index > kBinCount - 1 ? kBinCount - 1 : index;
    }
    static double binLowerEdge(int bin);  // 2^(kMinExponent + bin / kBinsPerOctave)
    void add(float magnitude) { ++counts[static_cast<std::size_t>(binOf(magnitude))]; }
    void merge(const LogHistogram& other);
    qint64 total() const;
    double quantile(double fraction) const;  // approximate, from bin edges
};

struct ErrorMetrics {
    qint64 elementCount = 0;       // finite elements included in the sums
    double sumSquaredError = 0;
    double sumSquaredWeight = 0;
    double sumSquaredDequantized = 0;
    double sumWeightTimesDequantized = 0;
    double maxAbsError = 0;
    qint64 groupCount = 0;
    qint64 zeroGroups = 0;
    qint64 constantGroups = 0;
    qint64 nonFiniteGroups = 0;

    void merge(const ErrorMetrics& other);
    double meanSquaredError() const;
    double rmse() const;
    double relativeRmse() const;
    double sqnrDb() const;
    double cosine() const;
};

// One scheme applied to one tensor (or summed over a layer or the model).
struct SchemeMetrics {
    QString scheme;          // canonical name
    bool applicable = true;  // false: `note` says why (e.g. row length not a multiple of 256)
    QString note;
    qint64 params = 0;       // elements quantized
    qint64 bytes = 0;        // storage with this scheme, scales included
    double bitsPerWeight = 0;
    ErrorMetrics error;
    LogHistogram errorHistogram;     // |w' - w| per element (when requested)
    LogHistogram groupRmseHistogram; // per-group RMSE distribution
    float clipRatio = 1.0f;          // ":tensor:mse": the ratio found
};

struct TensorAnalysis {
    int tensorIndex = -1;  // in TensorSource::tensors()
    QString name;
    int layer = -1;
    QString role;
    std::vector<qint64> shape;
    qint64 params = 0;
    WeightMoments weights;
    std::vector<SchemeMetrics> results;       // one per requested scheme, request order
    std::vector<std::vector<float>> groupRmse; // [scheme][group], only with keepGroupErrors
};

struct LayerAnalysis {
    int layer = -1;  // -1 collects tensors outside numbered blocks (embeddings, head)
    qint64 params = 0;
    std::vector<SchemeMetrics> results;  // one per scheme, summed over the layer's tensors
};

struct AnalysisRequest {
    std::vector<Scheme> schemes;
    std::vector<int> tensorIndices;       // empty: every decodable floating-point tensor of 2+ dims
    bool includeOneDimensional = false;   // norms and biases are usually kept in high precision
    bool errorHistograms = true;          // per-element |error| histograms (costs ~1 ns/element/scheme)
    bool keepGroupErrors = false;         // store every group's RMSE (memory: 4 bytes per group)
    bool outlierShare = false;            // WeightMoments::beyondSixSigma also for tensors larger than
                                          // one chunk (needs the mean and std first: a second read)
    int threads = 0;                      // 0 = all cores
    qint64 chunkElements = 1 << 18;       // streaming chunk (1 MB: stays in L2 while every scheme
                                          // runs over it), rounded up to every scheme's alignment
};

struct AnalysisResult {
    QString device;       // "CPU (2 threads)", "NVIDIA H100 (CUDA)"
    QString sourceName;
    std::vector<Scheme> schemes;
    std::vector<SchemeMetrics> model;   // per scheme, over every analysed tensor
    std::vector<LayerAnalysis> layers;  // ascending layer, -1 first
    std::vector<TensorAnalysis> tensors;
    std::vector<int> skippedTensors;    // indices not analysed (1-D, not decodable)
    qint64 skippedBytes = 0;            // their bytes in the source file
    double seconds = 0;                 // wall time of the analysis
};

}  // namespace cstudio
