// Our importer and softened softmax against NumPy on files NumPy wrote (make_distill_logits.py):
// a 150 000-logit vocabulary read from float32 .npy, summarised as top-10 + the rest, and
// extreme logits (±1e4) where a naive exp() would overflow.
#include "core/distill/logit_import.h"
#include "core/distill/softmax.h"
#include "core/distill/top_classes.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

using namespace cstudio::distill;

namespace {
QString fixture(const char* name)
{
    return QStringLiteral(CSTUDIO_FIXTURE_DIR "/") + QLatin1String(name);
}

QJsonObject expected()
{
    QFile file(fixture("distill_expected.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

bool close(double got, double want, double relative)
{
    return std::abs(got - want) <= relative * std::max(1e-300, std::abs(want));
}
} // namespace

class TestDistillConformance : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        if (expected().isEmpty())
            QSKIP("distill_expected.json missing: make_distill_logits.py needs numpy (see the fixture step's "
                  "log)");
    }

    void vocabularyOf150000LogitsMatchesNumpy()
    {
        const auto logits = importLogits(fixture("distill_vocab_150k.npy"));
        QVERIFY2(logits.ok(), qPrintable(logits.ok() ? QString() : logits.error().toString()));
        QCOMPARE(logits->logits.size(), size_t(150000));
        for (const QJsonValue& value : expected()[QStringLiteral("vocab_150k")].toArray()) {
            const QJsonObject row = value.toObject();
            const double tau = row[QStringLiteral("tau")].toDouble();
            const std::vector<double> p = softmax(logits->logits, tau);
            // NumPy sums pairwise, we sum in order: 150 000 terms agree to ~1e-12 relative.
            QVERIFY2(close(entropyBits(p), row[QStringLiteral("entropy_bits")].toDouble(), 1e-10),
                qPrintable(QStringLiteral("tau %1: H %2").arg(tau).arg(entropyBits(p), 0, 'g', 17)));
            const std::vector<int> top = topIndices(logits->logits, 10);
            const QJsonArray wantIndices = row[QStringLiteral("top_indices")].toArray();
            const QJsonArray wantP = row[QStringLiteral("top_p")].toArray();
            for (int i = 0; i < 10; ++i) {
                QCOMPARE(top[i], wantIndices[i].toInt());
                QVERIFY(close(p[top[i]], wantP[i].toDouble(), 1e-10));
            }
            QVERIFY(close(restProbability(p, top), row[QStringLiteral("rest_p")].toDouble(), 1e-9));
        }
    }

    void extremeLogitsMatchNumpyWithoutOverflow()
    {
        const auto logits = importLogits(fixture("distill_extreme.npy"));
        QVERIFY(logits.ok());
        for (const QJsonValue& value : expected()[QStringLiteral("extreme")].toArray()) {
            const QJsonObject row = value.toObject();
            const std::vector<double> p = softmax(logits->logits, row[QStringLiteral("tau")].toDouble());
            QVERIFY(std::abs(entropyBits(p) - row[QStringLiteral("entropy_bits")].toDouble()) < 1e-12);
            const QJsonArray indices = row[QStringLiteral("top_indices")].toArray();
            const QJsonArray wantP = row[QStringLiteral("top_p")].toArray();
            for (int i = 0; i < indices.size(); ++i)
                QVERIFY(std::abs(p[indices[i].toInt()] - wantP[i].toDouble()) < 1e-12);
        }
    }

    void cliSummarisesTheVocabularyAsTopKPlusTheRest()
    {
        QProcess process;
        process.start(QStringLiteral(CSTUDIO_CLI_PATH),
            { "distill", "--file", fixture("distill_vocab_150k.npy"), "--tau", "1,2", "--top", "5" });
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitCode(), 0);
        const QStringList lines
            = QString::fromUtf8(process.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        const QJsonObject tau1 = expected()[QStringLiteral("vocab_150k")][1].toObject();
        QVERIFY(lines[0].startsWith(QStringLiteral("tau= 1 H=%1 bits | class %2 ")
                                        .arg(tau1[QStringLiteral("entropy_bits")].toDouble(), 0, 'f', 3)
                                        .arg(tau1[QStringLiteral("top_indices")][0].toInt())));
        QVERIFY(lines[0].contains(QStringLiteral("(other 149995) ")));
    }
};

QTEST_GUILESS_MAIN(TestDistillConformance)
#include "test_distill_conformance.moc"
