#pragma once
// Reductions of the engine's 16 accumulation lanes, written with GCC vector types so the compiler
// keeps the lanes in registers and uses shuffles: a plain loop over the lane array made it spill
// the lanes to the stack and add them one scalar at a time, which cost more than the group's
// arithmetic. A group's float sum is reduced with exactly the pairs of the reference loop
//   for (width = 8; width > 0; width /= 2) for (k < width) lane[k] += lane[k + width];
// so every group's sum is bit-identical to it (the CUDA engine mirrors the same tree).
#include <cstdint>
#include <cstring>

// Everything here is always inlined, so passing 64-byte vectors by value never crosses an ABI
// boundary (GCC's -Wpsabi note about it is off for the core, see core/CMakeLists.txt).
namespace cstudio::detail {

inline constexpr int kLanes = 16;

using Float16 = float __attribute__((vector_size(64)));

// Maximum of integer lanes (order-free, so any tree gives the same answer).
template <class T>
[[gnu::always_inline]] inline T laneMax(const T (&lanes)[kLanes])
{
    typedef T V16 __attribute__((vector_size(64)));
    typedef T V8 __attribute__((vector_size(32)));
    typedef T V4 __attribute__((vector_size(16)));
    V16 v;
    std::memcpy(&v, lanes, sizeof v);
    const V8 lo8 = __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7), hi8 = __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
    const V8 a = lo8 > hi8 ? lo8 : hi8;
    const V4 lo4 = __builtin_shufflevector(a, a, 0, 1, 2, 3), hi4 = __builtin_shufflevector(a, a, 4, 5, 6, 7);
    const V4 b = lo4 > hi4 ? lo4 : hi4;
    const T c0 = b[0] > b[2] ? b[0] : b[2], c1 = b[1] > b[3] ? b[1] : b[3];
    return c0 > c1 ? c0 : c1;
}

using UInt16 = std::uint32_t __attribute__((vector_size(64)));
using Int16 = std::int32_t __attribute__((vector_size(64)));

// The reductions of 16 groups at once: rows[j] holds group j's 16 lanes; lane j of the result is
// group j's reduction. Each step combines two rows' halves with one add per pair of groups
// (15 vector operations for 16 groups instead of 64 scalar ones), pairing lanes exactly as the
// reference loop: k with k+8, then k with k+4, k+2, k+1.
template <class V, class Op>
[[gnu::always_inline]] inline V reduceRows(const V (&rows)[kLanes], Op op)
{
    V a[8], b[4], c[2];
    for (int j = 0; j < 8; ++j)  // [G(2j) k+(k+8) | G(2j+1) k+(k+8)], k < 8
        a[j] = op(__builtin_shufflevector(rows[2 * j], rows[2 * j + 1], 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23),
                  __builtin_shufflevector(rows[2 * j], rows[2 * j + 1], 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31));
    for (int j = 0; j < 4; ++j)  // four groups, k+(k+4), k < 4
        b[j] = op(__builtin_shufflevector(a[2 * j], a[2 * j + 1], 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27),
                  __builtin_shufflevector(a[2 * j], a[2 * j + 1], 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31));
    for (int j = 0; j < 2; ++j)  // eight groups, k+(k+2), k < 2
        c[j] = op(__builtin_shufflevector(b[2 * j], b[2 * j + 1], 0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29),
                  __builtin_shufflevector(b[2 * j], b[2 * j + 1], 2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31));
    return op(__builtin_shufflevector(c[0], c[1], 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30),
              __builtin_shufflevector(c[0], c[1], 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31));
}

struct Plus {
    template <class V>
    [[gnu::always_inline]] V operator()(V a, V b) const { return a + b; }
};
struct Max {
    template <class V>
    [[gnu::always_inline]] V operator()(V a, V b) const { return a > b ? a : b; }
};
struct Min {
    template <class V>
    [[gnu::always_inline]] V operator()(V a, V b) const { return a < b ? a : b; }
};

}  // namespace cstudio::detail
