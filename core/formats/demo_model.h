#pragma once
// A built-in, deterministic, transformer-shaped model so the studio always has weights to show:
// 8 blocks of width 512 (LLaMA layout: q/k/v/o attention, gate/up/down MLP of width 1408, RMS
// norms), token embeddings and an lm_head over a 4096-token vocabulary; about 30 M parameters.
// Its statistics resemble real weights: a near-Gaussian bulk with σ = 0.02, about 0.4 % of
// values multiplied by 6 (the outlier recipe of seed 002), a few input channels with
// systematically larger magnitudes, wider embeddings (σ = 0.05) and norm weights near 1.
// Values are a pure function of (tensor, element), generated on demand, so readFloats() is
// cheap, needs no storage and is safe from any thread.
#include "core/formats/tensor_source.h"

#include <memory>

namespace cstudio {

// The path openWeights() accepts for the demo model.
inline const QString kDemoModelPath = QStringLiteral("demo:");

std::shared_ptr<TensorSource> makeDemoModel();

}  // namespace cstudio
