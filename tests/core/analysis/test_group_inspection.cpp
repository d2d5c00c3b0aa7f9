// Group inspection (the Quant Lab's teaching view) and the bit-width sweep table: the grid a
// group's scale can represent follows EQ 7.3 (s = max|w| / (2^(b-1)-1)) from the group's own
// weights, the tensor-wide grid from the largest weight of the whole tensor, and the round trip
// shown is the scheme's own.
#include "core/analysis/analysis_engine.h"
#include "core/analysis/bit_width_sweep.h"
#include "core/analysis/group_inspection.h"
#include "tests/core/support/memory_tensor_source.h"

#include <QTest>
#include <cmath>
#include <random>

using namespace cstudio;

namespace {
// Two rows of 128: Gaussian bulk (sigma 0.02) with one outlier of 0.5 in the second group.
std::shared_ptr<test::MemoryTensorSource> outlierSource()
{
    std::mt19937 rng(7);
    std::normal_distribution<float> normal(0.0f, 0.02f);
    std::vector<float> values(256);
    for (float& v : values)
        v = normal(rng);
    values[100] = 0.5f;
    auto source = std::make_shared<test::MemoryTensorSource>();
    source->add(QStringLiteral("layers.0.mlp.down_proj.weight"), {2, 128}, values, 0, QStringLiteral("mlp_down"));
    return source;
}
}  // namespace

class GroupInspectionTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void groupGridIsTheGroupsOwnAbsmaxGrid()
    {
        auto source = outlierSource();
        const Scheme scheme = *parseScheme(QStringLiteral("int4:g64"));
        Result<GroupInspection> group = inspectGroup(*source, 0, scheme, 0);
        QVERIFY2(group, group ? "" : qPrintable(group.error().toString()));
        QCOMPARE(group->groupCount, qint64(4));
        QCOMPARE(group->firstElement, qint64(0));
        QCOMPARE(group->values.size(), std::size_t(64));
        float absMax = 0;
        std::vector<float> all(256);
        QVERIFY(source->readFloats(0, 0, all));
        for (int i = 0; i < 64; ++i)
            absMax = std::max(absMax, std::abs(all[std::size_t(i)]));
        QVERIFY(group->groupGridComplete);
        QCOMPARE(group->groupLevels.size(), std::size_t(16));
        QVERIFY(std::abs(group->groupScale - absMax / 7.0) < 1e-9);
        QVERIFY(std::abs(group->groupLevels.front() + 8 * group->groupScale) < 1e-9);
        QVERIFY(std::abs(group->groupLevels.back() - 7 * group->groupScale) < 1e-9);
        // The tensor-wide grid is stretched by the outlier: its step is 0.5 / 7.
        QCOMPARE(group->tensorGridBits, 4);
        QVERIFY(std::abs(group->tensorScale - 0.5 / 7.0) < 1e-7);
        QVERIFY(group->tensorScale > 5 * group->groupScale);
        // Every dequantized value lies on the group's grid; the RMSE is of this group only.
        double sumSquares = 0;
        for (std::size_t i = 0; i < 64; ++i) {
            const double steps = group->dequantized[i] / group->groupScale;
            QVERIFY(std::abs(steps - std::round(steps)) < 1e-4);
            sumSquares += std::pow(double(group->dequantized[i]) - double(group->values[i]), 2);
        }
        QVERIFY(std::abs(group->rmse - std::sqrt(sumSquares / 64)) < 1e-12);
    }

    void theOutliersGroupHasTheTensorsScale()
    {
        auto source = outlierSource();
        Result<GroupInspection> group = inspectGroup(*source, 0, *parseScheme(QStringLiteral("int4:g64")), 1);
        QVERIFY(group);
        QVERIFY(std::abs(group->groupScale - group->tensorScale) < 1e-9);
    }

    void otherSchemesShowTheLevelsTheGroupUses()
    {
        auto source = outlierSource();
        Result<GroupInspection> group = inspectGroup(*source, 0, *parseScheme(QStringLiteral("nf4")), 0);
        QVERIFY(group);
        QVERIFY(!group->groupGridComplete);
        QVERIFY(!group->groupLevels.empty() && group->groupLevels.size() <= 16);
        for (float q : group->dequantized)
            QVERIFY(std::find(group->groupLevels.begin(), group->groupLevels.end(), double(q)) != group->groupLevels.end());
    }

    void badGroupOrTensorIsAClearError()
    {
        auto source = outlierSource();
        Result<GroupInspection> tooFar = inspectGroup(*source, 0, *parseScheme(QStringLiteral("int4:g64")), 4);
        QVERIFY(!tooFar);
        QVERIFY(tooFar.error().message.contains(QStringLiteral("out of range")));
        QVERIFY(!inspectGroup(*source, 3, *parseScheme(QStringLiteral("int4:g64")), 0));
        // q4_k needs rows that are whole 256-element super-blocks; these rows hold 128.
        Result<GroupInspection> q4k = inspectGroup(*source, 0, *parseScheme(QStringLiteral("q4_k")), 0);
        QVERIFY(!q4k);
        QVERIFY(q4k.error().message.contains(QStringLiteral("256")));
    }

    void sweepTableHasEveryGranularityAndBitWidth()
    {
        const QStringList names = bitWidthSweepSchemeNames();
        QCOMPARE(names.size(), 35);
        QCOMPARE(names.first(), QStringLiteral("int2:tensor"));
        QCOMPARE(names.last(), QStringLiteral("int8:g32"));
        for (const QString& name : names) {
            Result<Scheme> scheme = parseScheme(name);
            QVERIFY2(scheme, qPrintable(name));
            QCOMPARE(scheme->name, name);  // canonical spelling, so results are found by name
        }
    }

    void sweepReadsTheEnginesFiguresPerTensorAndModel()
    {
        auto source = outlierSource();
        AnalysisRequest request;
        for (const QString& name : bitWidthSweepSchemeNames())
            request.schemes.push_back(*parseScheme(name));
        request.errorHistograms = false;
        Result<AnalysisResult> result = analyzeWeights(*source, request);
        QVERIFY(result);
        const BitWidthSweep tensor = bitWidthSweepFrom(*result, 0);
        const BitWidthSweep model = bitWidthSweepFrom(*result, -1);
        QCOMPARE(tensor.params, qint64(256));
        for (std::size_t g = 0; g < 5; ++g)
            for (std::size_t b = 0; b < 7; ++b) {
                const QString name = QStringLiteral("int%1:%2").arg(b + 2).arg(tensor.granularities[qsizetype(g)]);
                const auto& metrics = result->tensors[0].results[std::size_t(names(name))];
                QCOMPARE(tensor.rmse[g][b], metrics.error.rmse());
                QCOMPARE(model.rmse[g][b], tensor.rmse[g][b]);  // one tensor: model = tensor
            }
        // The outlier stretches one tensor-wide scale: at 3 bits groups of 32 do far better.
        QVERIFY(tensor.rmse[4][1] < 0.5 * tensor.rmse[0][1]);
        // More bits never add error, at any granularity (with the outlier, int2 and int3 per
        // tensor both round the whole bulk to zero: equal).
        for (std::size_t g = 0; g < 5; ++g)
            for (std::size_t b = 1; b < 7; ++b)
                QVERIFY(tensor.rmse[g][b] <= tensor.rmse[g][b - 1]);
    }

private:
    static int names(const QString& name) { return int(bitWidthSweepSchemeNames().indexOf(name)); }
};

QTEST_MAIN(GroupInspectionTest)
#include "test_group_inspection.moc"
