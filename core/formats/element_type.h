#pragma once
// The plain (one value per element) storage types found in safetensors, NumPy and GGUF files,
// and their decoding to float32 from either byte order. Block-quantized GGUF types are in
// core/quant/gguf_blocks.h; both kinds meet in TensorEncoding (core/formats/tensor_encoding.h).
#include <QString>
#include <cstdint>
#include <optional>

namespace cstudio {

enum class ElementType { Bool, I8, U8, I16, U16, I32, U32, I64, U64, F16, BF16, F32, F64, F8E4M3Fn, F8E5M2 };

int elementBytes(ElementType type);

// Decodes `count` consecutive elements starting at `source` (any alignment) into `out`.
// Integers and booleans are converted to the nearest float.
using DecodeElementsFunction = void (*)(const unsigned char* source, std::int64_t count, float* out);
DecodeElementsFunction elementDecoder(ElementType type, bool bigEndian);

// The safetensors dtype name ("F32", "BF16", "F8_E4M3"...), or nullopt when unknown.
std::optional<ElementType> elementTypeFromSafetensorsName(const QString& name);

}  // namespace cstudio
