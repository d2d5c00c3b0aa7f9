#pragma once
// The encode direction of GGUF (llama.cpp) block types: float -> packed blocks, and the round
// trip (encode, then decode exactly as ggml does). Decoding of files lives in gguf_blocks.
//   q8_0 q4_0 q4_1 q5_0 q5_1  bit-identical to gguf-py's quants.py (which reproduces ggml's
//                             quantize_row_*_ref): same float32 operations in the same order.
//   q2_k q3_k q4_k q5_k q6_k  our own encoders in gguf_kquant_encode.cpp (see there): any
//                             valid block decodes, and these choose scales by least squares.
// Blocks run along rows: a tensor's row length must be a multiple of the block size.
#include "core/quant/scheme.h"

namespace cstudio {

void ggufRoundTrip(const Scheme& scheme, std::span<const float> in, std::span<float> out,
                   const TensorRange& range, qint64 rowLength);
Result<QByteArray> ggufEncode(const Scheme& scheme, std::span<const float> in, qint64 rowLength);

// Bytes of one block and elements per block, for the scheme's GGUF type.
int ggufBlockBytes(SchemeKind kind);
int ggufBlockElements(SchemeKind kind);

// K-quant super-blocks (256 elements): encode one block to `bytes` and write its decoded
// values to `decoded` (what ggml's dequantize_row_*_K gives for those bytes).
void kquantEncodeBlock(SchemeKind kind, const float* x, std::uint8_t* bytes, float* decoded);

}  // namespace cstudio
