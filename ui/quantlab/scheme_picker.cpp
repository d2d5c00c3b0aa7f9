#include "ui/quantlab/scheme_picker.h"

#include <QAction>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QStyle>
#include <QToolButton>
#include <algorithm>

namespace cstudio::ui {

QStringList SchemePicker::defaultSchemeNames()
{
    return {QStringLiteral("int8:ch"), QStringLiteral("int4:g64"), QStringLiteral("nf4"), QStringLiteral("q4_k"),
            QStringLiteral("mxfp4")};
}

SchemePicker::SchemePicker(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    editor_ = new QLineEdit(this);
    editor_->setObjectName(QStringLiteral("schemeEditor"));
    editor_->setMinimumWidth(220);
    editor_->setToolTip(tr("Schemes to compare, separated by commas: int2..int8 or uint2..uint8 with :tensor, :ch or "
                           ":gN (and :mse), nf4[:dq], fp8_e4m3, fp8_e5m2, mxfp4, nvfp4, bf16, fp16, q8_0, q4_0, q4_1, "
                           "q5_0, q5_1, q2_k..q6_k. Press Enter to apply."));
    addButton_ = new QToolButton(this);
    addButton_->setText(tr("Schemes"));
    addButton_->setPopupMode(QToolButton::InstantPopup);
    addButton_->setToolTip(tr("Tick standard schemes to add them to the list"));
    menu_ = new QMenu(addButton_);
    for (const QString& name : standardSchemeNames()) {
        QAction* action = menu_->addAction(name);
        action->setCheckable(true);
        Result<Scheme> scheme = parseScheme(name);
        if (scheme)
            action->setToolTip(QStringLiteral("%1 (%2 bits/weight)").arg(scheme->description).arg(scheme->nominalBitsPerWeight(), 0, 'f', 2));
        connect(action, &QAction::toggled, this, [this, name](bool on) {
            QStringList names = schemeNames();
            if (on && !names.contains(name))
                names << name;
            if (!on)
                names.removeAll(name);
            if (!names.isEmpty())
                setSchemeNames(names);
            else
                syncMenu();
        });
    }
    menu_->setToolTipsVisible(true);
    addButton_->setMenu(menu_);
    error_ = new QLabel(this);
    error_->setObjectName(QStringLiteral("schemeError"));
    error_->setStyleSheet(QStringLiteral("color: #b00020;"));
    layout->addWidget(editor_, 1);
    layout->addWidget(addButton_);
    layout->addWidget(error_);
    connect(editor_, &QLineEdit::editingFinished, this, &SchemePicker::parseText);
    setSchemeNames(defaultSchemeNames());
}

QStringList SchemePicker::schemeNames() const
{
    QStringList names;
    for (const Scheme& scheme : schemes_)
        names << scheme.name;
    return names;
}

QString SchemePicker::errorText() const { return error_->text(); }

bool SchemePicker::setSchemeNames(const QStringList& names)
{
    editor_->setText(names.join(QStringLiteral(", ")));
    parseText();
    return error_->text().isEmpty();
}

void SchemePicker::parseText()
{
    QString text = editor_->text();
    text.remove(QLatin1Char(' '));
    Result<std::vector<Scheme>> parsed = parseSchemeList(text);
    if (!parsed || parsed->empty()) {
        error_->setText(parsed ? tr("Choose at least one scheme") : parsed.error().message);
        return;
    }
    error_->clear();
    const QStringList before = schemeNames();
    schemes_ = std::move(*parsed);
    editor_->setText(schemeNames().join(QStringLiteral(", ")));
    fitEditorToText();
    syncMenu();
    if (schemeNames() != before)
        Q_EMIT schemesChanged();
}

void SchemePicker::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        fitEditorToText();
}

void SchemePicker::fitEditorToText()
{
    // The whole list reads without scrolling the field (a projector's font too); a long typed
    // list stops growing the field at ~60 characters, so it cannot push the page wider.
    const QFontMetrics metrics = editor_->fontMetrics();
    const int frame = 2 * editor_->style()->pixelMetric(QStyle::PM_DefaultFrameWidth, nullptr, editor_);
    const int text = metrics.horizontalAdvance(editor_->text()) + frame + 2 * 2 + metrics.averageCharWidth();  // 2 px margins, the cursor
    editor_->setMinimumWidth(std::clamp(text, 220, 60 * metrics.averageCharWidth()));
}

void SchemePicker::syncMenu()
{
    const QStringList names = schemeNames();
    for (QAction* action : menu_->actions()) {
        const QSignalBlocker block(action);
        action->setChecked(names.contains(action->text()));
    }
}

}  // namespace cstudio::ui
