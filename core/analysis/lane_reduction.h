#pragma once
// Reductions of the engine's 16 accumulation lanes, written with GCC vector types so the compiler
// keeps the lanes in registers and uses shuffles (a plain loop over the lane array made it spill
// the lanes to the stack and add them one scalar at a time, which cost more than the group's
// arithmetic). halvingSum() adds exactly the pairs the reference loop adds,
//   for (width = 8; width > 0; width /= 2) for (k < width) lane[k] += lane[k + width];
// so every group's sum is bit-identical to it (the CUDA engine mirrors the same tree).
#include <cstdint>
#include <cstring>

namespace cstudio::detail {

inline constexpr int kLanes = 16;

using Float16 = float __attribute__((vector_size(64)));
using Float8 = float __attribute__((vector_size(32)));
using Float4 = float __attribute__((vector_size(16)));
using Float2 = float __attribute__((vector_size(8)));

[[gnu::always_inline]] inline float halvingSum(const float (&lanes)[kLanes])
{
    Float16 v;
    std::memcpy(&v, lanes, sizeof v);
    const Float8 a = __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7) + __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
    const Float4 b = __builtin_shufflevector(a, a, 0, 1, 2, 3) + __builtin_shufflevector(a, a, 4, 5, 6, 7);
    const Float2 c = __builtin_shufflevector(b, b, 0, 1) + __builtin_shufflevector(b, b, 2, 3);
    return c[0] + c[1];
}

// Maximum / minimum of integer lanes (order-free, so any tree gives the same answer).
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

template <class T>
[[gnu::always_inline]] inline T laneMin(const T (&lanes)[kLanes])
{
    typedef T V16 __attribute__((vector_size(64)));
    typedef T V8 __attribute__((vector_size(32)));
    typedef T V4 __attribute__((vector_size(16)));
    V16 v;
    std::memcpy(&v, lanes, sizeof v);
    const V8 lo8 = __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7), hi8 = __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
    const V8 a = lo8 < hi8 ? lo8 : hi8;
    const V4 lo4 = __builtin_shufflevector(a, a, 0, 1, 2, 3), hi4 = __builtin_shufflevector(a, a, 4, 5, 6, 7);
    const V4 b = lo4 < hi4 ? lo4 : hi4;
    const T c0 = b[0] < b[2] ? b[0] : b[2], c1 = b[1] < b[3] ? b[1] : b[3];
    return c0 < c1 ? c0 : c1;
}

}  // namespace cstudio::detail
