#include "core/distill/distillation_playground.h"

#include "core/distill/logit_validation.h"
#include "core/distill/mlp_classifier.h"

#include <cmath>
#include <numeric>

namespace cstudio::distill {

namespace {
// Row-wise softmax of logits / τ, stabilised by subtracting each row's maximum.
Eigen::MatrixXd rowSoftmax(const Eigen::MatrixXd& logits, double temperature)
{
    Eigen::MatrixXd scaled = logits / temperature;
    scaled = scaled.colwise() - scaled.rowwise().maxCoeff();
    Eigen::MatrixXd probabilities = scaled.array().exp().matrix();
    return probabilities.array().colwise() / probabilities.rowwise().sum().array();
}

Eigen::MatrixXd oneHot(const std::vector<int>& labels, int classes)
{
    Eigen::MatrixXd matrix = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(labels.size()), classes);
    for (size_t i = 0; i < labels.size(); ++i)
        matrix(static_cast<Eigen::Index>(i), labels[i]) = 1.0;
    return matrix;
}

struct Evaluation {
    double accuracy = 0.0, crossEntropy = 0.0;
};

Evaluation evaluate(const MlpClassifier& model, const LabelledImages& images)
{
    const Eigen::MatrixXd logits = model.logits(images.features);
    Evaluation result;
    for (Eigen::Index r = 0; r < logits.rows(); ++r) {
        Eigen::Index predicted = 0;
        const double largest = logits.row(r).maxCoeff(&predicted);
        const double logNormalizer = largest + std::log((logits.row(r).array() - largest).exp().sum());
        result.crossEntropy += logNormalizer - logits(r, images.labels[r]);
        if (predicted == images.labels[r])
            result.accuracy += 1.0;
    }
    result.accuracy /= static_cast<double>(logits.rows());
    result.crossEntropy /= static_cast<double>(logits.rows());
    return result;
}

StudentEpoch studentEpoch(const MlpClassifier& model, const LabelledImages& train, const LabelledImages& test)
{
    const Evaluation onTrain = evaluate(model, train), onTest = evaluate(model, test);
    return { onTrain.accuracy, onTest.accuracy, onTrain.crossEntropy, onTest.crossEntropy };
}

std::vector<int> shuffled(int count, SeededRandom& random)
{
    std::vector<int> order(count);
    std::iota(order.begin(), order.end(), 0);
    for (int i = count - 1; i > 0; --i)
        std::swap(order[i], order[random.below(static_cast<std::uint64_t>(i) + 1)]);
    return order;
}

Eigen::MatrixXd rows(const Eigen::MatrixXd& matrix, const std::vector<int>& order, size_t begin, size_t end)
{
    Eigen::MatrixXd batch(static_cast<Eigen::Index>(end - begin), matrix.cols());
    for (size_t i = begin; i < end; ++i)
        batch.row(static_cast<Eigen::Index>(i - begin)) = matrix.row(order[i]);
    return batch;
}
} // namespace

Result<void> validatePlaygroundConfig(const PlaygroundConfig& config, int imageCount)
{
    auto fail = [](const QString& message) { return Result<void>(Error { {}, -1, message }); };
    if (auto check = validateTemperature(config.temperature); !check)
        return check;
    if (!(config.alpha >= 0.0 && config.alpha <= 1.0))
        return fail(QStringLiteral("alpha %1 is outside [0, 1]").arg(config.alpha));
    if (config.epochs < 1 || config.epochs > 10000)
        return fail(QStringLiteral("epochs %1 is outside 1..10000").arg(config.epochs));
    if (config.teacherEpochs < 1 || config.teacherEpochs > 10000)
        return fail(QStringLiteral("teacher epochs %1 is outside 1..10000").arg(config.teacherEpochs));
    if (config.testSamples < 1 || config.testSamples >= imageCount)
        return fail(QStringLiteral("test images %1 must be between 1 and %2")
                        .arg(config.testSamples)
                        .arg(imageCount - 1));
    const int pool = imageCount - config.testSamples;
    if (config.trainSamples < 1 || config.trainSamples > pool)
        return fail(
            QStringLiteral("student training images %1 must be between 1 and %2 (the %3 images minus the "
                           "%4 test images)")
                .arg(config.trainSamples)
                .arg(pool)
                .arg(imageCount)
                .arg(config.testSamples));
    if (config.teacherHidden < 1 || config.teacherHidden > 4096 || config.studentHidden < 0
        || config.studentHidden > 4096)
        return fail(QStringLiteral("hidden layer widths must be 1..4096 (teacher) and 0..4096 (student)"));
    if (!(config.learningRate > 0.0 && config.learningRate < 10.0))
        return fail(QStringLiteral("learning rate %1 must be in (0, 10)").arg(config.learningRate));
    if (config.batchSize < 1)
        return fail(QStringLiteral("batch size %1 must be at least 1").arg(config.batchSize));
    return {};
}

Result<PlaygroundResult> runDistillationPlayground(const PlaygroundConfig& config, const JobControl& control,
    const std::function<void(const PlaygroundResult&)>& onEpoch)
{
    Result<LabelledImages> digits = loadDigits();
    if (!digits)
        return digits.error();
    return runDistillationPlayground(*digits, config, control, onEpoch);
}

