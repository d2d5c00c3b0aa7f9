#pragma once
// The catalog of open models (resources/catalogs/models.json): total and active parameters and
// the attention shape the KV cache depends on. A custom model is a ModelSpec with only the
// parameter counts (layers == 0: no shape known, so no KV cache is counted).
#include "core/result.h"

#include <QString>
#include <vector>

namespace cstudio::budget {

enum class AttentionKind {
    Standard,       // multi-head or grouped-query attention on every layer
    LatentMla,      // DeepSeek multi-head latent attention: compressed latent + RoPE key
    SlidingWindow,  // local layers cache at most `slidingWindow` tokens, global layers all
    Hybrid,         // attention layers + recurrent layers with a fixed-size state
};

struct AttentionShape {
    AttentionKind kind = AttentionKind::Standard;
    // LatentMla
    int kvLoraRank = 0;
    int ropeHeadDim = 0;
    // SlidingWindow
    int slidingWindow = 0;
    int localLayers = 0;
    int globalLayers = 0;
    // Hybrid
    int attentionLayers = 0;
    int recurrentLayers = 0;
    double recurrentStateElementsPerLayer = 0;  // values kept per sequence per recurrent layer
    double recurrentStateBits = 16;
    QString description;  // the pattern or state derivation, for tooltips
};

struct ModelSpec {
    QString id;
    QString name;
    QString source;  // Hugging Face repository the figures come from
    QString note;
    bool moe = false;
    double totalParams = 0;
    double activeParams = 0;  // read per token; == totalParams for dense models
    int layers = 0;           // 0 for a custom model given by parameter count only
    int hiddenSize = 0;
    int attentionHeads = 0;
    int kvHeads = 0;
    int headDim = 0;
    qint64 maxContext = 0;  // 0 = unknown
    AttentionShape attention;

    bool hasShape() const { return layers > 0; }
};

inline QString builtinModelCatalogPath() { return QStringLiteral(":/catalogs/models.json"); }

Result<std::vector<ModelSpec>> loadModelCatalog(const QString& path);
const Result<std::vector<ModelSpec>>& builtinModels();
// By id or name, ignoring case ("llama-3.1-70b", "Llama 3.1 70B").
const ModelSpec* findModel(const std::vector<ModelSpec>& models, const QString& idOrName);

// A model known only by its parameter counts (activeParams = totalParams when 0).
ModelSpec customModel(const QString& name, double totalParams, double activeParams = 0);

QString attentionKindName(AttentionKind kind);

}  // namespace cstudio::budget
