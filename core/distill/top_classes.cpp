#include "core/distill/top_classes.h"

#include <algorithm>
#include <numeric>

namespace cstudio::distill {

std::vector<int> topIndices(std::span<const double> values, int k)
{
    std::vector<int> order(values.size());
    std::iota(order.begin(), order.end(), 0);
    const auto count
        = static_cast<size_t>(std::clamp<long long>(k, 0, static_cast<long long>(values.size())));
    auto larger = [&](int a, int b) { return values[a] > values[b] || (values[a] == values[b] && a < b); };
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(count), order.end(), larger);
    order.resize(count);
    return order;
}

double restProbability(std::span<const double> probabilities, std::span<const int> shown)
{
    std::vector<char> isShown(probabilities.size(), 0);
    for (int index : shown)
        if (index >= 0 && static_cast<size_t>(index) < probabilities.size())
            isShown[index] = 1;
    double rest = 0.0;
    for (size_t i = 0; i < probabilities.size(); ++i)
        if (!isShown[i])
            rest += probabilities[i];
    return rest;
}

} // namespace cstudio::distill
