// Layer index and role are recovered from the naming schemes of Hugging Face, llama.cpp (GGUF)
// and Meta checkpoints.
#include "core/formats/tensor_naming.h"

#include <QTest>

using namespace cstudio;

class TestTensorNaming : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void recognisesLayerAndRole_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("layer");
        QTest::addColumn<QString>("role");
        const auto row = [](const char* name, int layer, const char* role) {
            QTest::newRow(name) << QString::fromLatin1(name) << layer << QString::fromLatin1(role);
        };
        // Hugging Face LLaMA / Mistral / Qwen
        row("model.embed_tokens.weight", -1, "embedding");
        row("model.layers.0.self_attn.q_proj.weight", 0, "attn_q");
        row("model.layers.12.self_attn.k_proj.weight", 12, "attn_k");
        row("model.layers.3.self_attn.v_proj.bias", 3, "attn_v");
        row("model.layers.31.self_attn.o_proj.weight", 31, "attn_o");
        row("model.layers.7.mlp.gate_proj.weight", 7, "mlp_gate");
        row("model.layers.7.mlp.up_proj.weight", 7, "mlp_up");
        row("model.layers.7.mlp.down_proj.weight", 7, "mlp_down");
        row("model.layers.7.input_layernorm.weight", 7, "norm");
        row("model.layers.7.post_attention_layernorm.weight", 7, "norm");
        row("model.norm.weight", -1, "norm");
        row("lm_head.weight", -1, "lm_head");
        // Mixtral / Qwen MoE
        row("model.layers.5.block_sparse_moe.experts.3.w1.weight", 5, "expert_gate");
        row("model.layers.5.block_sparse_moe.experts.3.w2.weight", 5, "expert_down");
        row("model.layers.5.block_sparse_moe.experts.3.w3.weight", 5, "expert_up");
        row("model.layers.5.block_sparse_moe.gate.weight", 5, "router");
        row("model.layers.2.mlp.experts.17.down_proj.weight", 2, "expert_down");
        row("model.layers.2.mlp.gate.weight", 2, "router");
        // llama.cpp GGUF
        row("token_embd.weight", -1, "embedding");
        row("blk.4.attn_q.weight", 4, "attn_q");
        row("blk.4.attn_k.weight", 4, "attn_k");
        row("blk.4.attn_v.weight", 4, "attn_v");
        row("blk.4.attn_output.weight", 4, "attn_o");
        row("blk.4.attn_norm.weight", 4, "norm");
        row("blk.4.ffn_gate.weight", 4, "mlp_gate");
        row("blk.4.ffn_up.weight", 4, "mlp_up");
        row("blk.4.ffn_down.weight", 4, "mlp_down");
        row("blk.9.ffn_up_exps.weight", 9, "expert_up");
        row("blk.9.ffn_gate_inp.weight", 9, "router");
        row("output_norm.weight", -1, "norm");
        row("output.weight", -1, "lm_head");
        // BERT (all-MiniLM-L6-v2)
        row("embeddings.word_embeddings.weight", -1, "embedding");
        row("embeddings.LayerNorm.weight", -1, "norm");
        row("encoder.layer.2.attention.self.query.weight", 2, "attn_q");
        row("encoder.layer.2.attention.self.key.bias", 2, "attn_k");
        row("encoder.layer.2.attention.self.value.weight", 2, "attn_v");
        row("encoder.layer.2.attention.output.dense.weight", 2, "attn_o");
        row("encoder.layer.2.attention.output.LayerNorm.weight", 2, "norm");
        row("encoder.layer.2.intermediate.dense.weight", 2, "mlp_up");
        row("encoder.layer.2.output.dense.weight", 2, "mlp_down");
        row("pooler.dense.weight", -1, "other");
        row("embeddings.position_ids", -1, "other");
        // GPT-2
        row("transformer.wte.weight", -1, "embedding");
        row("transformer.h.11.attn.c_attn.weight", 11, "attn_qkv");
        row("transformer.h.11.attn.c_proj.weight", 11, "attn_o");
        row("transformer.h.11.mlp.c_fc.weight", 11, "mlp_up");
        row("transformer.h.11.mlp.c_proj.weight", 11, "mlp_down");
        row("transformer.h.11.ln_1.weight", 11, "norm");
        // Meta's original LLaMA checkpoints
        row("tok_embeddings.weight", -1, "embedding");
        row("layers.0.attention.wq.weight", 0, "attn_q");
        row("layers.0.attention.wo.weight", 0, "attn_o");
        row("layers.0.feed_forward.w1.weight", 0, "mlp_gate");
        row("layers.0.feed_forward.w2.weight", 0, "mlp_down");
        row("layers.0.feed_forward.w3.weight", 0, "mlp_up");
        // Nothing to recognise
        row("some_tensor", -1, "other");
    }
    void recognisesLayerAndRole()
    {
        QFETCH(QString, name);
        QFETCH(int, layer);
        QFETCH(QString, role);
        const TensorPlace place = placeFromTensorName(name);
        QCOMPARE(place.layer, layer);
        QCOMPARE(place.role, role);
    }

    void readsTheExpertIndex()
    {
        QCOMPARE(placeFromTensorName(QStringLiteral("model.layers.5.block_sparse_moe.experts.3.w1.weight")).expert, 3);
        QCOMPARE(placeFromTensorName(QStringLiteral("model.layers.5.mlp.up_proj.weight")).expert, -1);
    }

    void doesNotMistakeOtherNumbersForLayers()
    {
        QCOMPARE(placeFromTensorName(QStringLiteral("model.layers_norm.weight")).layer, -1);
        QCOMPARE(placeFromTensorName(QStringLiteral("h.weight")).layer, -1);
    }
};

QTEST_APPLESS_MAIN(TestTensorNaming)
#include "test_tensor_naming.moc"
