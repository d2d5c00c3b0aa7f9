#include "ui/export/chart_export.h"

#include "core/export/atomic_file.h"

#include <QBuffer>
#include <QChartView>
#include <QFileInfo>
#include <QPainter>
#include <QSvgGenerator>

namespace cstudio::ui {

QImage renderChartImage(QChartView* view, double scale)
{
    scale = qBound(1.0, scale, 8.0);
    const QSize logical = view->viewport()->size();
    QImage image(logical * scale, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scale);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    view->render(&painter, QRectF(QPointF(0, 0), QSizeF(logical)), view->viewport()->rect());
    painter.end();
    return image;
}

QByteArray renderChartPng(QChartView* view, double scale)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    renderChartImage(view, scale).save(&buffer, "PNG");
    return bytes;
}

QByteArray renderChartSvg(QChartView* view, const QString& title)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    const QSize size = view->viewport()->size();
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(size);
    generator.setViewBox(QRect(QPoint(0, 0), size));
    generator.setTitle(title);
    generator.setDescription(QStringLiteral("Exported from Compression Studio"));
    QPainter painter(&generator);
    painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
    view->render(&painter, QRectF(QPointF(0, 0), QSizeF(size)), view->viewport()->rect());
    painter.end();
    return bytes;
}

Result<void> exportChart(QChartView* view, const QString& path, double pngScale, const QString& title)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png"))
        return writeFileAtomically(path, renderChartPng(view, pngScale));
    if (suffix == QLatin1String("svg"))
        return writeFileAtomically(path, renderChartSvg(view, title));
    return Error{path, -1, QStringLiteral("charts export as .png or .svg, not .%1").arg(suffix)};
}

}  // namespace cstudio::ui
