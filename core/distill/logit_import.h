#pragma once
// Teacher logits from a file, so that real model outputs (a 150 000-token next-token
// distribution, say) can be explored, not only the presets. Formats, chosen by extension:
//   .csv   one "label,logit" or "logit" per line (an optional header line; '#' comments),
//          or a single line of comma-separated logits
//   .json  [9, 6.5, ...], {"labels": [...], "logits": [...]}, or [{"label": .., "logit": ..}, ..]
//   .npy   a float array with one non-1 dimension (read by core/formats/npy_reader)
// Every problem comes back as an Error naming the file, the line or byte, and what is wrong.
#include "core/distill/class_logits.h"

#include <QByteArray>
#include <QString>

namespace cstudio::distill {

Result<ClassLogits> importLogits(const QString& path);

// The text parsers behind importLogits, usable on bytes already in memory. `path` is only
// used in messages and as the ClassLogits source.
Result<ClassLogits> parseLogitsCsv(const QByteArray& bytes, const QString& path);
Result<ClassLogits> parseLogitsJson(const QByteArray& bytes, const QString& path);
Result<ClassLogits> readLogitsNpy(const QString& path);

} // namespace cstudio::distill
