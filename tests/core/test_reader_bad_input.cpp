// Corrupt or hostile weight files are refused with a message naming the file and the problem:
// never a crash, a hang, or an allocation sized by a number read from the file.
#include "core/formats/weights_loader.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <cstring>
#include <unistd.h>

using namespace cstudio;

namespace {

template <class T>
void put(QByteArray& bytes, T value)
{
    bytes.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

QByteArray safetensors(const QByteArray& header, const QByteArray& data)
{
    QByteArray file;
    put<quint64>(file, quint64(header.size()));
    return file + header + data;
}

// A GGUF file with one UINT32 key and the given tensor infos, then data.
struct GgufTensor {
    QByteArray name;
    std::vector<quint64> extents;
    quint32 type;
    quint64 offset;
};

void putString(QByteArray& bytes, const QByteArray& text)
{
    put<quint64>(bytes, quint64(text.size()));
    bytes += text;
}

QByteArray gguf(const std::vector<GgufTensor>& tensors, qint64 dataBytes, quint32 alignment = 32, quint32 version = 3)
{
    QByteArray file("GGUF");
    put<quint32>(file, version);
    put<quint64>(file, tensors.size());
    put<quint64>(file, 1);
    putString(file, "general.alignment");
    put<quint32>(file, 4);
    put<quint32>(file, alignment);
    for (const auto& tensor : tensors) {
        putString(file, tensor.name);
        put<quint32>(file, quint32(tensor.extents.size()));
        for (quint64 extent : tensor.extents)
            put<quint64>(file, extent);
        put<quint32>(file, tensor.type);
        put<quint64>(file, tensor.offset);
    }
    while (file.size() % alignment)
        file.append('\0');
    return file + QByteArray(int(dataBytes), '\0');
}

}  // namespace

class TestReaderBadInput : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    QString write(const QString& name, const QByteArray& content)
    {
        const QString path = dir_.filePath(name);
        QFile file(path);
        file.open(QIODevice::WriteOnly | QIODevice::Truncate);
        file.write(content);
        return path;
    }

