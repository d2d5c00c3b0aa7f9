#pragma once
// Where the engine's chunks come from: float32 tensors stored as they are (a memory-mapped
// .safetensors/.npy/.gguf F32 tensor, a buffer) are read in place, without a copy; every other
// dtype is converted chunk by chunk by TensorSource::readFloats().
#include "core/formats/tensor_source.h"

namespace cstudio {

// The tensor's float32 values where they lie, or nullptr when they must be converted (not
// F32, not aligned to 4 bytes, or not all addressable). Valid while the source lives.
const float* floatsInPlace(const TensorSource& source, int index, const TensorInfo& info);

}  // namespace cstudio
