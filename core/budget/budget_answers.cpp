#include "core/budget/budget_answers.h"

#include "core/budget/budget_math.h"

#include <QLocale>
#include <cmath>

namespace cstudio::budget {
namespace {

constexpr qint64 kContextSearchCeiling = 100'000'000;  // for models without a max context

// English digit grouping ("82,336") whatever the system locale, so CLI output is stable.
QString tokensText(qint64 tokens) { return QLocale(QLocale::English).toString(tokens) + QStringLiteral(" tokens"); }

}  // namespace

Result<MaxContextAnswer> maxContext(const BudgetInput& input)
{
    if (Result<void> check = checkInput(input); !check)
        return check.error();
    MaxContextAnswer answer;
    const double capacityBytes = input.device.memoryGB * kBytesPerGB * input.deviceCount;
    const double usableBytes = capacityBytes / (1.0 + input.overhead);
    const double weights = input.model.totalParams * input.bitsPerWeight / 8.0;
    auto fits = [&](qint64 context) {
        Result<KvCacheEstimate> kv = kvCache(input.model, static_cast<double>(context), input.batch, input.kvBits);
        return kv && weights + kv->bytes <= usableBytes;
    };
    if (!fits(0)) {
        answer.text = QStringLiteral("none: the weights alone do not fit");
        return answer;
    }
    answer.weightsFit = true;
    if (!input.model.hasShape()) {
        answer.unlimited = true;
        answer.text = QStringLiteral("Not bounded by memory: the model's attention shape is unknown (custom model)");
        return answer;
    }
    const qint64 ceiling = input.model.maxContext > 0 ? input.model.maxContext : kContextSearchCeiling;
    if (fits(ceiling)) {
        answer.tokens = ceiling;
        answer.limitedByModel = input.model.maxContext > 0;
        answer.text = answer.limitedByModel
                          ? QStringLiteral("The model's full %1 fit").arg(tokensText(ceiling))
                          : QStringLiteral("More than %1").arg(tokensText(ceiling));
        return answer;
    }
    // KV bytes never decrease with context (sliding layers stop growing, others grow
    // linearly), so the fitting contexts form a prefix [0, answer]: bisect it.
    qint64 low = 0, high = ceiling;  // fits(low), !fits(high)
    while (high - low > 1) {
        const qint64 middle = low + (high - low) / 2;
        (fits(middle) ? low : high) = middle;
    }
    answer.tokens = low;
    answer.text = QStringLiteral("Up to %1 per sequence").arg(tokensText(low));
    return answer;
}

Result<BestFormatAnswer> bestFormat(const std::vector<QuantFormat>& formats, const BudgetInput& input, double budgetGB)
{
    if (!std::isfinite(budgetGB) || budgetGB <= 0)
        return Error{QString(), -1, QStringLiteral("memory budget must be a positive number of GB")};
    BestFormatAnswer answer;
    for (const QuantFormat& format : formats) {
        // Open checkpoints ship in 16 bits: storing them wider costs memory and adds nothing.
        if (format.bitsPerWeight > 16)
            continue;
        BudgetInput candidate = input;
        candidate.bitsPerWeight = format.bitsPerWeight;
        Result<BudgetEstimate> estimate = estimateBudget(candidate);
        if (!estimate)
            return estimate.error();
        if (estimate->requiredGB > budgetGB)
            continue;
        if (!answer.format || format.bitsPerWeight > answer.format->bitsPerWeight) {
            answer.format = &format;
            answer.requiredGB = estimate->requiredGB;
        }
    }
    answer.text = answer.format
                      ? QStringLiteral("%1 (%2 bits/weight): %3 GB of %4 GB")
                            .arg(answer.format->name)
                            .arg(answer.format->bitsPerWeight)
                            .arg(answer.requiredGB, 0, 'f', 1)
                            .arg(budgetGB, 0, 'f', 0)
                      : QStringLiteral("No catalog format fits %1 GB at this context").arg(budgetGB, 0, 'f', 0);
    return answer;
}

}  // namespace cstudio::budget
