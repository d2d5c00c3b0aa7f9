#pragma once
// The UCI 8×8 handwritten digits (resources/data/digits.csv.gz, CC BY 4.0; see the README
// beside it): 1 797 images of 64 pixel counts 0..16 and their digit 0..9. The playground's
// real data set: small enough to train on in seconds, hard enough for a tiny student to err.
#include "core/result.h"

#include <Eigen/Dense>
#include <QByteArray>
#include <QString>
#include <vector>

namespace cstudio::distill {

struct LabelledImages {
    Eigen::MatrixXd features; // one row per image, pixels scaled to [0, 1] (count / 16)
    std::vector<int> labels; // digit 0..9 per row
    int classCount = 10;
};

// Loads the embedded copy (":/data/digits.csv.gz").
Result<LabelledImages> loadDigits();

// Parses the gzip-compressed CSV (64 pixel columns, then the label); `name` is used in errors.
Result<LabelledImages> parseDigitsCsvGz(const QByteArray& compressed, const QString& name);

// Rows `indices` of `images`, in that order.
LabelledImages selectRows(const LabelledImages& images, const std::vector<int>& indices);

} // namespace cstudio::distill
