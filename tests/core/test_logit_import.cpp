// Teacher logits from presets and files (.csv, .json, .npy), and clear errors for bad files.
#include "core/distill/class_logits.h"
#include "core/distill/logit_import.h"
#include "core/distill/softmax.h"

#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <cstring>

using namespace cstudio;
using namespace cstudio::distill;

namespace {
QByteArray npyBytes(const QByteArray& descr, const QByteArray& shape, const QByteArray& data)
{
    QByteArray header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    while ((10 + header.size() + 1) % 64 != 0)
        header += ' ';
    header += '\n';
    QByteArray bytes("\x93NUMPY\x01\x00", 8);
    bytes += char(header.size() & 0xff);
    bytes += char(header.size() >> 8);
    return bytes + header + data;
}

// Writes `bytes` to `name` in `dir` and reads it back as logits.
Result<ClassLogits> npyFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes)
{
    QFile file(dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly))
        return Error { file.fileName(), -1, QStringLiteral("cannot write the test file") };
    file.write(bytes);
    file.close();
    return readLogitsNpy(file.fileName());
}

template <class T> QByteArray raw(const std::vector<T>& values)
{
    return QByteArray(reinterpret_cast<const char*>(values.data()), qsizetype(values.size() * sizeof(T)));
}
} // namespace