Result<PlaygroundResult> runDistillationPlayground(const LabelledImages& images,
    const PlaygroundConfig& config, const JobControl& control,
    const std::function<void(const PlaygroundResult&)>& onEpoch)
{
    const int imageCount = static_cast<int>(images.labels.size());
    if (auto check = validatePlaygroundConfig(config, imageCount); !check)
        return check.error();
    const int classes = images.classCount;

    // Split: a seeded shuffle; the first testSamples images are the test set, the rest train
    // the teacher, and the first trainSamples of those are all the students ever see.
    SeededRandom random(config.seed);
    const std::vector<int> order = shuffled(imageCount, random);
    const std::vector<int> testIndices(order.begin(), order.begin() + config.testSamples);
    const std::vector<int> teacherIndices(order.begin() + config.testSamples, order.end());
    const std::vector<int> studentIndices(
        teacherIndices.begin(), teacherIndices.begin() + config.trainSamples);
    const LabelledImages test = selectRows(images, testIndices);
    const LabelledImages teacherTrain = selectRows(images, teacherIndices);
    const LabelledImages studentTrain = selectRows(images, studentIndices);

    PlaygroundResult result;
    result.config = config;
    result.teacherTrainImages = static_cast<int>(teacherIndices.size());
    result.studentTrainImages = config.trainSamples;
    result.testImages = config.testSamples;
    const double totalWork = config.teacherEpochs + config.epochs;

    auto trainEpoch = [&](MlpClassifier& model, const Eigen::MatrixXd& inputs,
                          const Eigen::MatrixXd& hardTargets, const Eigen::MatrixXd* softTargets,
                          SeededRandom& batchRandom) {
        const std::vector<int> batchOrder = shuffled(static_cast<int>(inputs.rows()), batchRandom);
        for (size_t begin = 0; begin < batchOrder.size(); begin += config.batchSize) {
            if (control.cancelled())
                return false;
            const size_t end = std::min(batchOrder.size(), begin + config.batchSize);
            const Eigen::MatrixXd x = rows(inputs, batchOrder, begin, end);
            const Eigen::MatrixXd logits = model.logits(x);
            // ∂CE/∂z = p(1) − y; ∂(τ²·KL)/∂z = τ·(p_S(τ) − p_T(τ)) (see distillation_loss.h).
            Eigen::MatrixXd gradient = rowSoftmax(logits, 1.0) - rows(hardTargets, batchOrder, begin, end);
            if (softTargets) {
                const Eigen::MatrixXd soft
                    = rowSoftmax(logits, config.temperature) - rows(*softTargets, batchOrder, begin, end);
                gradient = config.alpha * config.temperature * soft + (1.0 - config.alpha) * gradient;
            }
            model.step(x, gradient / static_cast<double>(end - begin), config.learningRate);
        }
        return true;
    };

    // The teacher.
    MlpClassifier teacher(64, config.teacherHidden, classes, random);
    result.teacherParameters = teacher.parameterCount();
    const Eigen::MatrixXd teacherTargets = oneHot(teacherTrain.labels, classes);
    for (int epoch = 1; epoch <= config.teacherEpochs; ++epoch) {
        control.report(epoch / totalWork,
            QStringLiteral("teacher: epoch %1 of %2").arg(epoch).arg(config.teacherEpochs));
        if (!trainEpoch(teacher, teacherTrain.features, teacherTargets, nullptr, random)) {
            result.cancelled = true;
            return result;
        }
    }
    result.teacherTrainAccuracy = evaluate(teacher, teacherTrain).accuracy;
    result.teacherTestAccuracy = evaluate(teacher, test).accuracy;

    // The two students: identical initial weights (copies) and identical batch orders (two
    // generators with the same seed), so only their targets differ.
    const MlpClassifier initialStudent(64, config.studentHidden, classes, random);
    MlpClassifier hardStudent = initialStudent, softStudent = initialStudent;
    result.studentParameters = initialStudent.parameterCount();
    const std::uint64_t batchSeed = config.seed * 0x9E3779B97F4A7C15ull + 1;
    SeededRandom hardBatches(batchSeed), softBatches(batchSeed);
    const Eigen::MatrixXd hardTargets = oneHot(studentTrain.labels, classes);
    const Eigen::MatrixXd softTargets = rowSoftmax(teacher.logits(studentTrain.features), config.temperature);
    for (int epoch = 1; epoch <= config.epochs; ++epoch) {
        control.report((config.teacherEpochs + epoch) / totalWork,
            QStringLiteral("students: epoch %1 of %2").arg(epoch).arg(config.epochs));
        if (!trainEpoch(hardStudent, studentTrain.features, hardTargets, nullptr, hardBatches)
            || !trainEpoch(softStudent, studentTrain.features, hardTargets, &softTargets, softBatches)) {
            result.cancelled = true;
            return result;
        }
        result.epochs.push_back({ epoch, studentEpoch(hardStudent, studentTrain, test),
            studentEpoch(softStudent, studentTrain, test) });
        if (onEpoch)
            onEpoch(result);
    }
    return result;
}

} // namespace cstudio::distill
