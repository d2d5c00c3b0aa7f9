#pragma once
// How a stored tensor's bytes become floats: a run of blocks, each `blockBytes` long holding
// `blockElements` values. Plain types are blocks of one element; GGUF quantized types are blocks
// of 32 or 256. Readers describe each tensor with one of these, and MappedTensorSource decodes
// any element range through it.
#include <cstdint>

namespace cstudio {

struct TensorEncoding {
    std::int64_t blockElements = 1;
    std::int64_t blockBytes = 0;
    // Decodes `blocks` consecutive blocks starting at `source` (any alignment) into
    // blocks * blockElements floats.
    void (*toFloat)(const unsigned char* source, std::int64_t blocks, float* out) = nullptr;
};

}  // namespace cstudio
