// .npy files of format versions 1-3, both byte orders, C and Fortran order, float, integer and
// bool dtypes decode to the values written; malformed files give an error naming the problem.
// (NumPy-written files of every variant are checked in tests/conformance/.)
#include "core/formats/npy_reader.h"
#include "core/formats/weights_loader.h"

#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>
#include <cstring>

using namespace cstudio;

namespace {

QByteArray npyFile(int major, const QByteArray& header, const QByteArray& data)
{
    QByteArray file("\x93NUMPY", 6);
    file.append(char(major)).append(char(0));
    const int preamble = major == 1 ? 10 : 12;
    QByteArray padded = header;
    while ((preamble + padded.size() + 1) % 64 != 0)
        padded.append(' ');
    padded.append('\n');
    if (major == 1) {
        file.append(char(padded.size() & 0xff)).append(char(padded.size() >> 8));
    } else {
        for (int shift = 0; shift < 32; shift += 8)
            file.append(char((padded.size() >> shift) & 0xff));
    }
    return file + padded + data;
}

template <class T>
QByteArray bytesOf(std::initializer_list<T> values, bool bigEndian = false)
{
    QByteArray bytes;
    for (T value : values) {
        char raw[sizeof(T)];
        std::memcpy(raw, &value, sizeof(T));
        if (bigEndian)
            std::reverse(raw, raw + sizeof(T));
        bytes.append(raw, sizeof(T));
    }
    return bytes;
}

}  // namespace

class TestNpyReader : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    QString write(const QString& name, const QByteArray& content)
    {
        const QString path = dir_.filePath(name);
        QFile file(path);
        file.open(QIODevice::WriteOnly);
        file.write(content);
        return path;
    }
    std::vector<float> readAll(const TensorSource& source, int index = 0)
    {
        std::vector<float> values(std::size_t(source.tensors()[std::size_t(index)].elementCount));
        auto read = source.readFloats(index, 0, values);
        if (!read)
            qWarning() << read.error().toString();
        return values;
    }

