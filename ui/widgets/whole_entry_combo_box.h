#pragma once
// A combo box whose every entry reads whole in the closed box: as wide as its longest entry at
// its current font (presentation mode's larger one too), so a layout never squeezes it below
// that. (QComboBox keeps the minimum size it computed at its first font, so after a font
// change a layout could give it less than its entries need and cut the chosen one.)
class QComboBox;

namespace cstudio::ui {

void keepEntriesWhole(QComboBox* combo);

}  // namespace cstudio::ui
