#pragma once
// safetensors files (Hugging Face): an 8-byte little-endian header length, a JSON header
// {"name": {"dtype": "BF16", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}
// and the tensor bytes. Validated as the safetensors library does: header at most 100 MB,
// valid JSON object, offsets contiguous from 0 without gaps or overlaps, each byte length equal
// to shape × dtype size, and the data ending exactly at the end of the file.
// Sharded models open through model.safetensors.index.json or a folder of .safetensors files.
#include "core/formats/mapped_tensor_source.h"
#include "core/job_control.h"

namespace cstudio {

inline constexpr qint64 kSafetensorsMaxHeaderBytes = 100'000'000;  // safetensors' MAX_HEADER_SIZE

// One file's tensors (with their shard file) and metadata, appended to the given lists.
Result<void> readSafetensorsFile(const QString& path, std::vector<StoredTensor>& tensors,
                                 std::vector<std::pair<QString, QString>>& metadata);

// A single .safetensors file, a model.safetensors.index.json, or a folder holding either.
Result<std::shared_ptr<TensorSource>> openSafetensors(const QString& path, const JobControl& job = {});

}  // namespace cstudio
