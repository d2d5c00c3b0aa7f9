#include "ui/budget/precision_scale.h"

#include "ui/budget/precision_slider.h"

#include <QHelpEvent>
#include <QPainter>
#include <QSlider>
#include <QStyle>
#include <QStyleOptionSlider>
#include <QToolTip>
#include <algorithm>
#include <limits>
#include <map>

namespace cstudio::ui {
namespace {
constexpr int kRows = 3;
constexpr int kMergeDistancePx = 3;  // formats closer than this share one tick
constexpr int kLabelGapPx = 6;
}  // namespace

PrecisionScale::PrecisionScale(QSlider* slider, QWidget* parent) : QWidget(parent), slider_(slider)
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void PrecisionScale::setFormats(const std::vector<budget::QuantFormat>* formats)
{
    formats_ = formats;
    update();
}

QSize PrecisionScale::sizeHint() const
{
    const int lineHeight = fontMetrics().height();
    return {400, 8 + (kRows + 1) * lineHeight + 2};
}

int PrecisionScale::xForPosition(int position) const
{
    // Same geometry as the slider's handle centre, mapped into this widget.
    QStyleOptionSlider option;
    option.initFrom(slider_);
    option.orientation = Qt::Horizontal;
    option.minimum = slider_->minimum();
    option.maximum = slider_->maximum();
    option.sliderPosition = position;
    option.sliderValue = position;
    const QRect groove = slider_->style()->subControlRect(QStyle::CC_Slider, &option, QStyle::SC_SliderGroove, slider_);
    const QRect handle = slider_->style()->subControlRect(QStyle::CC_Slider, &option, QStyle::SC_SliderHandle, slider_);
    const int span = groove.width() - handle.width();
    const int x = groove.x() + handle.width() / 2
                  + QStyle::sliderPositionFromValue(option.minimum, option.maximum, position, span);
    return mapFromGlobal(slider_->mapToGlobal(QPoint(x, 0))).x();
}

std::vector<PrecisionScale::Mark> PrecisionScale::layoutMarks() const
{
    std::vector<Mark> marks;
    if (!formats_)
        return marks;
    // Group formats by tick position (several share a width), widest first.
    std::map<int, std::vector<const budget::QuantFormat*>, std::greater<>> byX;
    for (const budget::QuantFormat& format : *formats_) {
        if (format.bitsPerWeight < PrecisionSlider::kMinBits || format.bitsPerWeight > PrecisionSlider::kMaxBits)
            continue;
        const int x = xForPosition(PrecisionSlider::positionForBits(format.bitsPerWeight));
        auto near = std::find_if(byX.begin(), byX.end(), [x](const auto& entry) { return std::abs(entry.first - x) <= kMergeDistancePx; });
        if (near != byX.end())
            near->second.push_back(&format);
        else
            byX[x].push_back(&format);
    }
    for (const auto& [x, group] : byX) {
        Mark mark;
        mark.x = x;
        std::vector<const budget::QuantFormat*> ordered = group;
        std::stable_sort(ordered.begin(), ordered.end(), [](const budget::QuantFormat* a, const budget::QuantFormat* b) {
            return PrecisionSlider::prominence(*a) < PrecisionSlider::prominence(*b);
        });
        QStringList names, lines;
        for (const budget::QuantFormat* format : ordered) {
            if (!names.contains(format->shortName))
                names << format->shortName;
            lines << QStringLiteral("%1: %2 bits/weight").arg(format->name).arg(format->bitsPerWeight);
        }
        mark.label = names.size() <= 2 ? names.join(QStringLiteral("·"))
                                       : names.mid(0, 2).join(QStringLiteral("·")) + QStringLiteral("+%1").arg(names.size() - 2);
        mark.tooltip = lines.join(QLatin1Char('\n'));
        marks.push_back(mark);
    }
    // Left to right, put each label on the first row where it does not touch its neighbour.
    std::sort(marks.begin(), marks.end(), [](const Mark& a, const Mark& b) { return a.x < b.x; });
    int rowEnd[kRows];
    std::fill(std::begin(rowEnd), std::end(rowEnd), std::numeric_limits<int>::min());
    const QFontMetrics metrics = fontMetrics();
    for (Mark& mark : marks) {
        const int width = metrics.horizontalAdvance(mark.label);
        const int left = std::clamp(mark.x - width / 2, 0, std::max(0, this->width() - width));
        for (int row = 0; row < kRows; ++row) {
            if (left >= rowEnd[row] + kLabelGapPx) {
                mark.row = row;
                rowEnd[row] = left + width;
                break;
            }
        }
    }
    return marks;
}

void PrecisionScale::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette& colors = palette();
    const QFontMetrics metrics = fontMetrics();
    const int lineHeight = metrics.height();
    // The last row: the octaves, so the log scale reads as bits (1, 2, 4 ... 32).
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    painter.setFont(small);
    painter.setPen(colors.color(QPalette::PlaceholderText));
    const QFontMetrics smallMetrics(small);
    const int octaveTop = 8 + kRows * lineHeight;
    for (int bits = 1; bits <= 32; bits *= 2) {
        const int x = xForPosition(PrecisionSlider::positionForBits(bits));
        const QString text = bits == 1 ? tr("1 bit") : bits == 32 ? tr("32 bits") : QString::number(bits);
        const int width = smallMetrics.horizontalAdvance(text);
        const int left = std::clamp(x - width / 2, 0, std::max(0, this->width() - width));
        painter.drawText(QRect(left, octaveTop, width, lineHeight), Qt::AlignCenter, text);
    }
    painter.setFont(font());
    for (const Mark& mark : layoutMarks()) {
        painter.setPen(QPen(colors.color(QPalette::WindowText), 1));
        painter.drawLine(mark.x, 0, mark.x, 5);
        if (mark.row > 0) {  // a faint leader down to a label on a lower row
            painter.setPen(QPen(colors.color(QPalette::Mid), 1, Qt::DotLine));
            painter.drawLine(mark.x, 5, mark.x, 6 + mark.row * lineHeight);
        }
        if (mark.row < 0)
            continue;
        const int width = metrics.horizontalAdvance(mark.label);
        const int left = std::clamp(mark.x - width / 2, 0, std::max(0, this->width() - width));
        painter.setPen(colors.color(QPalette::Text));
        painter.drawText(QRect(left, 6 + mark.row * lineHeight, width, lineHeight), Qt::AlignCenter, mark.label);
    }
}

bool PrecisionScale::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const std::vector<Mark> marks = layoutMarks();
        const Mark* nearest = nullptr;
        for (const Mark& mark : marks)
            if (!nearest || std::abs(mark.x - help->pos().x()) < std::abs(nearest->x - help->pos().x()))
                nearest = &mark;
        if (nearest && std::abs(nearest->x - help->pos().x()) <= 12)
            QToolTip::showText(help->globalPos(), nearest->tooltip, this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

}  // namespace cstudio::ui