private Q_SLOTS:
    void readsLittleEndianFloat32InVersion1()
    {
        const auto path = write("a.npy", npyFile(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                                                 bytesOf<float>({1, 2, 3, 4, 5, 6.5f})));
        auto source = openWeights(path);
        QVERIFY2(source, qPrintable(source.ok() ? QString() : source.error().toString()));
        const TensorInfo& info = source.value()->tensors().at(0);
        QCOMPARE(info.shape, (std::vector<qint64>{2, 3}));
        QCOMPARE(info.elementCount, 6);
        QCOMPARE(info.byteSize, 24);
        QCOMPARE(info.dtype, QStringLiteral("<f4"));
        QVERIFY(info.decodable);
        QCOMPARE(readAll(*source.value()), (std::vector<float>{1, 2, 3, 4, 5, 6.5f}));
        std::vector<float> middle(3);
        QVERIFY(source.value()->readFloats(0, 2, middle).ok());
        QCOMPARE(middle, (std::vector<float>{3, 4, 5}));
    }

    void readsBigEndianFloat64InVersion2()
    {
        const auto path = write("b.npy", npyFile(2, "{'descr': '>f8', 'fortran_order': False, 'shape': (3,), }",
                                                 bytesOf<double>({0.5, -1.25, 1e10}, true)));
        auto source = openNpy(path);
        QVERIFY(source);
        QCOMPARE(readAll(*source.value()), (std::vector<float>{0.5f, -1.25f, 1e10f}));
    }

    void readsVersion3WithIntegerAndBoolDtypes()
    {
        auto source = openNpy(write("c.npy", npyFile(3, "{'descr': '>i2', 'fortran_order': False, 'shape': (2,), }",
                                                     bytesOf<std::int16_t>({-300, 7}, true))));
        QVERIFY(source);
        QCOMPARE(readAll(*source.value()), (std::vector<float>{-300, 7}));
        source = openNpy(write("d.npy", npyFile(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }",
                                                QByteArray("\x00\x80\xff", 3))));
        QVERIFY(source);
        QCOMPARE(readAll(*source.value()), (std::vector<float>{0, 128, 255}));
        source = openNpy(write("e.npy", npyFile(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }",
                                                QByteArray("\x01\x00", 2))));
        QVERIFY(source);
        QCOMPARE(readAll(*source.value()), (std::vector<float>{1, 0}));
    }

    void fortranOrderIsReturnedRowMajor()
    {
        // The 2x3 matrix [[1 2 3] [4 5 6]] stored column by column.
        auto source = openNpy(write("f.npy", npyFile(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }",
                                                     bytesOf<float>({1, 4, 2, 5, 3, 6}))));
        QVERIFY(source);
        QCOMPARE(readAll(*source.value()), (std::vector<float>{1, 2, 3, 4, 5, 6}));
        std::vector<float> tail(2);
        QVERIFY(source.value()->readFloats(0, 4, tail).ok());
        QCOMPARE(tail, (std::vector<float>{5, 6}));
    }

    void scalarsAndEmptyArraysWork()
    {
        auto source = openNpy(write("g.npy", npyFile(1, "{'descr': '<f2', 'fortran_order': False, 'shape': (), }",
                                                     bytesOf<std::uint16_t>({0x3c00}))));
        QVERIFY(source);
        QCOMPARE(source.value()->tensors()[0].elementCount, 1);
        QCOMPARE(readAll(*source.value()), (std::vector<float>{1.0f}));
        source = openNpy(write("h.npy", npyFile(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4), }", {})));
        QVERIFY(source);
        QCOMPARE(source.value()->tensors()[0].elementCount, 0);
    }

    void unsupportedButWellFormedDtypesAreListedNotDecoded()
    {
        auto source = openNpy(write("i.npy", npyFile(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }",
                                                     QByteArray(8, '\0'))));
        QVERIFY(source);
        QVERIFY(!source.value()->tensors()[0].decodable);
        std::vector<float> values(1);
        const auto read = source.value()->readFloats(0, 0, values);
        QVERIFY(!read);
        QVERIFY(read.error().message.contains(QLatin1String("not decoded")));
    }

    void malformedFilesAreRefusedWithTheReason_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("reason");
        const QByteArray good = "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }";
        QTest::newRow("truncated data") << npyFile(1, good, QByteArray(12, '\0')) << "truncated";
        QTest::newRow("header beyond the file") << npyFile(1, good, {}).left(20) << "header length";
        QTest::newRow("bad magic") << QByteArray("\x93NUMPX\x01\x00\x00\x00", 10) << "magic";
        QTest::newRow("unknown version") << npyFile(9, good, QByteArray(16, '\0')) << "version";
        QTest::newRow("not a dict") << npyFile(1, "[1, 2]", {}) << "not a Python dict";
        QTest::newRow("unknown dtype") << npyFile(1, "{'descr': 'zz', 'fortran_order': False, 'shape': (1,), }", "1234")
                                       << "unknown dtype";
        QTest::newRow("structured dtype") << npyFile(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", "1234")
                                          << "structured";
        QTest::newRow("negative dimension") << npyFile(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", {})
                                            << "non-negative";
        QTest::newRow("absurd shape") << npyFile(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }", {})
                                      << "overflows";
        QTest::newRow("missing key") << npyFile(1, "{'descr': '<f4', 'shape': (1,), }", "1234") << "missing";
    }
    void malformedFilesAreRefusedWithTheReason()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, reason);
        const QString path = write(QStringLiteral("bad.npy"), content);
        auto source = openWeights(path);
        QVERIFY(!source);
        QVERIFY2(source.error().message.contains(reason), qPrintable(source.error().toString()));
        QCOMPARE(source.error().file, path);
    }

    void missingFilesAreReported()
    {
        auto source = openWeights(dir_.filePath(QStringLiteral("nope.npy")));
        QVERIFY(!source);
        QVERIFY(source.error().message.contains(QLatin1String("no such file")));
    }
};

QTEST_APPLESS_MAIN(TestNpyReader)
#include "test_npy_reader.moc"
