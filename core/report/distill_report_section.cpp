#include "core/report/distill_report_section.h"

#include <algorithm>
#include <numeric>

namespace cstudio {

Result<ReportSection> distillReportSection(const distill::ClassLogits& teacher, const std::vector<double>& temperatures,
                                           const std::optional<distill::StudentSettings>& student, int maxClasses)
{
    Result<std::vector<distill::TemperatureRow>> rows = distill::temperatureTable(teacher.logits, temperatures, student);
    if (!rows)
        return rows.error();
    std::vector<int> shown(teacher.logits.size());
    std::iota(shown.begin(), shown.end(), 0);
    if (static_cast<int>(shown.size()) > maxClasses) {
        std::partial_sort(shown.begin(), shown.begin() + maxClasses, shown.end(),
                          [&](int a, int b) { return teacher.logits[a] > teacher.logits[b]; });
        shown.resize(maxClasses);
    }
    ReportTable table;
    table.title = QStringLiteral("The teacher's softmax by temperature");
    table.columns = {QStringLiteral("τ"), QStringLiteral("Entropy (bits)"), QStringLiteral("Effective classes 2^H")};
    for (int index : shown)
        table.columns.append(QStringLiteral("p(%1)").arg(teacher.labels.value(index)));
    const bool withLosses = student.has_value();
    if (withLosses)
        table.columns << QStringLiteral("KL(p_T‖p_S) (nats)") << QStringLiteral("CE (nats)") << QStringLiteral("Hinton loss (nats)");
    for (const distill::TemperatureRow& row : *rows) {
        QStringList cells = {QString::number(row.temperature, 'g', 4), QString::number(row.entropyBits, 'f', 3),
                             QString::number(row.effectiveClasses, 'f', 2)};
        for (int index : shown)
            cells.append(QString::number(row.probabilities[index], 'f', 3));
        if (withLosses && row.losses)
            cells << QString::number(row.losses->forwardKl, 'f', 4) << QString::number(row.losses->crossEntropy, 'f', 4)
                  << QString::number(row.losses->hintonLoss, 'f', 4);
        table.rows.append(cells);
    }
    table.caption = QStringLiteral("p = softmax(z / τ) of the teacher logits%1; H = −Σ p log2 p over all %2 classes.")
                        .arg(teacher.source.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(teacher.source))
                        .arg(teacher.logits.size());
    ReportSection section;
    section.title = QStringLiteral("Distillation");
    const distill::TemperatureRow& coolest = rows->front();
    const distill::TemperatureRow& hottest = rows->back();
    section.summaryHtml = QStringLiteral("Softening the teacher from τ = %1 to τ = %2 raises its entropy from <b>%3</b> to "
                                         "<b>%4 bits</b> (%5 to %6 effective classes): the ranking of the wrong answers "
                                         "becomes a training signal.")
                              .arg(QString::number(coolest.temperature, 'g', 4), QString::number(hottest.temperature, 'g', 4),
                                   QString::number(coolest.entropyBits, 'f', 3), QString::number(hottest.entropyBits, 'f', 3),
                                   QString::number(coolest.effectiveClasses, 'f', 2), QString::number(hottest.effectiveClasses, 'f', 2));
    section.tables.append(table);
    return section;
}

}  // namespace cstudio
