// The direct answers: largest context that fits, best catalog format for a budget.
#include "core/budget/budget_answers.h"

#include <QtTest>
#include <cmath>

using namespace cstudio;
using namespace cstudio::budget;

class TestBudgetAnswers : public QObject {
    Q_OBJECT
private:
    static ModelSpec model(const char* id) { return *findModel(*builtinModels(), QLatin1String(id)); }
    static DeviceSpec device(const char* id) { return *findDevice(*builtinDevices(), QLatin1String(id)); }

private Q_SLOTS:
    void maxContextIsWhatTheKvBudgetLeaves();
    void maxContextStopsAtTheModelsLimit();
    void maxContextIsZeroWhenTheWeightsDoNotFit();
    void maxContextOfASlidingModelUsesOnlyGlobalLayersPastTheWindow();
    void bestFormatIsTheWidestThatFitsTheBudget();
    void bestFormatIsNoneWhenNothingFits();
    void answersRejectInvalidInput();
};

void TestBudgetAnswers::maxContextIsWhatTheKvBudgetLeaves()
{
    // Llama 3.1 8B in BF16 on one RTX 4090: 24 GB / 1.2 = 20 GB usable, 16.06 GB of weights,
    // 2 x 32 x 8 x 128 x 2 = 131072 bytes of KV per token.
    BudgetInput input;
    input.model = model("llama-3.1-8b");
    input.device = device("rtx-4090");
    input.bitsPerWeight = 16;
    Result<MaxContextAnswer> answer = maxContext(input);
    QVERIFY(answer);
    const double expected = std::floor((24e9 / 1.2 - 8.030e9 * 2) / 131072.0);
    QCOMPARE(static_cast<double>(answer->tokens), expected);
    QVERIFY(answer->weightsFit && !answer->limitedByModel);
    // Two sequences share the budget: half the context each.
    input.batch = 2;
    QCOMPARE(static_cast<double>(maxContext(input)->tokens), std::floor((24e9 / 1.2 - 8.030e9 * 2) / (2 * 131072.0)));
}

void TestBudgetAnswers::maxContextStopsAtTheModelsLimit()
{
    BudgetInput input;
    input.model = model("llama-3.2-1b");
    input.device = device("h100-sxm");
    input.bitsPerWeight = 16;
    Result<MaxContextAnswer> answer = maxContext(input);
    QVERIFY(answer);
    QCOMPARE(answer->tokens, qint64(131072));
    QVERIFY(answer->limitedByModel);
}

void TestBudgetAnswers::maxContextIsZeroWhenTheWeightsDoNotFit()
{
    BudgetInput input;
    input.model = model("llama-3.1-70b");
    input.device = device("rtx-4090");
    input.bitsPerWeight = 4;
    Result<MaxContextAnswer> answer = maxContext(input);
    QVERIFY(answer);
    QVERIFY(!answer->weightsFit);
    QCOMPARE(answer->tokens, qint64(0));
}

void TestBudgetAnswers::maxContextOfASlidingModelUsesOnlyGlobalLayersPastTheWindow()
{
    // Gemma 3 27B at 4 bits on one L40S (48 GB): past the 1024 window only 10 of 62 layers grow.
    BudgetInput input;
    input.model = model("gemma-3-27b");
    input.device = device("l40s");
    input.bitsPerWeight = 4;
    Result<MaxContextAnswer> answer = maxContext(input);
    QVERIFY(answer);
    const double perTokenLayer = 2.0 * 16 * 128 * 2;
    const double usable = 48e9 / 1.2 - 27.432e9 * 0.5 - 52 * 1024 * perTokenLayer;
    const double expected = std::min(131072.0, std::floor(usable / (10 * perTokenLayer)));
    QCOMPARE(static_cast<double>(answer->tokens), expected);
}

void TestBudgetAnswers::bestFormatIsTheWidestThatFitsTheBudget()
{
    // Llama 3.1 70B on one H100 at 8192 tokens: 80 / 1.2 = 66.7 GB minus 2.68 GB of KV leaves
    // room for 7.25 bits per weight: Q6_K (6.5625) is the widest format that fits.
    BudgetInput input;
    input.model = model("llama-3.1-70b");
    input.device = device("h100-sxm");
    input.contextTokens = 8192;
    Result<BestFormatAnswer> answer = bestFormat(*builtinFormats(), input, 80);
    QVERIFY(answer);
    QVERIFY(answer->format);
    QCOMPARE(answer->format->id, QStringLiteral("q6_k"));
    QVERIFY(answer->requiredGB <= 80);
    // Two H100s: (141.1 + 2.7) x 1.2 = 172.6 GB of 16-bit does not fit 160 GB; Q8_0 does.
    answer = bestFormat(*builtinFormats(), input, 160);
    QCOMPARE(answer->format->id, QStringLiteral("q8_0"));
    // Four H100s: 16-bit fits, and never FP32 (checkpoints ship in 16 bits).
    answer = bestFormat(*builtinFormats(), input, 320);
    QCOMPARE(answer->format->bitsPerWeight, 16.0);
}

void TestBudgetAnswers::bestFormatIsNoneWhenNothingFits()
{
    BudgetInput input;
    input.model = model("llama-3.1-405b");
    input.device = device("rtx-4090");
    Result<BestFormatAnswer> answer = bestFormat(*builtinFormats(), input, 24);
    QVERIFY(answer);
    QVERIFY(!answer->format);
    QVERIFY(answer->text.contains(QStringLiteral("No catalog format fits")));
}

void TestBudgetAnswers::answersRejectInvalidInput()
{
    BudgetInput input;
    input.model = customModel(QStringLiteral("bad"), -1);
    input.device = genericDevice(80);
    QVERIFY(!maxContext(input));
    QVERIFY(!bestFormat(*builtinFormats(), input, 80));
    input.model = customModel(QStringLiteral("ok"), 7e9);
    QVERIFY(!bestFormat(*builtinFormats(), input, 0));
    QVERIFY(!bestFormat(*builtinFormats(), input, std::nan("")));
    // A custom model without a shape: context is not bounded by memory.
    Result<MaxContextAnswer> unbounded = maxContext(input);
    QVERIFY(unbounded && unbounded->unlimited);
}

QTEST_GUILESS_MAIN(TestBudgetAnswers)
#include "test_budget_answers.moc"
