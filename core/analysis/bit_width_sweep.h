#pragma once
// Seed 002's experiment grown into a grid: symmetric absmax int-b (EQ 7.3) for b = 2..8 at every
// granularity (one scale per tensor, per row, per 128/64/32 weights). One analysis run of the
// 35 schemes gives the RMSE of each cell; seed 002's printed table is the ":tensor" and ":g64"
// columns at b = 8, 4, 3, 2 on its own 10,000 weights.
#include "core/analysis/analysis_types.h"

#include <QStringList>
#include <vector>

namespace cstudio {

struct BitWidthSweep {
    QStringList granularities;  // "tensor", "ch", "g128", "g64", "g32"
    std::vector<int> bits;      // 2..8
    // rmse[granularity][bit index]; NaN where the scheme did not apply.
    std::vector<std::vector<double>> rmse;
    std::vector<std::vector<double>> relativeRmse;
    qint64 params = 0;  // weights the figures are over
};

QStringList bitWidthSweepGranularities();
std::vector<int> bitWidthSweepBits();
// "int2:tensor", "int3:tensor", ... "int8:g32": granularity-major.
QStringList bitWidthSweepSchemeNames();

// The sweep of one analysed tensor (`tensorPosition` in result.tensors) or of the whole model
// (tensorPosition < 0). Schemes missing from the result give NaN.
BitWidthSweep bitWidthSweepFrom(const AnalysisResult& result, int tensorPosition = -1);

}  // namespace cstudio
