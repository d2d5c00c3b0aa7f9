#include "core/quant/nf4_quantizer.h"

#include "core/quant/simd_dispatch.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace cstudio {

namespace {
// Midpoints between consecutive levels, computed in double and rounded once to float.
constexpr std::array<float, 15> midpoints()
{
    std::array<float, 15> m{};
    for (std::size_t i = 0; i < 15; ++i)
        m[i] = static_cast<float>((static_cast<double>(kNf4Levels[i]) + static_cast<double>(kNf4Levels[i + 1])) / 2.0);
    return m;
}
constexpr std::array<float, 15> kMidpoints = midpoints();

float groupAbsMax(const float* x, qint64 n, bool* finite)
{
    std::uint32_t key = 0;
    for (qint64 i = 0; i < n; ++i)
        key = std::max(key, simd::magnitudeKey(x[i]));
    *finite = key < simd::kInfinityKey;
    return std::bit_cast<float>(key);
}

// Codes for one group, counting the midpoints below each normalised value (vectorizes).
CSTUDIO_VECTOR_CLONES
void codeGroup(const float* x, float* y, qint64 n, float absMax, float decodeScale)
{
    const float inverse = 1.0f / absMax;
    for (qint64 i = 0; i < n; ++i) {
        const float v = x[i] * inverse;
        int code = 0;
        for (float m : kMidpoints)
            code += v > m ? 1 : 0;
        y[i] = kNf4Levels[static_cast<std::size_t>(code)] * decodeScale;
    }
}
}  // namespace

int nearestNf4Code(float x)
{
    int code = 0;
    for (float m : kMidpoints)
        code += x > m ? 1 : 0;
    return code;
}

void nf4RoundTrip(const Scheme& scheme, std::span<const float> in, std::span<float> out,
                  const TensorRange& /*range*/, qint64 /*rowLength*/)
{
    const auto n = static_cast<qint64>(std::min(in.size(), out.size()));
    const qint64 groups = (n + kNf4GroupSize - 1) / kNf4GroupSize;
    std::vector<float> absMax(static_cast<std::size_t>(groups));
    std::vector<char> finite(static_cast<std::size_t>(groups));
    for (qint64 g = 0; g < groups; ++g) {
        bool ok = true;
        absMax[static_cast<std::size_t>(g)] = groupAbsMax(in.data() + g * kNf4GroupSize, std::min<qint64>(kNf4GroupSize, n - g * kNf4GroupSize), &ok);
        finite[static_cast<std::size_t>(g)] = ok;
    }
    std::vector<float> decodeScale = absMax;
    if (scheme.doubleQuantized) {
        for (qint64 first = 0; first < groups; first += kNf4DoubleQuantGroups) {
            const qint64 last = std::min(groups, first + kNf4DoubleQuantGroups);
            double sum = 0;
            qint64 count = 0;
            for (qint64 g = first; g < last; ++g)
                if (finite[static_cast<std::size_t>(g)]) {
                    sum += absMax[static_cast<std::size_t>(g)];
                    ++count;
                }
            const float mean = count > 0 ? static_cast<float>(sum / static_cast<double>(count)) : 0.0f;
            float spread = 0;
            for (qint64 g = first; g < last; ++g)
                if (finite[static_cast<std::size_t>(g)])
                    spread = std::max(spread, std::fabs(absMax[static_cast<std::size_t>(g)] - mean));
            const float scale = spread / 127.0f;
            for (qint64 g = first; g < last; ++g) {
                const auto k = static_cast<std::size_t>(g);
                if (!finite[k] || scale == 0.0f)
                    continue;  // all offsets zero: the mean alone is exact
                const float code = std::clamp(simd::roundHalfEven((absMax[k] - mean) / scale), -127.0f, 127.0f);
                decodeScale[k] = code * scale + mean;
            }
        }
    }
    for (qint64 g = 0; g < groups; ++g) {
        const auto k = static_cast<std::size_t>(g);
        const qint64 start = g * kNf4GroupSize, len = std::min<qint64>(kNf4GroupSize, n - start);
        const float* x = in.data() + start;
        float* y = out.data() + start;
        if (!finite[k])
            std::copy(x, x + len, y);
        else if (absMax[k] == 0.0f || decodeScale[k] <= 0.0f)
            std::fill(y, y + len, 0.0f);
        else
            codeGroup(x, y, len, absMax[k], decodeScale[k]);
    }
}

}  // namespace cstudio
