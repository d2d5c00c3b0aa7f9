#pragma once
// A tiny multilayer perceptron for the playground: inputs → (ReLU hidden layer) → logits,
// trained with Adam on whatever gradient of the loss w.r.t. the logits the caller supplies,
// so that the same network learns from hard labels or from a teacher's soft labels.
// hiddenUnits = 0 makes it a linear (softmax-regression) classifier. Deterministic: weights
// come from the caller's seeded generator, and Eigen runs single-threaded here.
#include <Eigen/Dense>
#include <QtGlobal>
#include <cstdint>
#include <random>

namespace cstudio::distill {

// A portable uniform generator: std::uniform_real_distribution's output differs between
// standard libraries, this does not, so a seed gives the same run everywhere.
class SeededRandom {
public:
    explicit SeededRandom(std::uint64_t seed)
        : engine_(seed)
    {
    }
    double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; } // [0, 1)
    std::uint64_t below(std::uint64_t bound) { return engine_() % bound; }

private:
    std::mt19937_64 engine_;
};

class MlpClassifier {
public:
    MlpClassifier(int inputs, int hiddenUnits, int classes, SeededRandom& random);

    Eigen::MatrixXd logits(const Eigen::MatrixXd& inputs) const; // rows: examples

    // One Adam step (Kingma & Ba 2015) given ∂loss/∂logits for the batch (already divided by
    // the batch size).
    void step(const Eigen::MatrixXd& inputs, const Eigen::MatrixXd& logitGradient, double learningRate);

    int hiddenUnits() const { return hiddenUnits_; }
    qint64 parameterCount() const;

private:
    struct Parameter {
        Eigen::MatrixXd value, firstMoment, secondMoment;
        void init(Eigen::Index rows, Eigen::Index cols);
    };
    void adam(Parameter& parameter, const Eigen::MatrixXd& gradient, double learningRate) const;

    int hiddenUnits_ = 0;
    Parameter w1_, b1_, w2_, b2_; // w1/b1 unused when hiddenUnits_ == 0
    int steps_ = 0;
};

} // namespace cstudio::distill
