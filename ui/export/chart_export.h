#pragma once
// Charts leave the studio as they look on screen: PNG at a chosen scale (2× for slides, 4× for
// print) and SVG (Qt SVG) for papers and further editing. Files are written atomically.
#include "core/result.h"

#include <QByteArray>
#include <QImage>
#include <QString>

class QChartView;

namespace cstudio::ui {

// The view rendered at `scale` × its on-screen size (1 to 8), on a white background.
QImage renderChartImage(QChartView* view, double scale);
QByteArray renderChartPng(QChartView* view, double scale);
QByteArray renderChartSvg(QChartView* view, const QString& title);

// Writes PNG or SVG by the path's suffix (".png", ".svg"); other suffixes are an error.
Result<void> exportChart(QChartView* view, const QString& path, double pngScale, const QString& title = {});

}  // namespace cstudio::ui