class TestLogitImport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void presetsReproduceTheSeedsFigures()
    {
        const auto& presets = logitPresets();
        QCOMPARE(presets.size(), size_t(4));
        QCOMPARE(presets[0].logits.logits, (std::vector<double> { 9.0, 6.5, 4.0, 2.5, 1.0, -4.0 }));
        QCOMPARE(presets[0].logits.labels.last(), QStringLiteral("carburetor"));
        // Seed 001: 73% cat, 15% kitten, 8% feline (+4% other); softmax(log p) = p.
        const auto seed001 = softmax(presets[1].logits.logits, 1.0);
        QVERIFY(std::abs(seed001[0] - 0.73) < 1e-12 && std::abs(seed001[2] - 0.08) < 1e-12);
        QCOMPARE(presets[1].logits.labels, (QStringList { "cat", "kitten", "feline", "other" }));
        const auto seed003 = softmax(presets[2].logits.logits, 1.0);
        QVERIFY(std::abs(seed003[0] - 0.90) < 1e-12 && std::abs(seed003[2] - 0.02) < 1e-12);
        const auto seed000 = softmax(presets[3].logits.logits, 1.0);
        QVERIFY(std::abs(seed000[1] - 0.25) < 1e-12 && std::abs(seed000[2] - 0.05) < 1e-12);
    }

    void csvWithLabelsHeaderAndCommentsIsRead()
    {
        const auto result
            = parseLogitsCsv("# cat photo\nclass,logit\ncat, 9\nkitten,6.5\n\ndog,-4e0\n", "t.csv");
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
        QCOMPARE(result->labels, (QStringList { "cat", "kitten", "dog" }));
        QCOMPARE(result->logits, (std::vector<double> { 9.0, 6.5, -4.0 }));
    }

    void csvOfBareNumbersOrOneRowGetsNumberedClasses()
    {
        const auto column = parseLogitsCsv("1\n2\n3\n", "c.csv");
        QVERIFY(column.ok());
        QCOMPARE(column->labels.first(), QStringLiteral("class 0"));
        const auto row = parseLogitsCsv("9,6.5,4,2.5\n", "r.csv");
        QVERIFY(row.ok());
        QCOMPARE(row->logits.size(), size_t(4));
    }

    void jsonInItsThreeShapesIsRead()
    {
        QCOMPARE(parseLogitsJson("[1, 2.5, -3]", "a.json")->logits, (std::vector<double> { 1.0, 2.5, -3.0 }));
        const auto object = parseLogitsJson(R"({"labels": ["a", "b"], "logits": [1, 2]})", "b.json");
        QVERIFY(object.ok());
        QCOMPARE(object->labels, (QStringList { "a", "b" }));
        const auto entries
            = parseLogitsJson(R"([{"label": "x", "logit": 3}, {"label": "y", "logit": 4}])", "c.json");
        QVERIFY(entries.ok());
        QCOMPARE(entries->labels, (QStringList { "x", "y" }));
    }

    void npyFloat32AndFloat64VectorsAreRead()
    {
        QTemporaryDir dir;
        const auto f8
            = npyFile(dir, "a.npy", npyBytes("<f8", "(3,)", raw(std::vector<double> { 9.0, 6.5, -4.0 })));
        QVERIFY2(f8.ok(), qPrintable(f8.ok() ? QString() : f8.error().toString()));
        QCOMPARE(f8->logits, (std::vector<double> { 9.0, 6.5, -4.0 }));
        const auto f4
            = npyFile(dir, "b.npy", npyBytes("<f4", "(1, 2)", raw(std::vector<float> { 1.5f, -2.0f })));
        QVERIFY(f4.ok());
        QCOMPARE(f4->logits, (std::vector<double> { 1.5, -2.0 }));
    }

    void importChoosesTheParserByExtension()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("logits.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("[4, 5]");
        file.close();
        const auto result = importLogits(path);
        QVERIFY(result.ok());
        QCOMPARE(result->source, path);
        const auto missing = importLogits(dir.filePath(QStringLiteral("nope.csv")));
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().toString().contains(QStringLiteral("nope.csv")));
        QVERIFY(!importLogits(dir.filePath(QStringLiteral("x.bin"))).ok());
    }

    void badFilesGetMessagesNamingTheProblem()
    {
        auto message = [](const Result<ClassLogits>& r) { return r.ok() ? QString() : r.error().toString(); };
        QTemporaryDir dir;
        QVERIFY(message(parseLogitsCsv("", "e.csv")).contains(QStringLiteral("no logits")));
        QVERIFY(message(parseLogitsCsv("cat,9\ndog,abc\n", "n.csv"))
                    .contains(QStringLiteral("line 2: 'abc' is not a number")));
        QVERIFY(message(parseLogitsCsv("cat,9\ndog,nan\n", "n.csv"))
                    .contains(QStringLiteral("not a finite number")));
        QVERIFY(message(parseLogitsCsv("1\n2\n3,4,5\n", "m.csv")).contains(QStringLiteral("line 3")));
        QVERIFY(message(parseLogitsJson("[1, \"x\"]", "j.json"))
                    .contains(QStringLiteral("logit 2 is not a number")));
        QVERIFY(message(parseLogitsJson("{oops", "j.json")).contains(QStringLiteral("not valid JSON")));
        QVERIFY(message(parseLogitsJson(R"({"labels": ["a"], "logits": [1, 2]})", "j.json"))
                    .contains(QStringLiteral("1 labels for 2 logits")));
        QVERIFY(message(npyFile(dir, "x.npy", "hello")).contains(QStringLiteral("x.npy")));
        QVERIFY(message(npyFile(dir, "c.npy", npyBytes("<c16", "(2,)", QByteArray(32, 0))))
                    .contains(QStringLiteral("c16")));
        QVERIFY(message(npyFile(dir, "m.npy", npyBytes("<f8", "(2, 3)", raw(std::vector<double>(6)))))
                    .contains(QStringLiteral("more than one dimension")));
        QVERIFY(
            !npyFile(dir, "t.npy", npyBytes("<f8", "(4,)", raw(std::vector<double>(2)))).ok()); // truncated
        QVERIFY(message(
            npyFile(dir, "i.npy", npyBytes("<f8", "(2,)", raw(std::vector<double> { 1.0, INFINITY }))))
                    .contains(QStringLiteral("infinite")));
        QVERIFY(message(npyFile(dir, "z.npy", npyBytes("<f8", "(0,)", {})))
                    .contains(QStringLiteral("no logits")));
    }

    void mismatchedLabelsAndBadProbabilitiesAreRejected()
    {
        const auto mismatched = makeClassLogits({ "a", "b", "c" }, { 1.0, 2.0 });
        QVERIFY(!mismatched.ok());
        QVERIFY(mismatched.error().message.contains(QStringLiteral("3 labels for 2 logits")));
        QVERIFY(!logitsFromProbabilities(std::vector<double> { 0.5, 0.6 }).ok());
        QVERIFY(!logitsFromProbabilities(std::vector<double> { 1.0, 0.0 }).ok());
    }
};

QTEST_APPLESS_MAIN(TestLogitImport)
#include "test_logit_import.moc"
