#include "core/distill/softmax.h"

#include <algorithm>
#include <numbers>

namespace cstudio::distill {

std::vector<double> logSoftmax(std::span<const double> logits, double temperature)
{
    std::vector<double> scaled(logits.size());
    if (logits.empty())
        return scaled;
    const double inverse = 1.0 / temperature;
    for (size_t i = 0; i < logits.size(); ++i)
        scaled[i] = logits[i] * inverse;
    const double largest = *std::max_element(scaled.begin(), scaled.end());
    // Σ exp(x - max) lies in [1, n], so its log is exact to rounding and never overflows.
    double sum = 0.0;
    for (double x : scaled)
        sum += std::exp(x - largest);
    const double logNormalizer = largest + std::log(sum);
    for (double& x : scaled)
        x -= logNormalizer;
    return scaled;
}

std::vector<double> softmax(std::span<const double> logits, double temperature)
{
    std::vector<double> probabilities(logits.size());
    if (logits.empty())
        return probabilities;
    const double inverse = 1.0 / temperature;
    double largest = logits[0] * inverse;
    for (double z : logits)
        largest = std::max(largest, z * inverse);
    double sum = 0.0;
    for (size_t i = 0; i < logits.size(); ++i) {
        probabilities[i] = std::exp(logits[i] * inverse - largest);
        sum += probabilities[i];
    }
    // Dividing by the sum (rather than exp(-log sum)) matches NumPy's `p /= p.sum()` bit for
    // bit in the common case, which the seed-002 fidelity test relies on.
    for (double& p : probabilities)
        p /= sum;
    return probabilities;
}

double entropyBits(std::span<const double> probabilities, std::span<const double> logProbabilities)
{
    double nats = 0.0;
    for (size_t i = 0; i < probabilities.size(); ++i)
        if (probabilities[i] > 0.0)
            nats -= probabilities[i] * logProbabilities[i];
    return std::max(0.0, nats / std::numbers::ln2);
}

double entropyBits(std::span<const double> probabilities)
{
    double bits = 0.0;
    for (double p : probabilities)
        if (p > 0.0)
            bits -= p * std::log2(p);
    return std::max(0.0, bits);
}

std::vector<std::pair<double, double>> entropyCurve(
    std::span<const double> logits, double tauMin, double tauMax, int points)
{
    std::vector<std::pair<double, double>> curve;
    if (points < 2 || logits.empty() || !(tauMin > 0.0) || !(tauMax > tauMin))
        return curve;
    curve.reserve(points);
    const double logMin = std::log(tauMin), logMax = std::log(tauMax);
    for (int k = 0; k < points; ++k) {
        const double tau = std::exp(logMin + (logMax - logMin) * k / (points - 1));
        const std::vector<double> logP = logSoftmax(logits, tau);
        std::vector<double> p(logP.size());
        std::transform(logP.begin(), logP.end(), p.begin(), [](double x) { return std::exp(x); });
        curve.emplace_back(tau, entropyBits(p, logP));
    }
    return curve;
}

} // namespace cstudio::distill
