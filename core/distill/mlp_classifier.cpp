#include "core/distill/mlp_classifier.h"

#include <QtGlobal>
#include <cmath>

namespace cstudio::distill {

void MlpClassifier::Parameter::init(Eigen::Index rows, Eigen::Index cols)
{
    value = Eigen::MatrixXd::Zero(rows, cols);
    firstMoment = Eigen::MatrixXd::Zero(rows, cols);
    secondMoment = Eigen::MatrixXd::Zero(rows, cols);
}

MlpClassifier::MlpClassifier(int inputs, int hiddenUnits, int classes, SeededRandom& random)
    : hiddenUnits_(hiddenUnits)
{
    // Glorot/Xavier uniform initialisation: U(±sqrt(6 / (fan_in + fan_out))).
    auto glorot = [&random](Eigen::MatrixXd& weights) {
        const double limit = std::sqrt(6.0 / static_cast<double>(weights.rows() + weights.cols()));
        for (Eigen::Index c = 0; c < weights.cols(); ++c)
            for (Eigen::Index r = 0; r < weights.rows(); ++r)
                weights(r, c) = (2.0 * random.uniform() - 1.0) * limit;
    };
    const int widthIntoOutput = hiddenUnits > 0 ? hiddenUnits : inputs;
    if (hiddenUnits > 0) {
        w1_.init(inputs, hiddenUnits);
        b1_.init(1, hiddenUnits);
        glorot(w1_.value);
    }
    w2_.init(widthIntoOutput, classes);
    b2_.init(1, classes);
    glorot(w2_.value);
}

qint64 MlpClassifier::parameterCount() const
{
    return w1_.value.size() + b1_.value.size() + w2_.value.size() + b2_.value.size();
}

Eigen::MatrixXd MlpClassifier::logits(const Eigen::MatrixXd& inputs) const
{
    if (hiddenUnits_ == 0)
        return (inputs * w2_.value).rowwise() + b2_.value.row(0);
    const Eigen::MatrixXd hidden = ((inputs * w1_.value).rowwise() + b1_.value.row(0)).cwiseMax(0.0);
    return (hidden * w2_.value).rowwise() + b2_.value.row(0);
}

void MlpClassifier::adam(Parameter& parameter, const Eigen::MatrixXd& gradient, double learningRate) const
{
    constexpr double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
    parameter.firstMoment = beta1 * parameter.firstMoment + (1.0 - beta1) * gradient;
    parameter.secondMoment = beta2 * parameter.secondMoment + (1.0 - beta2) * gradient.cwiseAbs2();
    const double correction1 = 1.0 - std::pow(beta1, steps_);
    const double correction2 = 1.0 - std::pow(beta2, steps_);
    parameter.value.array() -= learningRate * (parameter.firstMoment.array() / correction1)
        / ((parameter.secondMoment.array() / correction2).sqrt() + epsilon);
}

void MlpClassifier::step(
    const Eigen::MatrixXd& inputs, const Eigen::MatrixXd& logitGradient, double learningRate)
{
    ++steps_;
    if (hiddenUnits_ == 0) {
        const Eigen::MatrixXd gradientW = inputs.transpose() * logitGradient;
        const Eigen::MatrixXd gradientB = logitGradient.colwise().sum();
        adam(w2_, gradientW, learningRate);
        adam(b2_, gradientB, learningRate);
        return;
    }
    // Backpropagation through logits = relu(x W1 + b1) W2 + b2.
    const Eigen::MatrixXd preActivation = (inputs * w1_.value).rowwise() + b1_.value.row(0);
    const Eigen::MatrixXd hidden = preActivation.cwiseMax(0.0);
    const Eigen::MatrixXd gradientW2 = hidden.transpose() * logitGradient;
    const Eigen::MatrixXd gradientB2 = logitGradient.colwise().sum();
    const Eigen::MatrixXd gradientHidden
        = ((logitGradient * w2_.value.transpose()).array() * (preActivation.array() > 0.0).cast<double>())
              .matrix();
    const Eigen::MatrixXd gradientW1 = inputs.transpose() * gradientHidden;
    const Eigen::MatrixXd gradientB1 = gradientHidden.colwise().sum();
    adam(w2_, gradientW2, learningRate);
    adam(b2_, gradientB2, learningRate);
    adam(w1_, gradientW1, learningRate);
    adam(b1_, gradientB1, learningRate);
}

} // namespace cstudio::distill
