// Every scheme against an independent reference (tests/conformance/make_quant.py) on random and
// real MiniLM weights: NumPy for int/uint/mse/nf4, ml_dtypes for fp8/fp4/bf16/fp16 element
// rounding, gguf.quants for GGUF blocks (bit-identical bytes for q8_0..q5_1; gguf.quants
// dequantizes our k-quant bytes to exactly our values).
#include "core/quant/gguf_quantize.h"
#include "core/quant/scheme.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

using namespace cstudio;

namespace {
const QString kFolder = QStringLiteral(CSTUDIO_FIXTURE_DIR "/quant");

std::vector<float> readFloats(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = file.readAll();
    std::vector<float> v(static_cast<std::size_t>(bytes.size()) / 4);
    std::memcpy(v.data(), bytes.constData(), v.size() * 4);
    return v;
}

QString fileName(const QString& input, const QString& scheme, const char* extension)
{
    return kFolder + QStringLiteral("/%1__%2.%3").arg(input, QString(scheme).replace(QLatin1Char(':'), QLatin1Char('_')), QLatin1String(extension));
}

double rmse(const std::vector<float>& a, const std::vector<float>& b)
{
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        s += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
    return std::sqrt(s / double(a.size()));
}

qint64 mismatches(const std::vector<float>& a, const std::vector<float>& b)
{
    qint64 count = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        count += a[i] == b[i] ? 0 : 1;  // -0 == +0
    return count;
}

struct Input {
    QString name;
    qint64 rows = 0, rowLength = 0;
    QStringList schemes;
    std::vector<float> values;
};
}  // namespace

class QuantConformance : public QObject {
    Q_OBJECT
    std::vector<Input> inputs;

    std::vector<float> ours(const QString& name, const Input& input)
    {
        std::vector<float> out(input.values.size());
        parseScheme(name).value().roundTripTensor(input.values, out, input.rowLength);
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QFile manifest(kFolder + QStringLiteral("/manifest.json"));
        if (!manifest.open(QIODevice::ReadOnly))
            QSKIP("quant fixtures missing: make_conformance_fixtures needs numpy, ml_dtypes, gguf (installer/install-deps.sh)");
        for (const auto& entry : QJsonDocument::fromJson(manifest.readAll()).array()) {
            Input input;
            input.name = entry[QStringLiteral("input")].toString();
            input.rows = entry[QStringLiteral("rows")].toInteger();
            input.rowLength = entry[QStringLiteral("row_length")].toInteger();
            for (const auto& s : entry[QStringLiteral("schemes")].toArray())
                input.schemes << s.toString();
            input.values = readFloats(kFolder + QStringLiteral("/%1.f32").arg(input.name));
            QCOMPARE(qint64(input.values.size()), input.rows * input.rowLength);
            inputs.push_back(std::move(input));
        }
        QVERIFY(!inputs.empty());
        if (inputs.size() < 2)
            qWarning("MiniLM weights were not available to the fixture step: testing random weights only");
    }

    void everySchemeMatchesItsReferenceValueForValue()
    {
        for (const Input& input : inputs) {
            for (const QString& scheme : input.schemes) {
                const auto reference = readFloats(fileName(input.name, scheme, "f32"));
                QCOMPARE(reference.size(), input.values.size());
                const auto out = ours(scheme, input);
                const qint64 differing = mismatches(out, reference);
                const QString what = QStringLiteral("%1 on %2: %3 of %4 values differ (rmse %5 vs reference %6)")
                                         .arg(scheme, input.name).arg(differing).arg(out.size())
                                         .arg(rmse(out, input.values), 0, 'g', 9).arg(rmse(reference, input.values), 0, 'g', 9);
                if (scheme.endsWith(QLatin1String(":mse"))) {
                    // the clip search compares float sums accumulated in a different order than
                    // numpy's: a near-tie may pick the neighbouring ratio in a rare group
                    QVERIFY2(differing <= qint64(out.size() / 50), qPrintable(what));
                    QVERIFY2(std::fabs(rmse(out, input.values) / rmse(reference, input.values) - 1.0) < 1e-3, qPrintable(what));
                } else if (scheme.startsWith(QLatin1String("nf4"))) {
                    // nearest level by midpoints vs numpy argmin: may differ only on exact ties
                    QVERIFY2(differing <= qint64(out.size() / 10000), qPrintable(what));
                } else {
                    QVERIFY2(differing == 0, qPrintable(what));
                }
            }
        }
    }

