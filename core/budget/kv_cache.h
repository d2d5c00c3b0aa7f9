#pragma once
// KV cache size per architecture, not one textbook formula. The textbook
// 2 x layers x kv_heads x head_dim x bytes x context x batch is right for standard and
// grouped-query attention only; it overstates MLA (DeepSeek caches one latent per layer),
// sliding-window models (local layers stop growing at the window) and hybrids (recurrent
// layers keep a fixed state), by up to 7x on real models.
#include "core/budget/model_catalog.h"
#include "core/result.h"

namespace cstudio::budget {

struct KvCacheEstimate {
    double bytes = 0;          // total at this context and batch
    double attentionBytes = 0; // the part that grows with context (capped for sliding layers)
    double stateBytes = 0;     // fixed recurrent state of hybrid models
    double textbookBytes = 0;  // 2 x layers x kv_heads x head_dim x bytes x context x batch, for comparison
    QString formula;           // the formula used, with this model's numbers, for tooltips
};

// contextTokens >= 0, batch >= 1, kvBits in [1, 32]. A model without a shape (custom, by
// parameter count) gives 0 bytes and says so in `formula`.
Result<KvCacheEstimate> kvCache(const ModelSpec& model, double contextTokens, double batch, double kvBits);

}  // namespace cstudio::budget
