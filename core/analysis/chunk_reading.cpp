#include "core/analysis/chunk_reading.h"

#include <cstdint>

namespace cstudio {

const float* floatsInPlace(const TensorSource& source, int index, const TensorInfo& info)
{
    const RawTensorBytes raw = source.rawBytes(index);
    if (raw.encoding != RawTensorBytes::Encoding::F32 || !raw.data || raw.size < info.elementCount * 4 ||
        reinterpret_cast<std::uintptr_t>(raw.data) % alignof(float) != 0)
        return nullptr;
    return reinterpret_cast<const float*>(raw.data);
}

}  // namespace cstudio
