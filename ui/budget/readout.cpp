#include "ui/budget/readout.h"

#include <QEvent>
#include <QLabel>
#include <QVBoxLayout>
#include <algorithm>

namespace cstudio::ui {

Readout::Readout(const QString& title, const QString& objectName, double valueScale, QWidget* parent)
    : QFrame(parent), valueScale_(valueScale)
{
    setObjectName(objectName);
    setFrameShape(QFrame::StyledPanel);
    // Width from the grid's stretch and a fixed height: a new number must never re-lay out
    // the page (that would resize the charts under a dragged slider).
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 8);
    layout->setSpacing(2);
    title_ = new QLabel(title, this);
    title_->setForegroundRole(QPalette::PlaceholderText);
    title_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    title_->setToolTip(title);
    value_ = new QLabel(this);
    value_->setObjectName(objectName + QStringLiteral("Value"));
    value_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    caption_ = new QLabel(this);
    caption_->setObjectName(objectName + QStringLiteral("Caption"));
    caption_->setForegroundRole(QPalette::PlaceholderText);
    caption_->setWordWrap(true);
    caption_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    caption_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    value_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    layout->addWidget(title_);
    layout->addWidget(value_);
    layout->addWidget(caption_);
    applyFonts();
}

void Readout::applyFonts()
{
    QFont titleFont = font();
    titleFont.setCapitalization(QFont::AllUppercase);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 0.85);
    titleFont.setLetterSpacing(QFont::PercentageSpacing, 105);
    title_->setFont(titleFont);
    QFont valueFont = font();
    valueFont.setPointSizeF(valueFont.pointSizeF() * valueScale_);
    valueFont.setBold(true);
    value_->setFont(valueFont);
    caption_->setFixedHeight(2 * caption_->fontMetrics().lineSpacing() + 2);
    setFixedHeight(layout()->sizeHint().height());
}

void Readout::changeEvent(QEvent* event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        applyFonts();
}

void Readout::setValue(const QString& value, const QString& caption, const QString& howComputed)
{
    value_->setText(value);
    caption_->setText(caption);
    setToolTip(howComputed);
    value_->setToolTip(howComputed);
}

int Readout::neededWidth() const
{
    const QMargins margins = layout()->contentsMargins();
    const int chrome = margins.left() + margins.right() + 2 * frameWidth();
    int text = std::max(title_->sizeHint().width(), value_->sizeHint().width());
    if (!caption_->text().isEmpty()) {
        // The narrowest width at which the caption's wrapped lines fit its fixed height.
        const int lines = caption_->minimumHeight();
        int fits = std::max(text, caption_->fontMetrics().horizontalAdvance(caption_->text()) + 8);
        if (caption_->heightForWidth(fits) <= lines) {
            int tooNarrow = text;
            if (caption_->heightForWidth(tooNarrow) <= lines)
                fits = tooNarrow;
            while (fits - tooNarrow > 1) {
                const int middle = (fits + tooNarrow) / 2;
                (caption_->heightForWidth(middle) <= lines ? fits : tooNarrow) = middle;
            }
        }
        text = std::max(text, fits);
    }
    return text + chrome;
}

QString Readout::value() const { return value_->text(); }
QString Readout::caption() const { return caption_->text(); }

}  // namespace cstudio::ui
