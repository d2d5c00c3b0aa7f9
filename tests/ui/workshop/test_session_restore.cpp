// Sessions: every page's state round-trips through a .cstudio file; a session whose model file
// has gone says so and restores the rest; a page this build lacks is reported, not fatal.
#include "ui/session/session_state.h"
#include "ui/studio_page.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace cstudio;
using namespace cstudio::ui;

namespace {
// A page with the kinds of state real pages keep: a slider, a chosen file, a list, logits.
class RecordingPage : public StudioPage {
public:
    double bits = 16;
    QString modelFile;
    QStringList schemes;
    QJsonArray logits;

    QJsonObject saveState() const override
    {
        return {{QStringLiteral("bits"), bits},
                {QStringLiteral("modelFile"), modelFile},
                {QStringLiteral("schemes"), QJsonArray::fromStringList(schemes)},
                {QStringLiteral("logits"), logits}};
    }
    void restoreState(const QJsonObject& state, QStringList* warnings) override
    {
        if (state.contains(QStringLiteral("bits")))
            bits = state.value(QStringLiteral("bits")).toDouble();
        if (state.contains(QStringLiteral("modelFile"))) {
            const QString file = state.value(QStringLiteral("modelFile")).toString();
            if (!file.isEmpty() && !QFileInfo::exists(file))
                warnings->append(QStringLiteral("the model file %1 no longer exists; the page keeps its current model").arg(file));
            else
                modelFile = file;
        }
        if (state.contains(QStringLiteral("schemes"))) {
            schemes.clear();
            for (const QJsonValue& scheme : state.value(QStringLiteral("schemes")).toArray())
                schemes.append(scheme.toString());
        }
        if (state.contains(QStringLiteral("logits")))
            logits = state.value(QStringLiteral("logits")).toArray();
    }
};
}  // namespace

class TestSessionRestore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyPagesStateRoundTripsThroughAFile()
    {
        QTemporaryDir dir;
        const QString model = dir.filePath(QStringLiteral("model.safetensors"));
        QFile(model).open(QIODevice::WriteOnly);
        RecordingPage quant, distill;
        quant.bits = 4.25;
        quant.modelFile = model;
        quant.schemes = {QStringLiteral("int4:tensor"), QStringLiteral("int4:g64")};
        distill.logits = QJsonArray{9, 6.5, 4, 2.5, 1, -4};
        const QString path = dir.filePath(QStringLiteral("class.cstudio"));
        QVERIFY(writeSessionFile(path, captureSession({{QStringLiteral("Quant Lab"), &quant}, {QStringLiteral("Distillation"), &distill}},
                                                      QStringLiteral("Quant Lab")))
                    .ok());

        RecordingPage quantAgain, distillAgain;
        const Result<SessionDocument> session = readSessionFile(path);
        QVERIFY(session.ok());
        QCOMPARE(session->currentPage, QStringLiteral("Quant Lab"));
        const QStringList warnings = restoreSession(*session, {{QStringLiteral("Quant Lab"), &quantAgain},
                                                               {QStringLiteral("Distillation"), &distillAgain}});
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(QLatin1Char('\n'))));
        QCOMPARE(quantAgain.saveState(), quant.saveState());
        QCOMPARE(distillAgain.saveState(), distill.saveState());
    }

    void aMissingModelFileIsReportedAndTheRestIsKept()
    {
        QTemporaryDir dir;
        const QString model = dir.filePath(QStringLiteral("gone.gguf"));
        QFile(model).open(QIODevice::WriteOnly);
        RecordingPage page;
        page.bits = 3;
        page.modelFile = model;
        page.schemes = {QStringLiteral("nf4")};
        const SessionDocument session = captureSession({{QStringLiteral("Quant Lab"), &page}}, {});
        QVERIFY(QFile::remove(model));

        RecordingPage restored;
        const QStringList warnings = restoreSession(session, {{QStringLiteral("Quant Lab"), &restored}});
        QCOMPARE(warnings.size(), 1);
        QVERIFY(warnings[0].startsWith(QStringLiteral("Quant Lab: the model file ")));
        QVERIFY(warnings[0].contains(model));
        QCOMPARE(restored.bits, 3.0);
        QCOMPARE(restored.schemes, QStringList{QStringLiteral("nf4")});
        QVERIFY(restored.modelFile.isEmpty());
    }

    void aPageThisBuildLacksIsReportedByName()
    {
        SessionDocument session;
        session.pages.insert(QStringLiteral("Pruning"), QJsonObject{{QStringLiteral("sparsity"), 0.5}});
        RecordingPage page;
        const QStringList warnings = restoreSession(session, {{QStringLiteral("Budget"), &page}});
        QCOMPARE(warnings.size(), 1);
        QVERIFY(warnings[0].contains(QStringLiteral("\"Pruning\" page")));
    }
};

QTEST_GUILESS_MAIN(TestSessionRestore)
#include "test_session_restore.moc"
