// Every value our readers return equals the writer's value: safetensors files of every dtype
// and a sharded model written by the safetensors package, GGUF files whose blocks come from the
// gguf package's quantizer (expected: gguf's own dequantization), and .npy/.npz files written by
// NumPy in every byte order, memory order and format version. Fixtures: make_readers.py.
#include "core/formats/weights_loader.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <cmath>
#include <cstring>

using namespace cstudio;

namespace {
const QString kReaders = QStringLiteral(CSTUDIO_FIXTURE_DIR "/readers");

bool sameFloat(float a, float b)
{
    if (std::isnan(a) || std::isnan(b))
        return std::isnan(a) && std::isnan(b);
    std::uint32_t x, y;
    std::memcpy(&x, &a, 4);
    std::memcpy(&y, &b, 4);
    return x == y;  // bit for bit: +0 and -0 differ
}
}  // namespace

class TestReadersConformance : public QObject {
    Q_OBJECT
    QJsonArray cases_;

private Q_SLOTS:
    void initTestCase()
    {
        QFile manifest(kReaders + QStringLiteral("/manifest.json"));
        if (!manifest.open(QIODevice::ReadOnly))
            QSKIP("conformance fixtures missing: make_fixtures.py did not run or lacked numpy/safetensors/gguf");
        cases_ = QJsonDocument::fromJson(manifest.readAll()).object().value(QStringLiteral("cases")).toArray();
        QVERIFY(cases_.size() > 100);
    }

    void everyValueEqualsTheWritersValue_data()
    {
        QTest::addColumn<QJsonObject>("testCase");
        for (const QJsonValue& value : cases_)
            QTest::newRow(qPrintable(value.toObject().value(QStringLiteral("file")).toString())) << value.toObject();
    }
    void everyValueEqualsTheWritersValue()
    {
        QFETCH(QJsonObject, testCase);
        const QString path = kReaders + QLatin1Char('/') + testCase.value(QStringLiteral("file")).toString();
        auto source = openWeights(path);
        QVERIFY2(source, qPrintable(source.ok() ? QString() : source.error().toString()));
        const auto& tensors = source.value()->tensors();
        for (const QJsonValue& entryValue : testCase.value(QStringLiteral("tensors")).toArray()) {
            const QJsonObject entry = entryValue.toObject();
            const QString name = entry.value(QStringLiteral("name")).toString();
            const auto found = std::find_if(tensors.begin(), tensors.end(), [&](const TensorInfo& t) { return t.name == name; });
            QVERIFY2(found != tensors.end(), qPrintable(name));
            QCOMPARE(found->dtype, entry.value(QStringLiteral("dtype")).toString());
            std::vector<qint64> shape;
            for (const QJsonValue& extent : entry.value(QStringLiteral("shape")).toArray())
                shape.push_back(extent.toInteger());
            QCOMPARE(found->shape, shape);
            QVERIFY(found->decodable);

            QFile expectedFile(kReaders + QLatin1Char('/') + entry.value(QStringLiteral("expected")).toString());
            QVERIFY(expectedFile.open(QIODevice::ReadOnly));
            const QByteArray expectedBytes = expectedFile.readAll();
            QCOMPARE(qint64(expectedBytes.size()), found->elementCount * 4);
            std::vector<float> expected(std::size_t(found->elementCount)), actual(expected.size());
            if (!expected.empty())
                std::memcpy(expected.data(), expectedBytes.constData(), std::size_t(expectedBytes.size()));
            const int index = int(found - tensors.begin());
            QVERIFY(source.value()->readFloats(index, 0, actual).ok());
            for (std::size_t i = 0; i < expected.size(); ++i)
                QVERIFY2(sameFloat(actual[i], expected[i]),
                         qPrintable(QStringLiteral("%1[%2]: read %3, expected %4").arg(name).arg(i).arg(actual[i], 0, 'g', 9).arg(expected[i], 0, 'g', 9)));
            // Any slice, including ones that start and end inside a quantization block, agrees.
            if (expected.size() > 300) {
                std::vector<float> slice(300);
                QVERIFY(source.value()->readFloats(index, 17, slice).ok());
                for (std::size_t i = 0; i < slice.size(); ++i)
                    QVERIFY(sameFloat(slice[i], expected[17 + i]));
            }
        }
    }

