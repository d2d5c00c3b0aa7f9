#include "core/dtypes/float_decode.h"

#include <array>

namespace cstudio {
namespace {
// 256-entry tables make fp8 decoding a single load per element.
template <float (*Decode)(std::uint8_t)>
const std::array<float, 256>& fp8Table()
{
    static const std::array<float, 256> table = [] {
        std::array<float, 256> values{};
        for (unsigned bits = 0; bits < 256; ++bits)
            values[bits] = Decode(std::uint8_t(bits));
        return values;
    }();
    return table;
}
}  // namespace

void decodeFloat16(std::span<const std::uint16_t> in, float* out)
{
    for (std::size_t i = 0; i < in.size(); ++i)
        out[i] = decodeFloat16(in[i]);
}

void decodeBFloat16(std::span<const std::uint16_t> in, float* out)
{
    for (std::size_t i = 0; i < in.size(); ++i)
        out[i] = decodeBFloat16(in[i]);
}

void decodeFloat8E4M3Fn(std::span<const std::uint8_t> in, float* out)
{
    const auto& table = fp8Table<static_cast<float (*)(std::uint8_t)>(&decodeFloat8E4M3Fn)>();
    for (std::size_t i = 0; i < in.size(); ++i)
        out[i] = table[in[i]];
}

void decodeFloat8E5M2(std::span<const std::uint8_t> in, float* out)
{
    const auto& table = fp8Table<static_cast<float (*)(std::uint8_t)>(&decodeFloat8E5M2)>();
    for (std::size_t i = 0; i < in.size(); ++i)
        out[i] = table[in[i]];
}

}  // namespace cstudio
