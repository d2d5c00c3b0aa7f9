// Seed 000's bill ("The bill, bit by bit"), MoE speed, cost and invalid input.
#include "core/budget/budget_estimate.h"
#include "core/budget/budget_math.h"
#include "core/budget/device_catalog.h"
#include "core/budget/model_catalog.h"

#include <QtTest>
#include <cmath>
#include <limits>

using namespace cstudio;
using namespace cstudio::budget;

class TestBudgetMath : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void seventyBillionParametersGiveTheSeedTable_data();
    void seventyBillionParametersGiveTheSeedTable();
    void devicesNeededRoundsUpAfterOverhead();
    void timesSmallerThan16BitIsSixteenOverBits();
    void moeSpeedReadsOnlyActiveWeightsButMemoryHoldsAll();
    void denseSpeedIsBandwidthOverWeightBytes();
    void costFollowsDevicesNeededAndTheSpeedBound();
    void unknownBandwidthOrPriceGivesNoSpeedOrCost();
    void verdictSaysFitsOffloadedOrShort();
    void invalidInputIsAnErrorNeverANumber_data();
    void invalidInputIsAnErrorNeverANumber();
    void seedFunctionsRejectInvalidInput();
};

void TestBudgetMath::seventyBillionParametersGiveTheSeedTable_data()
{
    QTest::addColumn<double>("bits");
    QTest::addColumn<double>("gigabytes");
    QTest::addColumn<int>("gpus");
    // Seed 000's printed output: 280.0 -> 5, 140.0 -> 3, 70.0 -> 2, 35.0 -> 1.
    QTest::newRow("32-bit") << 32.0 << 280.0 << 5;
    QTest::newRow("16-bit") << 16.0 << 140.0 << 3;
    QTest::newRow("8-bit") << 8.0 << 70.0 << 2;
    QTest::newRow("4-bit") << 4.0 << 35.0 << 1;
}

void TestBudgetMath::seventyBillionParametersGiveTheSeedTable()
{
    QFETCH(double, bits);
    QFETCH(double, gigabytes);
    QFETCH(int, gpus);
    Result<double> bytes = weightBytes(70e9, bits);
    QVERIFY(bytes);
    QCOMPARE(*bytes / kBytesPerGB, gigabytes);
    Result<int> devices = devicesNeeded(*bytes, 80, 0.20);
    QVERIFY(devices);
    QCOMPARE(*devices, gpus);

    BudgetInput input;
    input.model = customModel(QStringLiteral("70B"), 70e9);
    input.bitsPerWeight = bits;
    input.device = genericDevice(80);
    Result<BudgetEstimate> estimate = estimateBudget(input);
    QVERIFY(estimate);
    QCOMPARE(estimate->weightsGB, gigabytes);
    QCOMPARE(estimate->kvGB, 0.0);
    QCOMPARE(estimate->devicesNeeded, gpus);
}

void TestBudgetMath::devicesNeededRoundsUpAfterOverhead()
{
    // 80 GB x 1.2 = 96 GB needs 2 devices of 80 GB; 66 GB x 1.2 = 79.2 needs one.
    QCOMPARE(*devicesNeeded(80e9, 80, 0.2), 2);
    QCOMPARE(*devicesNeeded(66e9, 80, 0.2), 1);
    QCOMPARE(*devicesNeeded(80e9, 80, 0.0), 1);
    QCOMPARE(*devicesNeeded(1, 80, 0.2), 1);
}

void TestBudgetMath::timesSmallerThan16BitIsSixteenOverBits()
{
    QCOMPARE(*timesSmallerThan16Bit(4), 4.0);
    QCOMPARE(*timesSmallerThan16Bit(32), 0.5);
    QCOMPARE(*timesSmallerThan16Bit(4.5), 16.0 / 4.5);
}

