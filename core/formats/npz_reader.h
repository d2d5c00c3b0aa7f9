#pragma once
// NumPy .npz archives: a ZIP file (ZIP64 included) of .npy members, stored or deflated. Stored
// members are read in place from the mapped archive; deflated ones are inflated once, streaming,
// into a temporary file that is then mapped, so no member is ever held in memory. Sizes come from
// the central directory and are checked against what inflating produces, with the CRC-32.
// Spec: PKWARE APPNOTE.TXT 6.3; numpy.savez / savez_compressed.
#include "core/formats/tensor_source.h"
#include "core/job_control.h"

#include <memory>

namespace cstudio {

Result<std::shared_ptr<TensorSource>> openNpz(const QString& path, const JobControl& job = {});

}  // namespace cstudio