    void ggufLegacyBlocksAreBitIdenticalToGgufPy()
    {
        for (const Input& input : inputs) {
            for (const char* name : {"q8_0", "q4_0", "q4_1", "q5_0", "q5_1"}) {
                QFile file(fileName(input.name, QString::fromLatin1(name), "bin"));
                QVERIFY(file.open(QIODevice::ReadOnly));
                const QByteArray reference = file.readAll();
                const Scheme scheme = parseScheme(QString::fromLatin1(name)).value();
                const auto bytes = scheme.encode(input.values, TensorRange::of(input.values), input.rowLength);
                QVERIFY(bytes.ok());
                QCOMPARE(bytes->size(), reference.size());
                qsizetype firstDifference = -1;
                for (qsizetype i = 0; i < reference.size() && firstDifference < 0; ++i)
                    if (bytes.value()[i] != reference[i])
                        firstDifference = i;
                QVERIFY2(firstDifference < 0, qPrintable(QStringLiteral("%1 on %2: first differing byte %3").arg(QLatin1String(name), input.name).arg(firstDifference)));
            }
        }
    }

    void ggufPyDequantizesOurKQuantBytesToOurValues()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QStringList jobs;
        for (const Input& input : inputs) {
            for (const char* name : {"q2_k", "q3_k", "q4_k", "q5_k", "q6_k"}) {
                const Scheme scheme = parseScheme(QString::fromLatin1(name)).value();
                const auto bytes = scheme.encode(input.values, TensorRange::of(input.values), input.rowLength);
                QVERIFY(bytes.ok());
                const QString stem = dir.filePath(QStringLiteral("%1__%2").arg(input.name, QLatin1String(name)));
                QFile out(stem + QStringLiteral(".bin"));
                QVERIFY(out.open(QIODevice::WriteOnly));
                out.write(bytes.value());
                out.close();
                jobs << QStringLiteral("%1|%2|%3").arg(stem, QString::fromLatin1(name).toUpper()).arg(input.rows);
            }
        }
        const QString script = QStringLiteral(
            "import sys, numpy as np, gguf\n"
            "for job in sys.argv[1:]:\n"
            "    stem, name, rows = job.split('|')\n"
            "    t = getattr(gguf.GGMLQuantizationType, name)\n"
            "    raw = np.fromfile(stem + '.bin', dtype=np.uint8).reshape(int(rows), -1)\n"
            "    gguf.quants.dequantize(raw, t).astype(np.float32).tofile(stem + '.f32')\n");
        QProcess python;
        python.start(QStringLiteral(CSTUDIO_PYTHON), QStringList{QStringLiteral("-c"), script} + jobs);
        QVERIFY(python.waitForFinished(120000));
        if (python.exitCode() != 0)
            QSKIP(qPrintable(QStringLiteral("gguf-py could not run: %1").arg(QString::fromUtf8(python.readAllStandardError()))));
        for (const Input& input : inputs) {
            for (const char* name : {"q2_k", "q3_k", "q4_k", "q5_k", "q6_k"}) {
                const auto decoded = readFloats(dir.filePath(QStringLiteral("%1__%2.f32").arg(input.name, QLatin1String(name))));
                const auto out = ours(QString::fromLatin1(name), input);
                QCOMPARE(decoded.size(), out.size());
                QVERIFY2(mismatches(decoded, out) == 0, qPrintable(QStringLiteral("%1 on %2: %3 values differ")
                                                                        .arg(QLatin1String(name), input.name).arg(mismatches(decoded, out))));
            }
        }
    }

    void kQuantsAreNoWorseThanRoundToNearestOnRealWeights()
    {
        const std::pair<const char*, const char*> pairs[] = {
            {"q2_k", "uint2:g16"}, {"q3_k", "int3:g16"}, {"q4_k", "uint4:g32"}, {"q5_k", "uint5:g32"}, {"q6_k", "int6:g16"}};
        for (const Input& input : inputs)
            for (const auto& [k, rtn] : pairs) {
                const double a = rmse(ours(QString::fromLatin1(k), input), input.values);
                const double b = rmse(ours(QString::fromLatin1(rtn), input), input.values);
                QVERIFY2(a <= b, qPrintable(QStringLiteral("%1 %2 rmse %3 > %4 %5").arg(input.name, QLatin1String(k)).arg(a).arg(QLatin1String(rtn)).arg(b)));
            }
    }
};

QTEST_GUILESS_MAIN(QuantConformance)
#include "test_quant_conformance.moc"
