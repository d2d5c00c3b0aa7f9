#pragma once
// One quantization group under the microscope, for the Quant Lab's teaching view ("why outliers
// stretch the scale"): the group's weights, their round trip through a scheme, the grid of
// values the group's scale can represent, and, for contrast, the grid that ONE scale for the
// whole tensor would give at the same element width (seed 002: absmax int-b, s = max|w| / qmax).
#include "core/formats/tensor_source.h"
#include "core/job_control.h"
#include "core/quant/scheme.h"
#include "core/result.h"

#include <vector>

namespace cstudio {

struct GroupInspection {
    QString scheme;
    qint64 groupIndex = 0;
    qint64 groupCount = 0;
    qint64 firstElement = 0;  // in the row-major flattened tensor
    std::vector<float> values;       // the group's weights
    std::vector<float> dequantized;  // after scheme.roundTrip
    double rmse = 0;                 // of this group
    double maxAbsError = 0;

    // Values the group's scale can represent, ascending. For plain int*/uint* schemes this is the
    // full grid (2^b levels from the group's own scale); for every other scheme it is the set of
    // distinct values this group's round trip produced (`groupGridComplete` false).
    std::vector<double> groupLevels;
    bool groupGridComplete = false;
    double groupScale = 0;  // spacing of the int grid (0 when not an int scheme)

    // The same element width with one absmax scale for the whole tensor (int-b:tensor, b = the
    // scheme's element bits clamped to 2..8); empty for 16-bit float schemes.
    int tensorGridBits = 0;
    double tensorScale = 0;
    double tensorAbsMax = 0;
    std::vector<double> tensorLevels;
};

// `clipRatio`: for ":tensor:mse" the ratio the analysis found (SchemeMetrics::clipRatio), else 1.
// Reads the tensor once for its range, then only the group's storage block.
Result<GroupInspection> inspectGroup(const TensorSource& source, int tensorIndex, const Scheme& scheme,
                                     qint64 groupIndex, float clipRatio = 1.0f, const JobControl& control = {});

// Full int grid for an absmax scale: k * s for k in [-2^(b-1), 2^(b-1)-1], s = absMax / (2^(b-1)-1).
std::vector<double> symmetricIntegerLevels(int bits, double absMax, double* scale = nullptr);

}  // namespace cstudio
