#pragma once
// The Distillation section of a report: the teacher's softmax at each temperature with its
// entropy and effective number of classes (seed 002's table), and the student's losses when
// a student is given. Built from core/distill alone, for the GUI and `cstudio report`.
#include "core/distill/class_logits.h"
#include "core/distill/temperature_table.h"
#include "core/report/report_document.h"

namespace cstudio {

// Classes beyond `maxClasses` (by teacher logit) are left out of the probability columns;
// entropies always cover the whole distribution.
Result<ReportSection> distillReportSection(const distill::ClassLogits& teacher, const std::vector<double>& temperatures,
                                           const std::optional<distill::StudentSettings>& student = std::nullopt,
                                           int maxClasses = 12);

}  // namespace cstudio
