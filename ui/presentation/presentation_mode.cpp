#include "ui/presentation/presentation_mode.h"

#include <QAbstractAxis>
#include <QApplication>
#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QLegend>
#include <QMainWindow>
#include <QMenuBar>
#include <QScatterSeries>
#include <QScreen>
#include <QStatusBar>
#include <QTimer>
#include <QXYSeries>

namespace cstudio::ui {
namespace {

// Each object keeps its base value in a dynamic property the first time it is scaled, so
// scaling is idempotent and restoring is exact.
QFont baseFont(QObject* object, const char* key, const QFont& current)
{
    const QVariant stored = object->property(key);
    if (stored.isValid())
        return stored.value<QFont>();
    object->setProperty(key, current);
    return current;
}

qreal baseReal(QObject* object, const char* key, qreal current)
{
    const QVariant stored = object->property(key);
    if (stored.isValid())
        return stored.toReal();
    object->setProperty(key, current);
    return current;
}

QFont scaled(QFont font, double factor)
{
    if (font.pointSizeF() > 0)
        font.setPointSizeF(font.pointSizeF() * factor);
    else if (font.pixelSize() > 0)
        font.setPixelSize(qRound(font.pixelSize() * factor));
    return font;
}

}  // namespace

PresentationMode::PresentationMode(QMainWindow* window, QList<QWidget*> chrome)
    : QObject(window), window_(window), rewalk_(new QTimer(this))
{
    for (QWidget* widget : chrome)
        chrome_.append(widget);
    rewalk_->setInterval(700);
    connect(rewalk_, &QTimer::timeout, this, [this] { scaleCharts(window_, kFontScale, kLineScale); });
}

PresentationMode::~PresentationMode()
{
    if (active_)
        QApplication::setFont(applicationFont_);
}

void PresentationMode::setActive(bool active)
{
    if (active == active_)
        return;
    active_ = active;
    if (active) {
        wasFullScreen_ = window_->isFullScreen();
        wasMaximized_ = window_->isMaximized();
        menuBarWasVisible_ = window_->menuBar()->isVisible();
        statusBarWasVisible_ = window_->statusBar()->isVisible();
        chromeWasVisible_.clear();
        for (const auto& widget : chrome_) {
            chromeWasVisible_.append(widget && widget->isVisible());
            if (widget)
                widget->hide();
        }
        window_->menuBar()->hide();
        window_->statusBar()->hide();
        applicationFont_ = QApplication::font();
        QApplication::setFont(scaled(applicationFont_, kFontScale));
        scaleCharts(window_, kFontScale, kLineScale);
        normalGeometry_ = window_->geometry();
        window_->showFullScreen();
        // Without a window manager (a kiosk, Xvfb) the full-screen request is not acted on;
        // covering the screen by hand gives the same result there and is harmless elsewhere.
        if (QScreen* screen = window_->screen())
            window_->setGeometry(screen->geometry());
        rewalk_->start();
    } else {
        rewalk_->stop();
        QApplication::setFont(applicationFont_);
        scaleCharts(window_, 1.0, 1.0);
        for (int i = 0; i < chrome_.size(); ++i) {
            if (chrome_[i] && chromeWasVisible_.value(i))
                chrome_[i]->show();
        }
        window_->menuBar()->setVisible(menuBarWasVisible_);
        window_->statusBar()->setVisible(statusBarWasVisible_);
        if (!wasFullScreen_) {
            wasMaximized_ ? window_->showMaximized() : window_->showNormal();
            if (!wasMaximized_)
                window_->setGeometry(normalGeometry_);
        }
    }
    Q_EMIT activeChanged(active_);
}

void PresentationMode::scaleCharts(QWidget* root, double fontFactor, double lineFactor)
{
    for (QChartView* view : root->findChildren<QChartView*>()) {
        QChart* chart = view->chart();
        if (!chart)
            continue;
        chart->setTitleFont(scaled(baseFont(chart, "cstudioTitleFont", chart->titleFont()), fontFactor));
        QLegend* legend = chart->legend();
        legend->setFont(scaled(baseFont(legend, "cstudioLegendFont", legend->font()), fontFactor));
        for (QAbstractAxis* axis : chart->axes()) {
            axis->setLabelsFont(scaled(baseFont(axis, "cstudioLabelsFont", axis->labelsFont()), fontFactor));
            axis->setTitleFont(scaled(baseFont(axis, "cstudioAxisTitleFont", axis->titleFont()), fontFactor));
        }
        for (QAbstractSeries* series : chart->series()) {
            if (auto* scatter = qobject_cast<QScatterSeries*>(series)) {
                scatter->setMarkerSize(baseReal(scatter, "cstudioMarkerSize", scatter->markerSize()) * lineFactor);
            } else if (auto* xy = qobject_cast<QXYSeries*>(series)) {
                QPen pen = xy->pen();
                const qreal base = baseReal(xy, "cstudioPenWidth", pen.widthF());
                // a cosmetic 0-width pen draws 1 pixel wide: scale from 1
                pen.setWidthF(lineFactor == 1.0 ? base : qMax<qreal>(1.0, base) * lineFactor);
                xy->setPen(pen);
            } else if (auto* area = qobject_cast<QAreaSeries*>(series)) {
                QPen pen = area->pen();
                pen.setWidthF(baseReal(area, "cstudioPenWidth", pen.widthF()) * lineFactor);
                area->setPen(pen);
            }
        }
    }
}

}  // namespace cstudio::ui
