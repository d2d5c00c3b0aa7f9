#include "core/formats/tensor_naming.h"

#include <QRegularExpression>

namespace cstudio {
namespace {

bool containsAny(const QString& text, std::initializer_list<const char*> needles)
{
    for (const char* needle : needles)
        if (text.contains(QLatin1String(needle)))
            return true;
    return false;
}

// `part` is the name with its trailing ".weight"/".bias" removed, lower-cased, dot-delimited at
// both ends (".self_attn.q_proj.") so that short names match whole components only.
QString attentionRole(const QString& part)
{
    if (containsAny(part, {".q_proj.", ".query.", ".attn_q.", ".wq.", ".q.", ".to_q."}))
        return QStringLiteral("attn_q");
    if (containsAny(part, {".k_proj.", ".key.", ".attn_k.", ".wk.", ".k.", ".to_k."}))
        return QStringLiteral("attn_k");
    if (containsAny(part, {".v_proj.", ".value.", ".attn_v.", ".wv.", ".v.", ".to_v."}))
        return QStringLiteral("attn_v");
    if (containsAny(part, {".qkv_proj.", ".c_attn.", ".query_key_value.", ".attn_qkv.", ".wqkv.", ".qkv."}))
        return QStringLiteral("attn_qkv");
    if (containsAny(part, {".o_proj.", ".out_proj.", ".attn_output.", ".wo.", ".dense.", ".c_proj.", ".o.", ".to_out."}))
        return QStringLiteral("attn_o");
    return {};
}

QString mlpRole(const QString& part, bool expert)
{
    const QString prefix = expert ? QStringLiteral("expert_") : QStringLiteral("mlp_");
    if (containsAny(part, {".gate_proj.", ".ffn_gate.", ".ffn_gate_exps.", ".w1.", ".gate_up_proj."}))
        return prefix + QStringLiteral("gate");
    if (containsAny(part, {".up_proj.", ".ffn_up.", ".ffn_up_exps.", ".w3.", ".fc1.", ".c_fc.", ".dense_h_to_4h.",
                           ".intermediate.dense.", ".fc_in."}))
        return prefix + QStringLiteral("up");
    if (containsAny(part, {".down_proj.", ".ffn_down.", ".ffn_down_exps.", ".w2.", ".fc2.", ".c_proj.",
                           ".dense_4h_to_h.", ".output.dense.", ".fc_out."}))
        return prefix + QStringLiteral("down");
    return {};
}

}  // namespace

TensorPlace placeFromTensorName(const QString& name)
{
    TensorPlace place;
    static const QRegularExpression layerPattern(
        QStringLiteral(R"((?:^|\.)(?:layers|layer|h|blk|blocks|block|decoder\.layers)\.(\d+)(?:\.|$))"));
    static const QRegularExpression expertPattern(QStringLiteral(R"((?:^|\.)experts\.(\d+)(?:\.|$))"));
    if (const auto match = layerPattern.match(name); match.hasMatch())
        place.layer = match.captured(1).toInt();
    if (const auto match = expertPattern.match(name); match.hasMatch())
        place.expert = match.captured(1).toInt();

    QString part = QLatin1Char('.') + name.toLower() + QLatin1Char('.');
    for (const char* suffix : {".weight.", ".bias.", ".scales.", ".qweight.", ".g_idx.", ".scale."})
        if (part.endsWith(QLatin1String(suffix)))
            part = part.left(part.size() - int(qstrlen(suffix))) + QLatin1Char('.');

    const bool isExpert = place.expert >= 0 || part.contains(QLatin1String("_exps."));
    if (containsAny(part, {"_ids.", ".inv_freq.", ".masked_bias.", ".attn.bias."})) {
        // Buffers saved beside the weights (position ids, rotary frequencies, causal masks).
        place.role = QStringLiteral("other");
    } else if (containsAny(part, {"norm", ".ln_", ".ln.", "layernorm", "layer_norm", "rmsnorm"})) {
        place.role = QStringLiteral("norm");
    } else if (containsAny(part, {"lm_head", ".output."}) && place.layer < 0) {
        place.role = QStringLiteral("lm_head");
    } else if (containsAny(part, {"embed", ".wte.", ".wpe.", ".token_embd.", ".tok_embeddings."})) {
        place.role = QStringLiteral("embedding");
    } else if (containsAny(part, {".router.", ".ffn_gate_inp.", ".block_sparse_moe.gate.", ".mlp.gate."})) {
        place.role = QStringLiteral("router");
    } else if (containsAny(part, {"attn", "attention"}) || place.layer >= 0) {
        // BERT puts the MLP down projection at layer.N.output.dense, beside attention.output.dense.
        const bool inAttention = containsAny(part, {"attn", "attention"});
        QString role = inAttention ? attentionRole(part) : mlpRole(part, isExpert);
        if (role.isEmpty())
            role = inAttention ? mlpRole(part, isExpert) : attentionRole(part);
        if (!role.isEmpty())
            place.role = role;
    }
    return place;
}

void annotateFromName(TensorInfo& info)
{
    const TensorPlace place = placeFromTensorName(info.name);
    info.layer = place.layer;
    info.role = place.role;
}

}  // namespace cstudio
