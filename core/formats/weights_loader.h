#pragma once
// Opens any weights the studio reads, choosing the reader by content (magic bytes) and, where
// the content does not decide, by extension: safetensors files, sharded safetensors folders or
// their model.safetensors.index.json, GGUF, NumPy .npy and .npz, and kDemoModelPath for the
// built-in demo model. Files are only ever opened read-only.
#include "core/formats/tensor_source.h"
#include "core/job_control.h"

#include <QString>
#include <memory>

namespace cstudio {

Result<std::shared_ptr<TensorSource>> openWeights(const QString& path, const JobControl& job = {});

// The file patterns a file dialog should offer.
QString weightsFileFilter();

}  // namespace cstudio
