#pragma once
// A big number with a title above and a caption below ("Weights in memory / 35.0 GB /
// 70 B x 4 bits / 8"). The tooltip says how the number was computed.
#include <QFrame>

class QLabel;

namespace cstudio::ui {

class Readout : public QFrame {
    Q_OBJECT
public:
    Readout(const QString& title, const QString& objectName, double valueScale = 2.0, QWidget* parent = nullptr);
    void setValue(const QString& value, const QString& caption, const QString& howComputed);
    QString value() const;
    QString caption() const;
    // The width this tile needs to show its title and value whole on one line each and its
    // caption within its two wrapped lines (the page picks its columns from it).
    int neededWidth() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    // Fonts and the fixed height follow the page's font (presentation mode enlarges it).
    void applyFonts();

    double valueScale_;
    QLabel* title_;
    QLabel* value_;
    QLabel* caption_;
};

}  // namespace cstudio::ui