    void expectRefused(const QString& path, const QString& reason)
    {
        auto source = openWeights(path);
        QVERIFY2(!source, qPrintable(QStringLiteral("%1 was accepted").arg(path)));
        QVERIFY2(source.error().message.contains(reason, Qt::CaseInsensitive), qPrintable(source.error().toString()));
        QVERIFY2(source.error().toString().contains(QFileInfo(path).fileName()), qPrintable(source.error().toString()));
    }

private Q_SLOTS:
    void badSafetensorsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("reason");
        const QByteArray good = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
        QTest::newRow("truncated to 5 bytes") << QByteArray("\x10\0\0\0\0", 5) << "too short";
        QTest::newRow("header beyond the file") << safetensors(good, QByteArray(8, 0)).left(30) << "runs past the end";
        QByteArray huge;
        put<quint64>(huge, 200'000'000);
        QTest::newRow("header over 100 MB") << huge + QByteArray("{}") << "100 MB";
        QTest::newRow("bad JSON") << safetensors(R"({"a":{"dtype":"F32",)", {}) << "invalid JSON";
        QTest::newRow("not an object") << safetensors("[1,2]  ", {}) << "start with '{'";
        QTest::newRow("truncated data") << safetensors(good, QByteArray(4, 0)) << "beyond the end";
        QTest::newRow("trailing bytes") << safetensors(good, QByteArray(12, 0)) << "file has";
        QTest::newRow("wrong byte length") << safetensors(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", QByteArray(8, 0))
                                           << "needs 12";
        QTest::newRow("overlapping offsets")
            << safetensors(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                           QByteArray(12, 0))
            << "overlaps";
        QTest::newRow("gap between tensors")
            << safetensors(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})",
                           QByteArray(12, 0))
            << "gap";
        QTest::newRow("offset out of range")
            << safetensors(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[1000000000000,1000000000004]}})", QByteArray(4, 0))
            << "beyond the end";
        QTest::newRow("unknown dtype") << safetensors(R"({"a":{"dtype":"F7","shape":[2],"data_offsets":[0,8]}})", QByteArray(8, 0))
                                       << "unknown dtype 'F7'";
        QTest::newRow("negative dimension") << safetensors(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", QByteArray(8, 0))
                                            << "non-negative";
        QTest::newRow("absurd shape")
            << safetensors(R"({"a":{"dtype":"F32","shape":[4000000000,4000000000,4000000000],"data_offsets":[0,8]}})", QByteArray(8, 0))
            << "overflows";
        QTest::newRow("missing fields") << safetensors(R"({"a":{"dtype":"F32"}})", {}) << "lacks";
    }
    void badSafetensorsAreRefused()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, reason);
        expectRefused(write(QStringLiteral("bad.safetensors"), content), reason);
    }

    void shardedModelsWithMissingShardsAreRefused()
    {
        QDir(dir_.path()).mkdir(QStringLiteral("sharded"));
        const QString folder = dir_.filePath(QStringLiteral("sharded"));
        write(QStringLiteral("sharded/model-1.safetensors"), safetensors(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", QByteArray(4, 0)));
        QJsonObject map{{QStringLiteral("a"), QStringLiteral("model-1.safetensors")}, {QStringLiteral("b"), QStringLiteral("model-2.safetensors")}};
        write(QStringLiteral("sharded/model.safetensors.index.json"),
              QJsonDocument(QJsonObject{{QStringLiteral("weight_map"), map}}).toJson());
        expectRefused(folder, QStringLiteral("missing shard 'model-2.safetensors'"));
        map[QStringLiteral("b")] = QStringLiteral("model-1.safetensors");
        write(QStringLiteral("sharded/model.safetensors.index.json"),
              QJsonDocument(QJsonObject{{QStringLiteral("weight_map"), map}}).toJson());
        expectRefused(folder + QStringLiteral("/model.safetensors.index.json"), QStringLiteral("'b' is listed in the index but missing"));
        map[QStringLiteral("b")] = QStringLiteral("../escape.safetensors");
        write(QStringLiteral("sharded/model.safetensors.index.json"),
              QJsonDocument(QJsonObject{{QStringLiteral("weight_map"), map}}).toJson());
        expectRefused(folder, QStringLiteral("invalid shard name"));
        QDir(dir_.path()).mkdir(QStringLiteral("empty"));
        expectRefused(dir_.filePath(QStringLiteral("empty")), QStringLiteral("no .safetensors files"));
    }

    void badGgufFilesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("reason");
        const GgufTensor f32{"t", {8}, 0, 0};
        QTest::newRow("good file is accepted") << gguf({f32}, 32) << "";
        QTest::newRow("truncated header") << gguf({f32}, 32).left(10) << "ends inside the header";
        QTest::newRow("truncated tensor info") << gguf({f32}, 32).left(60) << "tensor";
        QTest::newRow("data beyond the file") << gguf({f32}, 16) << "beyond the end";
        QTest::newRow("offset beyond the file") << gguf({{"t", {8}, 0, 1ull << 40}}, 32) << "beyond the end";
        QTest::newRow("misaligned data") << gguf({{"t", {8}, 0, 4}}, 64) << "not aligned";
        QTest::newRow("overlapping tensors") << gguf({{"a", {16}, 0, 0}, {"b", {8}, 0, 32}}, 64) << "overlap";
        QTest::newRow("unknown tensor type") << gguf({{"t", {8}, 99, 0}}, 32) << "unknown type 99";
        QTest::newRow("too many dimensions") << gguf({{"t", {1, 1, 1, 1, 8}, 0, 0}}, 32) << "dimensions";
        QTest::newRow("absurd element count") << gguf({{"t", {1ull << 62, 1ull << 62}, 0, 0}}, 32) << "overflows";
        QTest::newRow("row not a whole number of blocks") << gguf({{"t", {33}, 8, 0}}, 64) << "not a multiple";
        QTest::newRow("alignment not a power of two") << gguf({f32}, 32, 24) << "power of two";
        QTest::newRow("version 1") << gguf({f32}, 32, 32, 1) << "version 1";
        QTest::newRow("unknown version") << gguf({f32}, 32, 32, 7) << "unsupported GGUF version 7";
        QTest::newRow("duplicate names") << gguf({{"t", {8}, 0, 0}, {"t", {8}, 0, 32}}, 64) << "duplicate";
        QByteArray absurdCount("GGUF");
        put<quint32>(absurdCount, 3);
        put<quint64>(absurdCount, 1ull << 60);
        put<quint64>(absurdCount, 0);
        QTest::newRow("absurd tensor count") << absurdCount << "absurd tensor count";
        QByteArray absurdKeys("GGUF");
        put<quint32>(absurdKeys, 3);
        put<quint64>(absurdKeys, 0);
        put<quint64>(absurdKeys, 1ull << 60);
        QTest::newRow("absurd metadata count") << absurdKeys << "absurd metadata count";
        QByteArray longString("GGUF");
        put<quint32>(longString, 3);
        put<quint64>(longString, 0);
        put<quint64>(longString, 1);
        put<quint64>(longString, 1ull << 62);
        longString += QByteArray(16, 'x');
        QTest::newRow("string longer than the file") << longString << "runs past the end";
        QByteArray hugeArray("GGUF");
        put<quint32>(hugeArray, 3);
        put<quint64>(hugeArray, 0);
        put<quint64>(hugeArray, 1);
        putString(hugeArray, "k");
        put<quint32>(hugeArray, 9);  // ARRAY
        put<quint32>(hugeArray, 4);  // of UINT32
        put<quint64>(hugeArray, 1ull << 61);
        hugeArray += QByteArray(16, 0);
        QTest::newRow("absurd array count") << hugeArray << "more than the rest of the file";
        QByteArray badType("GGUF");
        put<quint32>(badType, 3);
        put<quint64>(badType, 0);
        put<quint64>(badType, 1);
        putString(badType, "k");
        put<quint32>(badType, 77);
        badType += QByteArray(16, 0);
        QTest::newRow("unknown value type") << badType << "unknown value type 77";
    }
    void badGgufFilesAreRefused()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, reason);
        const QString path = write(QStringLiteral("bad.gguf"), content);
        if (reason.isEmpty()) {
            auto source = openWeights(path);
            QVERIFY2(source, qPrintable(source.ok() ? QString() : source.error().toString()));
            return;
        }
        expectRefused(path, reason);
    }

    void badNpzArchivesAreRefused()
    {
        expectRefused(write(QStringLiteral("short.npz"), QByteArray("PK\x03\x04", 4)), QStringLiteral("too short"));
        expectRefused(write(QStringLiteral("noend.npz"), QByteArray("PK\x03\x04") + QByteArray(100, 'z')),
                      QStringLiteral("end-of-central-directory"));
        QByteArray end("PK\x05\x06", 4);
        end += QByteArray(6, 0);
        put<quint16>(end, 0);
        put<quint32>(end, 0);
        put<quint32>(end, 0xfffffff0u);
        put<quint16>(end, 0);
        expectRefused(write(QStringLiteral("farcd.npz"), QByteArray("PK\x03\x04") + end), QStringLiteral("beyond the file"));
    }

    void corruptDeflatedMembersAreRefused()
    {
        const QString fixture = QStringLiteral(CSTUDIO_FIXTURE_DIR "/readers/deflated.npz");
        QFile original(fixture);
        if (!original.open(QIODevice::ReadOnly))
            QSKIP("conformance fixtures missing (make_fixtures.py has not run)");
        QByteArray bytes = original.readAll();
        for (int i = 80; i < 140; ++i)  // inside the first member's deflate stream
            bytes[i] = char(bytes[i] ^ 0x5a);
        auto source = openWeights(write(QStringLiteral("corrupt.npz"), bytes));
        QVERIFY(!source);
        QVERIFY2(source.error().message.contains(QLatin1String("corrupt")) || source.error().message.contains(QLatin1String("CRC")),
                 qPrintable(source.error().toString()));
    }

    void unknownAndUnreadableFilesAreReported()
    {
        expectRefused(write(QStringLiteral("notes.txt"), "hello"), QStringLiteral("not a weights file"));
        expectRefused(write(QStringLiteral("empty.safetensors"), {}), QStringLiteral("too short"));
        const QString locked = write(QStringLiteral("locked.safetensors"), "12345678{}");
        QFile::setPermissions(locked, QFileDevice::Permissions());
        if (QFile(locked).open(QIODevice::ReadOnly))
            QSKIP("running as root: permissions do not stop reading");
        expectRefused(locked, QStringLiteral("cannot be opened"));
    }
};

QTEST_APPLESS_MAIN(TestReaderBadInput)
#include "test_reader_bad_input.moc"
