#pragma once
// What a loaded model amounts to: total parameters and bytes, the mix of storage types, the
// number of transformer blocks and the hidden width, as shown by the Weights page and
// `cstudio inspect` and handed to the Budget page.
#include "core/formats/tensor_source.h"

#include <QString>
#include <vector>

namespace cstudio {

struct DtypeShare {
    QString dtype;
    int tensors = 0;
    qint64 parameters = 0;
    qint64 bytes = 0;
};

struct ModelSummary {
    QString name;
    int tensorCount = 0;
    qint64 parameters = 0;          // elements of every tensor
    qint64 bytes = 0;               // bytes the tensors occupy in the file(s)
    qint64 decodableParameters = 0; // elements readFloats() can decode
    std::vector<DtypeShare> dtypeMix;  // largest share of parameters first
    int layerCount = 0;             // transformer blocks (highest block index + 1)
    qint64 hiddenSize = 0;          // model width: the embedding's row length (0 if unknown)

    double bitsPerParameter() const { return parameters ? 8.0 * double(bytes) / double(parameters) : 0.0; }
};

ModelSummary summarizeModel(const TensorSource& source);

// "22.7 M", "7.24 B", "512": parameter counts as people say them.
QString formatCount(qint64 count);
// "90.9 MB", "4.37 GB" in decimal units (1 GB = 10^9 bytes), as the rest of the studio.
QString formatBytes(qint64 bytes);
// "[384, 1536]"
QString formatShape(const std::vector<qint64>& shape);

}  // namespace cstudio
