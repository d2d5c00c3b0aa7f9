#include "core/budget/model_catalog.h"

#include "core/budget/catalog_entry.h"

#include <QSet>

namespace cstudio::budget {
namespace {

AttentionShape readAttention(CatalogEntry& entry, const ModelSpec& model)
{
    const QJsonObject object = entry.requiredObject("attention");
    AttentionShape shape;
    if (!entry.ok())
        return shape;
    CatalogEntry attention(QString(), 0, object);
    const QString type = object.value(QStringLiteral("type")).toString();
    if (type == QLatin1String("gqa")) {
        shape.kind = AttentionKind::Standard;
    } else if (type == QLatin1String("mla")) {
        shape.kind = AttentionKind::LatentMla;
        shape.kvLoraRank = attention.positiveInteger("kv_lora_rank");
        shape.ropeHeadDim = attention.positiveInteger("qk_rope_head_dim");
    } else if (type == QLatin1String("sliding")) {
        shape.kind = AttentionKind::SlidingWindow;
        shape.slidingWindow = attention.positiveInteger("sliding_window");
        shape.localLayers = attention.positiveInteger("local_layers");
        shape.globalLayers = attention.nonNegativeInteger("global_layers");
        shape.description = attention.optionalString("pattern");
        if (attention.ok() && shape.localLayers + shape.globalLayers != model.layers)
            attention.fail(QStringLiteral("local_layers + global_layers = %1, not the model's %2 layers")
                               .arg(shape.localLayers + shape.globalLayers)
                               .arg(model.layers));
    } else if (type == QLatin1String("hybrid")) {
        shape.kind = AttentionKind::Hybrid;
        shape.attentionLayers = attention.nonNegativeInteger("attention_layers");
        shape.recurrentLayers = attention.positiveInteger("recurrent_layers");
        shape.recurrentStateElementsPerLayer = attention.positiveNumber("recurrent_state_elements_per_layer");
        shape.recurrentStateBits = attention.positiveNumber("recurrent_state_bits");
        shape.description = attention.optionalString("recurrent_kind") + QStringLiteral(": ")
                            + attention.optionalString("state_derivation");
        if (attention.ok() && shape.attentionLayers + shape.recurrentLayers != model.layers)
            attention.fail(QStringLiteral("attention_layers + recurrent_layers = %1, not the model's %2 layers")
                               .arg(shape.attentionLayers + shape.recurrentLayers)
                               .arg(model.layers));
    } else {
        attention.fail(QStringLiteral("type '%1' is not one of gqa, mla, sliding, hybrid").arg(type));
    }
    if (!attention.ok())
        entry.fail(QStringLiteral("attention ") + attention.error().message.section(QStringLiteral(": "), 1));
    return shape;
}

}  // namespace

Result<std::vector<ModelSpec>> loadModelCatalog(const QString& path)
{
    Result<QJsonArray> array = readCatalogArray(path, QStringLiteral("models"));
    if (!array)
        return array.error();
    std::vector<ModelSpec> models;
    QSet<QString> ids;
    for (int index = 0; index < array->size(); ++index) {
        CatalogEntry entry(path, index, array->at(index).toObject());
        ModelSpec model;
        model.id = entry.requiredString("id");
        model.name = entry.requiredString("name");
        model.source = entry.requiredString("source");
        model.note = entry.optionalString("note");
        model.moe = entry.optionalBool("moe", false);
        model.totalParams = entry.positiveNumber("total_params");
        model.activeParams = entry.positiveNumber("active_params");
        model.layers = entry.positiveInteger("layers");
        model.hiddenSize = entry.positiveInteger("hidden_size");
        model.attentionHeads = entry.positiveInteger("attention_heads");
        model.kvHeads = entry.positiveInteger("kv_heads");
        model.headDim = entry.positiveInteger("head_dim");
        model.maxContext = entry.positiveInteger("max_context");
        if (entry.ok())
            model.attention = readAttention(entry, model);
        if (entry.ok() && model.activeParams > model.totalParams)
            entry.fail(QStringLiteral("active_params %1 exceeds total_params %2").arg(model.activeParams).arg(model.totalParams));
        if (entry.ok() && !model.moe && model.activeParams != model.totalParams)
            entry.fail(QStringLiteral("a dense model (moe: false) must have active_params == total_params"));
        if (entry.ok() && model.kvHeads > model.attentionHeads)
            entry.fail(QStringLiteral("kv_heads %1 exceeds attention_heads %2").arg(model.kvHeads).arg(model.attentionHeads));
        if (entry.ok() && ids.contains(model.id.toLower()))
            entry.fail(QStringLiteral("duplicate id"));
        if (!entry.ok())
            return entry.error();
        ids.insert(model.id.toLower());
        models.push_back(std::move(model));
    }
    return models;
}

const Result<std::vector<ModelSpec>>& builtinModels()
{
    static const Result<std::vector<ModelSpec>> catalog = loadModelCatalog(builtinModelCatalogPath());
    return catalog;
}

const ModelSpec* findModel(const std::vector<ModelSpec>& models, const QString& idOrName)
{
    for (const ModelSpec& model : models) {
        if (model.id.compare(idOrName, Qt::CaseInsensitive) == 0
            || model.name.compare(idOrName, Qt::CaseInsensitive) == 0)
            return &model;
    }
    return nullptr;
}

ModelSpec customModel(const QString& name, double totalParams, double activeParams)
{
    ModelSpec model;
    model.id = QStringLiteral("custom");
    model.name = name;
    model.totalParams = totalParams;
    model.activeParams = activeParams > 0 ? activeParams : totalParams;
    model.moe = model.activeParams < model.totalParams;
    return model;
}

QString attentionKindName(AttentionKind kind)
{
    switch (kind) {
    case AttentionKind::Standard: return QStringLiteral("grouped-query attention");
    case AttentionKind::LatentMla: return QStringLiteral("multi-head latent attention (MLA)");
    case AttentionKind::SlidingWindow: return QStringLiteral("sliding-window + global attention");
    case AttentionKind::Hybrid: return QStringLiteral("hybrid attention + recurrent state");
    }
    return {};
}

}  // namespace cstudio::budget
