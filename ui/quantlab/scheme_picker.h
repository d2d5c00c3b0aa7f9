#pragma once
// Picks several quantization schemes at once: a comma-separated list the user can type freely
// (validated with parseSchemeList, errors shown beside it) and a menu of the standard schemes
// that toggles names in the list.
#include "core/quant/scheme.h"

#include <QWidget>
#include <vector>

class QLabel;
class QLineEdit;
class QMenu;
class QToolButton;

namespace cstudio::ui {

class SchemePicker : public QWidget {
    Q_OBJECT
public:
    explicit SchemePicker(QWidget* parent = nullptr);

    // The last valid list (never empty).
    const std::vector<Scheme>& schemes() const { return schemes_; }
    QStringList schemeNames() const;
    // Sets the text; returns false (and keeps the previous schemes) when it does not parse.
    bool setSchemeNames(const QStringList& names);
    QLineEdit* editor() const { return editor_; }
    QString errorText() const;

    static QStringList defaultSchemeNames();

Q_SIGNALS:
    void schemesChanged();

protected:
    void changeEvent(QEvent* event) override;

private:
    // The field as wide as its list of schemes (up to ~60 characters), at the current font.
    void fitEditorToText();
    void parseText();
    void syncMenu();

    QLineEdit* editor_ = nullptr;
    QToolButton* addButton_ = nullptr;
    QMenu* menu_ = nullptr;
    QLabel* error_ = nullptr;
    std::vector<Scheme> schemes_;
};

}  // namespace cstudio::ui
