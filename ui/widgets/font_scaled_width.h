#pragma once
// A side column of fixed width (a page's controls) sized for the font it was built with keeps
// that width at that font, grows with a larger one (presentation mode) and is never narrower
// than its content's minimum, so its buttons and table headers are never cut.
class QWidget;

namespace cstudio::ui {

void scaleFixedWidthWithFont(QWidget* column, int baseWidth);

}  // namespace cstudio::ui
