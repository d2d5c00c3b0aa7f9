// KV cache per architecture against hand-computed values from each model's config.json.
#include "core/budget/kv_cache.h"
#include "core/budget/model_catalog.h"

#include <QtTest>

using namespace cstudio;
using namespace cstudio::budget;

class TestKvCache : public QObject {
    Q_OBJECT
private:
    ModelSpec model(const char* id)
    {
        const auto& models = builtinModels();
        if (!models)
            qFatal("model catalog: %s", qPrintable(models.error().toString()));
        const ModelSpec* found = findModel(*models, QLatin1String(id));
        if (!found)
            qFatal("no model %s in the catalog", id);
        return *found;
    }

private Q_SLOTS:
    void llama3_70bAt8192TokensFp16Is2_68GB();
    void kvScalesWithBatchAndPrecision();
    void mlaCachesOneLatentPlusRopeKeyPerLayer();
    void slidingLayersStopGrowingAtTheWindow();
    void gptOssAlternatesWindowOf128AndFullLayers();
    void hybridRecurrentLayersKeepAFixedState();
    void hybridStateIsCountedEvenWithNoContext();
    void customModelWithoutShapeHasNoKv();
    void invalidKvInputIsAnError();
};

void TestKvCache::llama3_70bAt8192TokensFp16Is2_68GB()
{
    // 2 x 80 layers x 8 KV heads x 128 head dim x 2 bytes x 8192 tokens x 1 = 2 684 354 560 B.
    Result<KvCacheEstimate> kv = kvCache(model("llama-3.1-70b"), 8192, 1, 16);
    QVERIFY(kv);
    QCOMPARE(kv->bytes, 2.0 * 80 * 8 * 128 * 2 * 8192);
    QCOMPARE(QString::number(kv->bytes / 1e9, 'f', 2), QStringLiteral("2.68"));
    QCOMPARE(kv->bytes, kv->textbookBytes);  // GQA is the one case the textbook formula covers
}

void TestKvCache::kvScalesWithBatchAndPrecision()
{
    const ModelSpec llama = model("llama-3.1-8b");
    const double one = kvCache(llama, 4096, 1, 16)->bytes;
    QCOMPARE(kvCache(llama, 4096, 8, 16)->bytes, 8 * one);
    QCOMPARE(kvCache(llama, 4096, 1, 8)->bytes, one / 2);
    QCOMPARE(kvCache(llama, 4096, 1, 4)->bytes, one / 4);
    QCOMPARE(kvCache(llama, 0, 1, 16)->bytes, 0.0);
}

void TestKvCache::mlaCachesOneLatentPlusRopeKeyPerLayer()
{
    // DeepSeek-V3: 61 layers x (kv_lora_rank 512 + qk_rope_head_dim 64) x 2 bytes x 8192.
    Result<KvCacheEstimate> kv = kvCache(model("deepseek-v3"), 8192, 1, 16);
    QVERIFY(kv);
    QCOMPARE(kv->bytes, 61.0 * 576 * 2 * 8192);  // 575 668 224 B = 0.58 GB
    // The textbook formula with 128 KV heads x 128 dims would claim 56.9x as much.
    QCOMPARE(kv->textbookBytes, 2.0 * 61 * 128 * 128 * 2 * 8192);
    QVERIFY(kv->textbookBytes / kv->bytes > 50);
}

void TestKvCache::slidingLayersStopGrowingAtTheWindow()
{
    // Gemma 3 27B at 32768 tokens: 10 global layers cache all tokens, 52 local layers 1024;
    // per token and layer 2 x 16 KV heads x 128 x 2 bytes = 8192 B.
    const ModelSpec gemma = model("gemma-3-27b");
    Result<KvCacheEstimate> kv = kvCache(gemma, 32768, 1, 16);
    QVERIFY(kv);
    QCOMPARE(kv->bytes, 10.0 * 32768 * 8192 + 52.0 * 1024 * 8192);  // 3 120 562 176 B
    QCOMPARE(kv->textbookBytes, 62.0 * 32768 * 8192);                // 16.6 GB: 5.3x too much
    // Below the window every layer caches every token.
    QCOMPARE(kvCache(gemma, 512, 1, 16)->bytes, 62.0 * 512 * 8192);
    // Past the window only the global layers grow.
    const double grow = kvCache(gemma, 20000, 1, 16)->bytes - kvCache(gemma, 10000, 1, 16)->bytes;
    QCOMPARE(grow, 10.0 * 10000 * 8192);
}