    void ggufMetadataOfEveryValueTypeIsRead()
    {
        auto source = openWeights(kReaders + QStringLiteral("/quantized.gguf"));
        QVERIFY(source);
        QMap<QString, QString> metadata;
        for (const auto& [key, value] : source.value()->metadata())
            metadata.insert(key, value);
        QCOMPARE(metadata.value(QStringLiteral("GGUF version")), QStringLiteral("3"));
        QCOMPARE(metadata.value(QStringLiteral("test.u8")), QStringLiteral("200"));
        QCOMPARE(metadata.value(QStringLiteral("test.i8")), QStringLiteral("-100"));
        QCOMPARE(metadata.value(QStringLiteral("test.u16")), QStringLiteral("60000"));
        QCOMPARE(metadata.value(QStringLiteral("test.i16")), QStringLiteral("-30000"));
        QCOMPARE(metadata.value(QStringLiteral("test.u32")), QStringLiteral("4000000000"));
        QCOMPARE(metadata.value(QStringLiteral("test.i32")), QStringLiteral("-2000000000"));
        QCOMPARE(metadata.value(QStringLiteral("test.f32")), QStringLiteral("0.25"));
        QCOMPARE(metadata.value(QStringLiteral("test.u64")), QStringLiteral("9223372036854775813"));
        QCOMPARE(metadata.value(QStringLiteral("test.i64")), QStringLiteral("-4611686018427387904"));
        QCOMPARE(metadata.value(QStringLiteral("test.f64")), QStringLiteral("1e-300"));
        QCOMPARE(metadata.value(QStringLiteral("test.bool")), QStringLiteral("true"));
        QCOMPARE(metadata.value(QStringLiteral("test.string")), QStringLiteral("\"héllo GGUF\""));
        QCOMPARE(metadata.value(QStringLiteral("test.array_int")), QStringLiteral("[1, 2, 3]"));
        QCOMPARE(metadata.value(QStringLiteral("test.array_string")), QStringLiteral("[\"a\", \"bc\", \"def\"]"));
        QCOMPARE(metadata.value(QStringLiteral("test.array_nested")), QStringLiteral("[[1, 2], [3, 4, 5]]"));
        QCOMPARE(metadata.value(QStringLiteral("llama.block_count")), QStringLiteral("2"));
        QCOMPARE(metadata.value(QStringLiteral("general.architecture")), QStringLiteral("\"llama\""));
    }

    void ggufTypesWeDoNotDecodeAreListedWithTheirSize()
    {
        auto source = openWeights(kReaders + QStringLiteral("/quantized.gguf"));
        QVERIFY(source);
        const auto& tensors = source.value()->tensors();
        const auto iq = std::find_if(tensors.begin(), tensors.end(), [](const TensorInfo& t) { return t.dtype == QLatin1String("IQ4_XS"); });
        QVERIFY(iq != tensors.end());
        QVERIFY(!iq->decodable);
        QCOMPARE(iq->shape, (std::vector<qint64>{8, 512}));
        QCOMPARE(iq->byteSize, 8 * 2 * 136);
        QCOMPARE(iq->layer, 0);
        QCOMPARE(iq->role, QStringLiteral("attn_q"));
        std::vector<float> values(256);
        const auto read = source.value()->readFloats(int(iq - tensors.begin()), 0, values);
        QVERIFY(!read);
        QVERIFY(read.error().message.contains(QLatin1String("not decoded")));
    }

    void safetensorsMetadataIsShown()
    {
        auto source = openWeights(kReaders + QStringLiteral("/every_dtype.safetensors"));
        QVERIFY(source);
        const auto metadata = source.value()->metadata();
        QVERIFY(std::find(metadata.begin(), metadata.end(),
                          std::pair{QStringLiteral("written_by"), QStringLiteral("safetensors.numpy")}) != metadata.end());
    }
};

QTEST_APPLESS_MAIN(TestReadersConformance)
#include "test_readers_conformance.moc"
