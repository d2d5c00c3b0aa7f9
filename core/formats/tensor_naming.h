#pragma once
// Recovers a tensor's place in a transformer from its name: the block (layer) index and the
// role (attention q/k/v/o, MLP up/gate/down, experts, embeddings, norms, lm_head). Covers the
// Hugging Face names (model.layers.N., encoder.layer.N., transformer.h.N., gpt_neox.layers.N.),
// llama.cpp's GGUF names (blk.N.attn_q, ffn_up_exps) and Meta's original names (layers.N.wq).
#include "core/formats/tensor_source.h"

#include <QString>

namespace cstudio {

struct TensorPlace {
    int layer = -1;   // block index, -1 for tensors outside the blocks (embeddings, final norm)
    int expert = -1;  // mixture-of-experts index when the name carries one ("experts.3.")
    QString role = QStringLiteral("other");
};

TensorPlace placeFromTensorName(const QString& name);

// Fills info.layer and info.role from info.name.
void annotateFromName(TensorInfo& info);

}  // namespace cstudio
