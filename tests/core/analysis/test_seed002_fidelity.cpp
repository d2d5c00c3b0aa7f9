// Seed 002's table ("bits | one global scale | group-wise (g=64)") must come out of our schemes
// to every printed digit, and the float64 round trip must match numpy's full-precision values.
#include "core/analysis/analysis_engine.h"
#include "core/analysis/cpu_analysis_engine.h"
#include "core/quant/integer_quantizer.h"
#include "tests/core/support/memory_tensor_source.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <cmath>

using namespace cstudio;

class Seed002Fidelity : public QObject {
    Q_OBJECT

    std::vector<double> weights;
    QJsonArray table;

    static double rmse(const std::vector<double>& a, const std::vector<double>& b)
    {
        double sum = 0;
        for (std::size_t i = 0; i < a.size(); ++i)
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        return std::sqrt(sum / static_cast<double>(a.size()));
    }

private Q_SLOTS:
    void initTestCase()
    {
        weights = test::readFloat64Npy(QStringLiteral(CSTUDIO_SOURCE_DIR "/tests/data/seed002_weights.npy"));
        QCOMPARE(weights.size(), std::size_t(10000));
        QFile file(QStringLiteral(CSTUDIO_SOURCE_DIR "/tests/data/seed002_expected.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        table = QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("rmse_table")).toArray();
        QCOMPARE(table.size(), 4);
    }

    void doublePrecisionRoundTripMatchesNumpyWithin1e9Relative()
    {
        std::vector<double> out(weights.size());
        for (const auto& row : table) {
            const int bits = row[QStringLiteral("bits")].toInt();
            for (const auto& [key, group] : {std::pair{"global", qint64(weights.size())}, std::pair{"g64", qint64(64)}}) {
                symmetricRoundTripDouble(weights, out, bits, group);
                const double expected = row[QLatin1String(key)].toDouble();
                const double got = rmse(weights, out);
                QVERIFY2(std::fabs(got - expected) <= 1e-9 * expected,
                         qPrintable(QStringLiteral("int%1 %2: %3 vs numpy %4").arg(bits).arg(key).arg(got, 0, 'g', 17).arg(expected, 0, 'g', 17)));
            }
        }
    }

    void engineReproducesThePrintedTableToEveryDigit()
    {
        test::MemoryTensorSource source;
        source.add(QStringLiteral("seed002"), {10000}, std::vector<float>(weights.begin(), weights.end()));
        AnalysisRequest request;
        request.includeOneDimensional = true;
        request.schemes = parseSchemeList(u"int8:tensor,int8:g64,int4:tensor,int4:g64,int3:tensor,int3:g64,int2:tensor,int2:g64").value();
        const auto result = CpuAnalysisEngine(2).run(source, request, {});
        QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().toString()));
        const QStringList printed{"0.000711", "0.000178", "0.012749", "0.003323", "0.019724", "0.007157", "0.020689", "0.015271"};
        for (int i = 0; i < 8; ++i) {
            const SchemeMetrics& m = result->model[static_cast<std::size_t>(i)];
            QCOMPARE(QString::number(m.error.rmse(), 'f', 6), printed[i]);
            // and float32 data stays within float32 rounding of the float64 seed values
            const double expected = table[i / 2][i % 2 == 0 ? QStringLiteral("global") : QStringLiteral("g64")].toDouble();
            QVERIFY2(std::fabs(m.error.rmse() - expected) <= 1e-5 * expected, qPrintable(m.scheme));
        }
        QCOMPARE(result->model[1].error.groupCount, qint64(157));  // 156 groups of 64 and one of 16
        QCOMPARE(result->model[0].error.groupCount, qint64(1));
    }
};

QTEST_GUILESS_MAIN(Seed002Fidelity)
#include "test_seed002_fidelity.moc"