void TestKvCache::gptOssAlternatesWindowOf128AndFullLayers()
{
    // GPT-OSS 120B at 131072 tokens: 18 full layers + 18 layers of window 128;
    // per token and layer 2 x 8 x 64 x 2 bytes = 2048 B.
    Result<KvCacheEstimate> kv = kvCache(model("gpt-oss-120b"), 131072, 1, 16);
    QVERIFY(kv);
    QCOMPARE(kv->bytes, 18.0 * 131072 * 2048 + 18.0 * 128 * 2048);  // 4 836 556 800 B
}

void TestKvCache::hybridRecurrentLayersKeepAFixedState()
{
    // Jamba 1.5 Mini at 262144 tokens: 4 attention layers x 2 x 8 x 128 x 2 bytes per token,
    // plus 28 Mamba layers x (8192 x 16 SSM + 8192 x 4 conv) values x 2 bytes.
    Result<KvCacheEstimate> kv = kvCache(model("jamba-1.5-mini"), 262144, 1, 16);
    QVERIFY(kv);
    const double attention = 4.0 * 262144 * 4096;
    const double state = 28.0 * (8192 * 16 + 8192 * 4) * 2;
    QCOMPARE(kv->attentionBytes, attention);
    QCOMPARE(kv->stateBytes, state);
    QCOMPARE(kv->bytes, attention + state);  // 4.30 GB
    // The textbook formula (all 32 layers attending) says 34.4 GB: about 8x too much.
    QVERIFY(kv->textbookBytes / kv->bytes > 7.9);
    // The state does not depend on the KV precision: it is kept at the model's 16 bits.
    QCOMPARE(kvCache(model("jamba-1.5-mini"), 262144, 1, 8)->stateBytes, state);
}

void TestKvCache::hybridStateIsCountedEvenWithNoContext()
{
    // Qwen3-Next 80B-A3B: 36 Gated DeltaNet layers x (32 x 128 x 128 + 8192 x 4) values x 2 bytes
    // per sequence, whatever the context.
    const ModelSpec next = model("qwen3-next-80b-a3b");
    const double state = 36.0 * (32 * 128 * 128 + 8192 * 4) * 2;
    QCOMPARE(kvCache(next, 0, 1, 16)->bytes, state);
    QCOMPARE(kvCache(next, 0, 4, 16)->bytes, 4 * state);
    QCOMPARE(kvCache(next, 1000, 1, 16)->bytes, state + 12.0 * 1000 * 2 * 2 * 256 * 2);
}

void TestKvCache::customModelWithoutShapeHasNoKv()
{
    Result<KvCacheEstimate> kv = kvCache(customModel(QStringLiteral("mine"), 7e9), 8192, 1, 16);
    QVERIFY(kv);
    QCOMPARE(kv->bytes, 0.0);
    QVERIFY(kv->formula.contains(QStringLiteral("not counted")));
}

void TestKvCache::invalidKvInputIsAnError()
{
    const ModelSpec llama = model("llama-3.1-8b");
    QVERIFY(!kvCache(llama, -1, 1, 16));
    QVERIFY(!kvCache(llama, std::nan(""), 1, 16));
    QVERIFY(!kvCache(llama, 1024, 0, 16));
    QVERIFY(!kvCache(llama, 1024, 1, 0));
    QVERIFY(!kvCache(llama, 1024, 1, 1000));
}

QTEST_GUILESS_MAIN(TestKvCache)
#include "test_kv_cache.moc"
