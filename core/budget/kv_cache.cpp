#include "core/budget/kv_cache.h"

#include "core/budget/budget_checks.h"

#include <algorithm>

namespace cstudio::budget {

Result<KvCacheEstimate> kvCache(const ModelSpec& model, double contextTokens, double batch, double kvBits)
{
    if (Result<void> check = checkContext(contextTokens); !check)
        return check.error();
    if (Result<void> check = checkBatch(batch); !check)
        return check.error();
    if (Result<void> check = checkKvBits(kvBits); !check)
        return check.error();

    KvCacheEstimate estimate;
    if (!model.hasShape()) {
        estimate.formula = QStringLiteral("no attention shape known for a model given by parameter count: KV cache not counted");
        return estimate;
    }
    const double bytesPerValue = kvBits / 8.0;
    // K and V for one token on one attention layer.
    const double kvPerTokenLayer = 2.0 * model.kvHeads * model.headDim * bytesPerValue;
    estimate.textbookBytes = kvPerTokenLayer * model.layers * contextTokens * batch;

    const AttentionShape& shape = model.attention;
    switch (shape.kind) {
    case AttentionKind::Standard:
        estimate.attentionBytes = estimate.textbookBytes;
        estimate.formula = QStringLiteral("2 x %1 layers x %2 KV heads x %3 head dim x %4 bytes x context x batch")
                               .arg(model.layers)
                               .arg(model.kvHeads)
                               .arg(model.headDim)
                               .arg(bytesPerValue);
        break;
    case AttentionKind::LatentMla:
        // DeepSeek-V2/V3: the cache holds the compressed latent c_KV (kv_lora_rank) and the
        // decoupled RoPE key k_R (qk_rope_head_dim) per token and layer; K and V are rebuilt
        // from c_KV, so there is no separate V and no factor 2.
        estimate.attentionBytes = model.layers * (shape.kvLoraRank + shape.ropeHeadDim) * bytesPerValue * contextTokens * batch;
        estimate.formula = QStringLiteral("%1 layers x (%2 latent + %3 RoPE) x %4 bytes x context x batch (MLA: no separate V)")
                               .arg(model.layers)
                               .arg(shape.kvLoraRank)
                               .arg(shape.ropeHeadDim)
                               .arg(bytesPerValue);
        break;
    case AttentionKind::SlidingWindow: {
        const double localTokens = std::min(contextTokens, static_cast<double>(shape.slidingWindow));
        estimate.attentionBytes = kvPerTokenLayer * batch
                                  * (shape.globalLayers * contextTokens + shape.localLayers * localTokens);
        estimate.formula = QStringLiteral("2 x %1 KV heads x %2 head dim x %3 bytes x batch x (%4 global layers x context + "
                                          "%5 local layers x min(context, %6))")
                               .arg(model.kvHeads)
                               .arg(model.headDim)
                               .arg(bytesPerValue)
                               .arg(shape.globalLayers)
                               .arg(shape.localLayers)
                               .arg(shape.slidingWindow);
        break;
    }
    case AttentionKind::Hybrid:
        estimate.attentionBytes = kvPerTokenLayer * shape.attentionLayers * contextTokens * batch;
        estimate.stateBytes = shape.recurrentLayers * shape.recurrentStateElementsPerLayer
                              * (shape.recurrentStateBits / 8.0) * batch;
        estimate.formula = QStringLiteral("2 x %1 attention layers x %2 KV heads x %3 head dim x %4 bytes x context x batch"
                                          " + %5 recurrent layers x %6 state values x %7 bytes x batch (fixed)")
                               .arg(shape.attentionLayers)
                               .arg(model.kvHeads)
                               .arg(model.headDim)
                               .arg(bytesPerValue)
                               .arg(shape.recurrentLayers)
                               .arg(shape.recurrentStateElementsPerLayer)
                               .arg(shape.recurrentStateBits / 8.0);
        break;
    }
    estimate.bytes = estimate.attentionBytes + estimate.stateBytes;
    return estimate;
}

}  // namespace cstudio::budget
