#pragma once
// The catalog of storage formats (resources/catalogs/formats.json): FP32 down to ~2-bit vector
// quantization, each with its effective bits per weight including its share of scales, zero
// points and codebooks, and where a user meets it (seed 002's format table).
#include "core/result.h"

#include <QString>
#include <vector>

namespace cstudio::budget {

struct QuantFormat {
    QString id;              // "q4_k"
    QString name;            // "GGUF Q4_K"
    QString shortName;       // "Q4_K", for scales and chart axes
    QString family;          // "gguf", "integer", "float8", ...
    double elementBits = 0;  // width of one stored value (4 for Q4_K)
    double bitsPerWeight = 0;  // effective, with scale overhead (4.5 for Q4_K)
    QString scheme;          // analysis scheme string of issue 4 ("q4_k", "int4:g64"); empty if none
    QString qualityCost;
    QString bitsDerivation;  // how bitsPerWeight follows from the format's block layout
    QString whereYouMeetIt;
};

inline QString builtinFormatCatalogPath() { return QStringLiteral(":/catalogs/formats.json"); }

Result<std::vector<QuantFormat>> loadFormatCatalog(const QString& path);
// The catalog compiled into the program, loaded once.
const Result<std::vector<QuantFormat>>& builtinFormats();

// Finds a format by id or display name, ignoring case ("Q4_K", "q4_k", "GGUF Q4_K").
const QuantFormat* findFormat(const std::vector<QuantFormat>& formats, const QString& idOrName);

}  // namespace cstudio::budget
