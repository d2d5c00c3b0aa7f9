#pragma once
// A side column of fixed width (a page's controls) sized for the font it was built with keeps
// that width at that font, grows with a larger one (presentation mode) and is never narrower
// than its content's minimum, so its buttons and table headers are never cut.
class QWidget;

namespace cstudio::ui {

void scaleFixedWidthWithFont(QWidget* column, int baseWidth);

// A holder for such a column in a layout that may stack it under other items (see
// WidthAdaptiveArrangement): the column sits left in a row of the holder's width. Added to a
// vertical box directly, the column would be asked its height for the box's whole width, which
// it never gets; its wrapped labels need more lines at its own width, so the page would be laid
// out too short and the widgets above it would overlap (charts losing their axis titles).
QWidget* holdAtLeft(QWidget* column);

}  // namespace cstudio::ui
