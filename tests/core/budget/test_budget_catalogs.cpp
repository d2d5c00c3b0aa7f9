// The three catalogs compiled into the program parse, hold sensible values, and a malformed
// catalog is reported with its file, entry and field.
#include "core/budget/device_catalog.h"
#include "core/budget/format_catalog.h"
#include "core/budget/model_catalog.h"

#include <QTemporaryDir>
#include <QtTest>
#include <set>

using namespace cstudio;
using namespace cstudio::budget;

class TestBudgetCatalogs : public QObject {
    Q_OBJECT
private:
    QTemporaryDir dir_;
    QString write(const char* name, const QByteArray& text)
    {
        const QString path = dir_.filePath(QLatin1String(name));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

private Q_SLOTS:
    void everyFormatStoresAtLeastItsElementBits();
    void formatBitsIncludeScaleOverhead_data();
    void formatBitsIncludeScaleOverhead();
    void formatsCarryTheAnalysisSchemeStrings();
    void allModelsParseWithTheirArchitectureFields();
    void moeModelsReadFewerParametersThanTheyStore();
    void devicesHaveMemoryBandwidthAndSourcedPrices();
    void malformedCatalogsNameTheFileEntryAndField();
};

void TestBudgetCatalogs::everyFormatStoresAtLeastItsElementBits()
{
    const auto& formats = builtinFormats();
    QVERIFY2(formats, qPrintable(formats ? QString() : formats.error().toString()));
    QVERIFY(formats->size() >= 20);
    for (const QuantFormat& format : *formats) {
        QVERIFY2(format.bitsPerWeight >= format.elementBits, qPrintable(format.id));
        QVERIFY2(!format.bitsDerivation.isEmpty() && !format.whereYouMeetIt.isEmpty(), qPrintable(format.id));
    }
}

void TestBudgetCatalogs::formatBitsIncludeScaleOverhead_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<double>("bits");
    // Each from the format's block layout (see bits_derivation in formats.json).
    QTest::newRow("Q8_0: 34 B / 32") << "q8_0" << 8.5;
    QTest::newRow("Q6_K: 210 B / 256") << "q6_k" << 6.5625;
    QTest::newRow("Q5_K: 176 B / 256") << "q5_k" << 5.5;
    QTest::newRow("Q4_K: 144 B / 256") << "q4_k" << 4.5;
    QTest::newRow("Q4_0: 18 B / 32") << "q4_0" << 4.5;
    QTest::newRow("Q3_K: 110 B / 256") << "q3_k" << 3.4375;
    QTest::newRow("Q2_K: 84 B / 256") << "q2_k" << 2.625;
    QTest::newRow("MXFP4: E8M0 per 32") << "mxfp4" << 4.25;
    QTest::newRow("NVFP4: E4M3 per 16") << "nvfp4" << 4.5;
    QTest::newRow("NF4: FP32 per 64") << "nf4" << 4.5;
    QTest::newRow("NF4 double quant") << "nf4_dq" << 4.127;
    QTest::newRow("INT4 g128 FP16 scale") << "int4_g128" << 4.125;
    QTest::newRow("INT4 g64 FP16 scale") << "int4_g64" << 4.25;
    QTest::newRow("INT4 g32 FP16 scale") << "int4_g32" << 4.5;
}

void TestBudgetCatalogs::formatBitsIncludeScaleOverhead()
{
    QFETCH(QString, id);
    QFETCH(double, bits);
    const QuantFormat* format = findFormat(*builtinFormats(), id);
    QVERIFY2(format, qPrintable(id));
    QCOMPARE(format->bitsPerWeight, bits);
}

void TestBudgetCatalogs::formatsCarryTheAnalysisSchemeStrings()
{
    const auto& formats = *builtinFormats();
    QCOMPARE(findFormat(formats, QStringLiteral("int8"))->scheme, QStringLiteral("int8:ch"));
    QCOMPARE(findFormat(formats, QStringLiteral("int4_g64"))->scheme, QStringLiteral("int4:g64"));
    QCOMPARE(findFormat(formats, QStringLiteral("GGUF Q4_K"))->scheme, QStringLiteral("q4_k"));
    QCOMPARE(findFormat(formats, QStringLiteral("fp8_e4m3"))->scheme, QStringLiteral("fp8_e4m3"));
    QVERIFY(findFormat(formats, QStringLiteral("fp32"))->scheme.isEmpty());
}

