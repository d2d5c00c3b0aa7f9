#pragma once
// Teacher logits from a file, so that real model outputs (a 150 000-token next-token
// distribution, say) can be explored, not only the presets. Formats, chosen by extension:
//   .csv   one "label,logit" or "logit" per line (an optional header line; '#' comments),
//          or a single line of comma-separated logits
//   .json  [9, 6.5, ...], {"labels": [...], "logits": [...]}, or [{"label": .., "logit": ..}, ..]
//   .npy   a 1-D little-endian float32/float64 array (or any shape with one non-1 dimension)
// Every problem comes back as an Error naming the file, the line or byte, and what is wrong.
#include "core/distill/class_logits.h"

#include <QByteArray>

namespace cstudio::distill {

Result<ClassLogits> importLogits(const QString& path);

// The parsers behind importLogits, usable on bytes already in memory. `path` is only used
// in messages and as the ClassLogits source.
Result<ClassLogits> parseLogitsCsv(const QByteArray& bytes, const QString& path);
Result<ClassLogits> parseLogitsJson(const QByteArray& bytes, const QString& path);
Result<ClassLogits> parseLogitsNpy(const QByteArray& bytes, const QString& path);

}  // namespace cstudio::distill
