// The built-in demo model is transformer-shaped, deterministic, cheap to read at any offset,
// and statistically like real weights: σ ≈ 0.02 bulk, rare ×6 outliers, wider embeddings.
#include "core/analysis/weight_statistics.h"
#include "core/formats/demo_model.h"
#include "core/formats/weights_loader.h"

#include <QTest>
#include <future>
#include <set>

using namespace cstudio;

namespace {
int indexOf(const TensorSource& source, const QString& name)
{
    const auto& tensors = source.tensors();
    for (std::size_t i = 0; i < tensors.size(); ++i)
        if (tensors[i].name == name)
            return int(i);
    return -1;
}
}  // namespace

class TestDemoModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void hasTransformerStructure()
    {
        auto model = makeDemoModel();
        std::set<int> layers;
        std::set<QString> roles;
        qint64 parameters = 0;
        for (const TensorInfo& info : model->tensors()) {
            if (info.layer >= 0)
                layers.insert(info.layer);
            roles.insert(info.role);
            parameters += info.elementCount;
            QVERIFY(info.decodable);
        }
        QCOMPARE(int(layers.size()), 8);
        for (const char* role : {"embedding", "attn_q", "attn_k", "attn_v", "attn_o", "mlp_up", "mlp_gate", "mlp_down",
                                 "norm", "lm_head"})
            QVERIFY2(roles.count(QString::fromLatin1(role)), role);
        QCOMPARE(parameters, 2 * 4096 * 512 + 8 * (4 * 512 * 512 + 3 * 1408 * 512 + 2 * 512) + 512);
        const auto& q = model->tensors()[std::size_t(indexOf(*model, QStringLiteral("model.layers.0.self_attn.q_proj.weight")))];
        QCOMPARE(q.shape, (std::vector<qint64>{512, 512}));
    }

    void opensThroughTheLoader()
    {
        auto model = openWeights(kDemoModelPath);
        QVERIFY(model);
        QCOMPARE(model.value()->displayName(), QStringLiteral("Demo model"));
    }

    void isDeterministicAndSliceConsistent()
    {
        auto a = makeDemoModel(), b = makeDemoModel();
        const int index = indexOf(*a, QStringLiteral("model.layers.3.mlp.up_proj.weight"));
        std::vector<float> whole(5000), again(5000), slice(100);
        QVERIFY(a->readFloats(index, 1000, whole).ok());
        QVERIFY(b->readFloats(index, 1000, again).ok());
        QCOMPARE(whole, again);
        QVERIFY(a->readFloats(index, 1500, slice).ok());
        QVERIFY(std::equal(slice.begin(), slice.end(), whole.begin() + 500));
        // Different tensors hold different values.
        const int other = indexOf(*a, QStringLiteral("model.layers.4.mlp.up_proj.weight"));
        QVERIFY(b->readFloats(other, 1000, again).ok());
        QVERIFY(whole != again);
    }

    void isSafeToReadFromSeveralThreads()
    {
        auto model = makeDemoModel();
        std::vector<float> expected(100000);
        QVERIFY(model->readFloats(0, 0, expected).ok());
        auto readAgain = [&] {
            std::vector<float> values(100000);
            return model->readFloats(0, 0, values).ok() && values == expected;
        };
        auto f1 = std::async(std::launch::async, readAgain), f2 = std::async(std::launch::async, readAgain);
        QVERIFY(f1.get() && f2.get());
    }

    void weightsLookLikeRealWeights()
    {
        auto model = makeDemoModel();
        auto k = computeTensorStatistics(*model, indexOf(*model, QStringLiteral("model.layers.2.self_attn.k_proj.weight")));
        QVERIFY(k);
        // σ = 0.02, inflated by the 0.4 % ×6 outliers (×√(1 + 0.004·35)) and 3 of 512 channels ×4.
        QVERIFY2(k->standardDeviation > 0.019 && k->standardDeviation < 0.025, qPrintable(QString::number(k->standardDeviation)));
        QVERIFY(std::abs(k->mean) < 0.001);
        QVERIFY(k->excessKurtosis > 3.0);  // heavy tails
        QVERIFY(k->shareBeyond6Sigma > 0.0005 && k->shareBeyond6Sigma < 0.01);
        auto embedding = computeTensorStatistics(*model, 0);
        QVERIFY(embedding);
        QVERIFY(embedding->standardDeviation > 0.045);
        auto norm = computeTensorStatistics(*model, indexOf(*model, QStringLiteral("model.norm.weight")));
        QVERIFY(norm);
        QVERIFY(std::abs(norm->mean - 1.0) < 0.05);
    }

    void outOfRangeReadsAreErrors()
    {
        auto model = makeDemoModel();
        std::vector<float> values(10);
        QVERIFY(!model->readFloats(999, 0, values).ok());
        QVERIFY(!model->readFloats(0, model->tensors()[0].elementCount - 5, values).ok());
        QVERIFY(!model->readFloats(0, -1, values).ok());
    }
};

QTEST_APPLESS_MAIN(TestDemoModel)
#include "test_demo_model.moc"
