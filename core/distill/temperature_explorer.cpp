#include "core/distill/temperature_explorer.h"

#include "core/distill/logit_validation.h"
#include "core/distill/mlp_classifier.h"
#include "core/distill/softmax.h"
#include "core/distill/top_classes.h"

#include <cmath>
#include <numbers>
#include <numeric>

namespace cstudio::distill {

namespace {
SoftenedRow soften(std::span<const double> logits, double temperature, const std::vector<int>& shown)
{
    SoftenedRow row;
    row.temperature = temperature;
    const std::vector<double> logP = logSoftmax(logits, temperature);
    std::vector<double> p(logP.size());
    for (size_t i = 0; i < p.size(); ++i)
        p[i] = std::exp(logP[i]);
    row.entropyBits = entropyBits(p, logP);
    row.effectiveClasses = effectiveClasses(row.entropyBits);
    row.shownProbabilities.reserve(shown.size());
    for (int index : shown)
        row.shownProbabilities.push_back(p[index]);
    if (shown.size() < p.size())
        row.restProbability = restProbability(p, shown);
    return row;
}
} // namespace

Result<ExplorerSnapshot> exploreTemperatures(const ExplorerInput& input)
{
    for (double tau : input.overlayTemperatures)
        if (auto check = validateTemperature(tau); !check)
            return check.error();
    Result<DistillationLosses> losses = distillationLosses(
        input.teacherLogits, input.studentLogits, input.hardLabel, input.temperature, input.alpha);
    if (!losses)
        return losses.error();
    ExplorerSnapshot snapshot;
    const int classes = static_cast<int>(input.teacherLogits.size());
    if (classes <= std::max(1, input.topK)) {
        snapshot.shownClasses.resize(classes);
        std::iota(snapshot.shownClasses.begin(), snapshot.shownClasses.end(), 0);
    } else {
        snapshot.shownClasses = topIndices(input.teacherLogits, std::max(1, input.topK));
    }
    snapshot.restCount = classes - static_cast<int>(snapshot.shownClasses.size());
    for (double tau : input.overlayTemperatures)
        snapshot.overlay.push_back(soften(input.teacherLogits, tau, snapshot.shownClasses));
    snapshot.teacherAtTemperature = soften(input.teacherLogits, input.temperature, snapshot.shownClasses);
    snapshot.studentAtTemperature = soften(input.studentLogits, input.temperature, snapshot.shownClasses);
    snapshot.losses = std::move(losses.value());
    for (int index : snapshot.shownClasses)
        snapshot.shownGradient.push_back(snapshot.losses.gradient[index]);
    if (snapshot.restCount > 0)
        snapshot.restGradient = restProbability(snapshot.losses.gradient, snapshot.shownClasses);
    return snapshot;
}

std::vector<double> perturbLogits(std::span<const double> logits, double sigma, quint64 seed)
{
    SeededRandom random(seed);
    std::vector<double> perturbed(logits.begin(), logits.end());
    for (double& z : perturbed) {
        // Box-Muller: sqrt(-2 ln u1) cos(2π u2) is standard normal for u1, u2 uniform in (0, 1].
        const double u1 = 1.0 - random.uniform(), u2 = random.uniform();
        z += sigma * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    }
    return perturbed;
}

} // namespace cstudio::distill