void TestBudgetMath::moeSpeedReadsOnlyActiveWeightsButMemoryHoldsAll()
{
    const auto& models = builtinModels();
    QVERIFY2(models, qPrintable(models ? QString() : models.error().toString()));
    const ModelSpec* mixtral = findModel(*models, QStringLiteral("mixtral-8x7b"));
    QVERIFY(mixtral);
    BudgetInput input;
    input.model = *mixtral;
    input.bitsPerWeight = 4;
    input.device = genericDevice(80);
    input.device.bandwidthGBs = 3350;
    Result<BudgetEstimate> estimate = estimateBudget(input);
    QVERIFY(estimate);
    // Memory holds all 46.7 B parameters ...
    QCOMPARE(estimate->weightsGB, 46.703e9 * 4 / 8 / 1e9);
    // ... but each token reads only the 12.9 B active ones: 3350 GB/s / 6.44 GB = 520 tok/s,
    // not the 143 tok/s a dense model of the same size would get.
    QVERIFY(estimate->tokensPerSecond);
    QCOMPARE(*estimate->tokensPerSecond, 3350e9 / (12.879e9 * 0.5));
    QVERIFY(*estimate->tokensPerSecond > 3.5 * 3350e9 / (46.703e9 * 0.5));
}

void TestBudgetMath::denseSpeedIsBandwidthOverWeightBytes()
{
    BudgetInput input;
    input.model = customModel(QStringLiteral("70B"), 70e9);
    input.bitsPerWeight = 4;  // 35 GB, one 80 GB device
    input.device = genericDevice(80);
    input.device.bandwidthGBs = 3350;
    input.batch = 4;
    Result<BudgetEstimate> estimate = estimateBudget(input);
    QVERIFY(estimate);
    QCOMPARE(estimate->devicesNeeded, 1);
    QCOMPARE(*estimate->stepsPerSecond, 3350e9 / 35e9);
    // Four sequences share each read of the weights.
    QCOMPARE(*estimate->tokensPerSecond, 4 * 3350e9 / 35e9);
}

void TestBudgetMath::costFollowsDevicesNeededAndTheSpeedBound()
{
    BudgetInput input;
    input.model = customModel(QStringLiteral("70B"), 70e9);
    input.bitsPerWeight = 16;  // 140 GB -> 3 devices
    input.device = genericDevice(80);
    input.device.bandwidthGBs = 2000;
    input.device.pricePerHour = 2.0;
    Result<BudgetEstimate> estimate = estimateBudget(input);
    QVERIFY(estimate);
    QCOMPARE(estimate->devicesNeeded, 3);
    QCOMPARE(*estimate->costPerHour, 6.0);
    QCOMPARE(*estimate->costPerMonth, 6.0 * 730);
    const double tokensPerSecond = 3 * 2000e9 / 140e9;
    QCOMPARE(*estimate->tokensPerSecond, tokensPerSecond);
    QCOMPARE(*estimate->costPerMillionTokens, 6.0 / (tokensPerSecond * 3600) * 1e6);
}

void TestBudgetMath::unknownBandwidthOrPriceGivesNoSpeedOrCost()
{
    BudgetInput input;
    input.model = customModel(QStringLiteral("7B"), 7e9);
    input.device = genericDevice(24);
    Result<BudgetEstimate> estimate = estimateBudget(input);
    QVERIFY(estimate);
    QVERIFY(!estimate->tokensPerSecond);
    QVERIFY(!estimate->costPerHour);
    QVERIFY(!estimate->costPerMillionTokens);
}

void TestBudgetMath::verdictSaysFitsOffloadedOrShort()
{
    BudgetInput input;
    input.model = customModel(QStringLiteral("70B"), 70e9);
    input.bitsPerWeight = 8;  // 70 GB x 1.2 = 84 GB
    input.device = genericDevice(80);
    input.systemRamGB = 64;
    Result<BudgetEstimate> estimate = estimateBudget(input);
    QVERIFY(estimate);
    QCOMPARE(estimate->verdict.kind, FitKind::FitsWithOffload);
    QVERIFY(std::abs(estimate->verdict.offloadGB - 4.0) < 1e-9);
    QVERIFY(estimate->verdict.text.contains(QStringLiteral("4.0 GB offloaded")));

    input.systemRamGB = 0;
    estimate = estimateBudget(input);
    QCOMPARE(estimate->verdict.kind, FitKind::DoesNotFit);
    QVERIFY(std::abs(estimate->verdict.shortfallGB - 4.0) < 1e-9);

    input.deviceCount = 4;
    estimate = estimateBudget(input);
    QCOMPARE(estimate->verdict.kind, FitKind::FitsOnDevices);
    QCOMPARE(estimate->verdict.devicesUsed, 2);
    QCOMPARE(estimate->verdict.text, QStringLiteral("Fits on 2 of your 4 devices"));
}

