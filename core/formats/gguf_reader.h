#pragma once
// GGUF files (versions 2 and 3; llama.cpp's format): header, key/value metadata of every value
// type, tensor infos, general.alignment, and tensor data decoded through core/quant/gguf_blocks.
// Tensors of types we do not decode (IQ*, TQ*, MXFP4...) are listed with their name and size and
// marked not decoded. Spec: ggml/docs/gguf.md; checks as ggml's gguf.cpp.
#include "core/formats/tensor_source.h"
#include "core/job_control.h"

#include <memory>

namespace cstudio {

Result<std::shared_ptr<TensorSource>> openGguf(const QString& path, const JobControl& job = {});

}  // namespace cstudio