void TestBudgetCatalogs::allModelsParseWithTheirArchitectureFields()
{
    const auto& models = builtinModels();
    QVERIFY2(models, qPrintable(models ? QString() : models.error().toString()));
    QVERIFY(models->size() >= 15);
    std::set<int> kinds;
    for (const ModelSpec& model : *models) {
        QVERIFY2(model.hasShape() && model.maxContext > 0 && model.kvHeads <= model.attentionHeads, qPrintable(model.id));
        kinds.insert(static_cast<int>(model.attention.kind));
    }
    QCOMPARE(kinds.size(), std::size_t(4));  // GQA, MLA, sliding window and hybrid are all represented
    const ModelSpec* deepseek = findModel(*models, QStringLiteral("deepseek-v3"));
    QCOMPARE(deepseek->attention.kind, AttentionKind::LatentMla);
    QCOMPARE(deepseek->attention.kvLoraRank, 512);
    QCOMPARE(deepseek->attention.ropeHeadDim, 64);
    QCOMPARE(deepseek->layers, 61);
    const ModelSpec* gemma = findModel(*models, QStringLiteral("Gemma 3 27B"));
    QCOMPARE(gemma->attention.kind, AttentionKind::SlidingWindow);
    QCOMPARE(gemma->attention.slidingWindow, 1024);
    QCOMPARE(gemma->attention.globalLayers, 10);
    const ModelSpec* jamba = findModel(*models, QStringLiteral("jamba-1.5-mini"));
    QCOMPARE(jamba->attention.kind, AttentionKind::Hybrid);
    QCOMPARE(jamba->attention.attentionLayers, 4);
}

void TestBudgetCatalogs::moeModelsReadFewerParametersThanTheyStore()
{
    for (const ModelSpec& model : *builtinModels()) {
        if (model.moe)
            QVERIFY2(model.activeParams < model.totalParams / 2, qPrintable(model.id));
        else
            QCOMPARE(model.activeParams, model.totalParams);
    }
    const ModelSpec* deepseek = findModel(*builtinModels(), QStringLiteral("deepseek-v3"));
    QCOMPARE(deepseek->totalParams, 671e9);
    QCOMPARE(deepseek->activeParams, 37e9);
}

void TestBudgetCatalogs::devicesHaveMemoryBandwidthAndSourcedPrices()
{
    const auto& devices = builtinDevices();
    QVERIFY2(devices, qPrintable(devices ? QString() : devices.error().toString()));
    QVERIFY(devices->size() >= 12);
    QSet<QString> kinds;
    for (const DeviceSpec& device : *devices) {
        QVERIFY(device.memoryGB > 0 && device.bandwidthGBs > 0);
        if (device.pricePerHour)
            QVERIFY2(!device.priceSource.isEmpty(), qPrintable(device.id));
        kinds.insert(device.kind);
    }
    QVERIFY(kinds.contains(QStringLiteral("unified-memory")) && kinds.contains(QStringLiteral("phone")));
    const DeviceSpec* h100 = findDevice(*devices, QStringLiteral("h100-sxm"));
    QVERIFY(h100);
    QCOMPARE(h100->memoryGB, 80.0);
    QCOMPARE(h100->bandwidthGBs, 3350.0);
}

void TestBudgetCatalogs::malformedCatalogsNameTheFileEntryAndField()
{
    QVERIFY(dir_.isValid());
    const QString notJson = write("broken.json", "{\"devices\": [ {\"id\": ");
    Result<std::vector<DeviceSpec>> devices = loadDeviceCatalog(notJson);
    QVERIFY(!devices);
    QCOMPARE(devices.error().file, notJson);
    QVERIFY(devices.error().offset > 0);

    const QString zeroMemory = write("zero.json", R"({"devices": [{"id": "x", "name": "X", "kind": "gpu",
        "memory_gb": 0, "bandwidth_gbs": 100}]})");
    devices = loadDeviceCatalog(zeroMemory);
    QVERIFY(!devices);
    QVERIFY2(devices.error().toString().contains(QStringLiteral("entry 1 ('x'): field 'memory_gb' must be a positive number")),
             qPrintable(devices.error().toString()));

    const QString tooFewBits = write("bits.json", R"({"formats": [{"id": "q", "name": "Q", "family": "f",
        "element_bits": 4, "bits_per_weight": 3, "bits_derivation": "d", "where_you_meet_it": "w"}]})");
    Result<std::vector<QuantFormat>> formats = loadFormatCatalog(tooFewBits);
    QVERIFY(!formats);
    QVERIFY2(formats.error().message.contains(QStringLiteral("below element_bits")), qPrintable(formats.error().message));

    const QString badLayers = write("layers.json", R"({"models": [{"id": "m", "name": "M", "source": "s",
        "total_params": 1e9, "active_params": 1e9, "layers": 10, "hidden_size": 64, "attention_heads": 4,
        "kv_heads": 2, "head_dim": 16, "max_context": 4096,
        "attention": {"type": "sliding", "sliding_window": 512, "local_layers": 5, "global_layers": 4}}]})");
    Result<std::vector<ModelSpec>> models = loadModelCatalog(badLayers);
    QVERIFY(!models);
    QVERIFY2(models.error().message.contains(QStringLiteral("not the model's 10 layers")), qPrintable(models.error().message));

    const QString missingList = write("empty.json", R"({"models": 3})");
    QVERIFY(loadModelCatalog(missingList).error().message.contains(QStringLiteral("\"models\" array")));
    QVERIFY(!loadModelCatalog(dir_.filePath(QStringLiteral("absent.json"))));
}

QTEST_GUILESS_MAIN(TestBudgetCatalogs)
#include "test_budget_catalogs.moc"