void TestBudgetMath::invalidInputIsAnErrorNeverANumber_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("expectedWords");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    QTest::newRow("zero params") << "params" << 0.0 << "parameter count";
    QTest::newRow("negative params") << "params" << -7e9 << "parameter count";
    QTest::newRow("NaN params") << "params" << nan << "NaN";
    QTest::newRow("infinite params") << "params" << inf << "parameter count";
    QTest::newRow("0 GB device") << "memory" << 0.0 << "device memory";
    QTest::newRow("negative device") << "memory" << -80.0 << "device memory";
    QTest::newRow("0 bits") << "bits" << 0.0 << "bits per weight";
    QTest::newRow("1000 bits") << "bits" << 1000.0 << "bits per weight";
    QTest::newRow("NaN bits") << "bits" << nan << "bits per weight";
    QTest::newRow("negative context") << "context" << -1.0 << "context";
    QTest::newRow("zero batch") << "batch" << 0.0 << "batch";
    QTest::newRow("0 KV bits") << "kvBits" << 0.0 << "KV cache bits";
    QTest::newRow("negative overhead") << "overhead" << -0.1 << "overhead";
    QTest::newRow("negative RAM") << "ram" << -1.0 << "system RAM";
    QTest::newRow("negative bandwidth") << "bandwidth" << -1.0 << "bandwidth";
}

void TestBudgetMath::invalidInputIsAnErrorNeverANumber()
{
    QFETCH(QString, field);
    QFETCH(double, value);
    QFETCH(QString, expectedWords);
    BudgetInput input;
    input.model = customModel(QStringLiteral("70B"), 70e9);
    input.device = genericDevice(80);
    if (field == QLatin1String("params"))
        input.model = customModel(QStringLiteral("bad"), value, 0);
    else if (field == QLatin1String("memory"))
        input.device.memoryGB = value;
    else if (field == QLatin1String("bits"))
        input.bitsPerWeight = value;
    else if (field == QLatin1String("context"))
        input.contextTokens = value;
    else if (field == QLatin1String("batch"))
        input.batch = value;
    else if (field == QLatin1String("kvBits"))
        input.kvBits = value;
    else if (field == QLatin1String("overhead"))
        input.overhead = value;
    else if (field == QLatin1String("ram"))
        input.systemRamGB = value;
    else if (field == QLatin1String("bandwidth"))
        input.device.bandwidthGBs = value;
    Result<BudgetEstimate> estimate = estimateBudget(input);
    QVERIFY(!estimate);
    QVERIFY2(estimate.error().message.contains(expectedWords), qPrintable(estimate.error().message));
}

void TestBudgetMath::seedFunctionsRejectInvalidInput()
{
    QVERIFY(!weightBytes(0, 16));
    QVERIFY(!weightBytes(std::nan(""), 16));
    QVERIFY(!weightBytes(70e9, 0));
    QVERIFY(!weightBytes(70e9, 1000));
    QVERIFY(!devicesNeeded(70e9, 0));
    QVERIFY(!devicesNeeded(-1, 80));
    QVERIFY(!devicesNeeded(70e9, 80, std::nan("")));
    QVERIFY(!timesSmallerThan16Bit(0));
    QVERIFY(!decodeStepsPerSecond(0, 1e9));
    QVERIFY(!costPerMillionTokens(1, 0));
}

QTEST_GUILESS_MAIN(TestBudgetMath)
#include "test_budget_math.moc"
