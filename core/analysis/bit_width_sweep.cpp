#include "core/analysis/bit_width_sweep.h"

#include <limits>

namespace cstudio {

QStringList bitWidthSweepGranularities()
{
    return {QStringLiteral("tensor"), QStringLiteral("ch"), QStringLiteral("g128"), QStringLiteral("g64"),
            QStringLiteral("g32")};
}

std::vector<int> bitWidthSweepBits() { return {2, 3, 4, 5, 6, 7, 8}; }

QStringList bitWidthSweepSchemeNames()
{
    QStringList names;
    for (const QString& granularity : bitWidthSweepGranularities())
        for (int bits : bitWidthSweepBits())
            names << QStringLiteral("int%1:%2").arg(bits).arg(granularity);
    return names;
}

BitWidthSweep bitWidthSweepFrom(const AnalysisResult& result, int tensorPosition)
{
    BitWidthSweep sweep;
    sweep.granularities = bitWidthSweepGranularities();
    sweep.bits = bitWidthSweepBits();
    const bool oneTensor = tensorPosition >= 0 && tensorPosition < int(result.tensors.size());
    const std::vector<SchemeMetrics>& metrics
        = oneTensor ? result.tensors[static_cast<std::size_t>(tensorPosition)].results : result.model;
    constexpr double missing = std::numeric_limits<double>::quiet_NaN();
    for (const QString& granularity : sweep.granularities) {
        std::vector<double> rmse, relative;
        for (int bits : sweep.bits) {
            const QString name = QStringLiteral("int%1:%2").arg(bits).arg(granularity);
            double value = missing, relativeValue = missing;
            for (const SchemeMetrics& m : metrics) {
                if (m.scheme == name && m.applicable && m.error.elementCount > 0) {
                    value = m.error.rmse();
                    relativeValue = m.error.relativeRmse();
                    sweep.params = std::max(sweep.params, m.params);
                }
            }
            rmse.push_back(value);
            relative.push_back(relativeValue);
        }
        sweep.rmse.push_back(std::move(rmse));
        sweep.relativeRmse.push_back(std::move(relative));
    }
    return sweep;
}

}  // namespace cstudio
