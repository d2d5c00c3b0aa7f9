#include "ui/distill/chart_style.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QCursor>
#include <QToolTip>
#include <QValueAxis>
#include <cmath>

namespace cstudio::ui {

void styleChart(QChart* chart)
{
    QFont title = chart->titleFont();
    title.setBold(true);
    title.setPointSizeF(std::max(10.0, title.pointSizeF() * 1.1));
    chart->setTitleFont(title);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(4);
}

void clearChart(QChart* chart)
{
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
}

QColor seriesColor(int index)
{
    // Okabe-Ito palette (distinguishable with the common colour-vision deficiencies).
    static const QColor palette[] = { QColor(0x00, 0x72, 0xB2), QColor(0xE6, 0x9F, 0x00),
        QColor(0x00, 0x9E, 0x73), QColor(0xCC, 0x79, 0xA7), QColor(0x56, 0xB4, 0xE9),
        QColor(0xD5, 0x5E, 0x00), QColor(0xF0, 0xE4, 0x42), QColor(0x00, 0x00, 0x00) };
    return palette[index % 8];
}

void attachBarAxes(QChart* chart, QBarSeries* series, const QStringList& categories,
    const QString& valueTitle, double minimum, double maximum)
{
    auto* categoryAxis = new QBarCategoryAxis;
    categoryAxis->append(categories);
    // A slightly smaller font keeps class names like "carburetor" whole; many classes tilt.
    QFont labelFont = categoryAxis->labelsFont();
    labelFont.setPointSizeF(std::max(7.5, labelFont.pointSizeF() * 0.9));
    categoryAxis->setLabelsFont(labelFont);
    qsizetype longest = 0;
    for (const QString& category : categories)
        longest = std::max(longest, category.size());
    if (categories.size() > 8 || categories.size() * longest > 50)
        categoryAxis->setLabelsAngle(-90);
    auto* valueAxis = new QValueAxis;
    valueAxis->setRange(minimum, maximum);
    valueAxis->applyNiceNumbers();
    valueAxis->setTitleText(valueTitle);
    valueAxis->setLabelFormat(maximum - minimum < 0.05 ? QStringLiteral("%.3f") : QStringLiteral("%.2f"));
    chart->addAxis(categoryAxis, Qt::AlignBottom);
    chart->addAxis(valueAxis, Qt::AlignLeft);
    series->attachAxis(categoryAxis);
    series->attachAxis(valueAxis);
}

void addBarTooltips(QBarSeries* series, const QStringList& categories, const QString& quantity)
{
    QObject::connect(
        series, &QBarSeries::hovered, series, [categories, quantity](bool status, int index, QBarSet* set) {
            if (!status) {
                QToolTip::hideText();
                return;
            }
            QToolTip::showText(QCursor::pos(),
                QStringLiteral("%1\n%2: %3 = %4")
                    .arg(set->label(), categories.value(index), quantity)
                    .arg(set->at(index), 0, 'g', 6));
        });
}

double niceCeiling(double value)
{
    if (!(value > 0.0))
        return 1.0;
    const double scale = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : { 1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0 })
        if (step * scale >= value * 1.05)
            return step * scale;
    return 10.0 * scale;
}

} // namespace cstudio::ui
