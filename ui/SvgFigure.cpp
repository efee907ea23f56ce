#include "SvgFigure.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QObject>
#include <QPainter>
#include <QSaveFile>
#include <QSvgRenderer>
#include <algorithm>
#include <cmath>

namespace voxplain::ui {

namespace {
void setImageDpi(QImage& image, double dpi) {
  image.setDotsPerMeterX(int(std::lround(dpi / 0.0254)));
  image.setDotsPerMeterY(image.dotsPerMeterX());
}
}  // namespace

QImage paintFigureImage(const QSizeF& logicalSize, int dpi, const std::function<void(QPainter&)>& paint) {
  dpi = std::clamp(dpi, 72, 1200);
  const double scale = dpi / kFigureLayoutDpi;
  QImage image(int(std::ceil(logicalSize.width() * scale)), int(std::ceil(logicalSize.height() * scale)),
               QImage::Format_ARGB32);
  if (image.isNull()) return image;
  image.fill(Qt::white);
  // Painted at the layout's 96 DPI and scaled (Qt sizes text by the device's DPI: a 300 DPI image
  // would enlarge text a second time); the image then records the figure's DPI.
  setImageDpi(image, kFigureLayoutDpi);
  {
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    painter.scale(scale, scale);
    paint(painter);
  }
  setImageDpi(image, dpi);
  return image;
}

QImage rasteriseSvg(const QByteArray& svg, int dpi) {
  QSvgRenderer renderer(svg);
  if (!renderer.isValid()) return {};
  const QSizeF size = renderer.viewBoxF().size();
  return paintFigureImage(size, dpi,
                          [&](QPainter& painter) { renderer.render(&painter, QRectF(QPointF(0, 0), size)); });
}

QString pngFileOf(const QString& svgFile) {
  const QFileInfo info(svgFile);
  return info.dir().filePath(info.completeBaseName() + ".png");
}

QString writePngOfSvg(const QString& svgFile, int dpi) {
  QFile in(svgFile);
  if (!in.open(QIODevice::ReadOnly)) return QObject::tr("%1: %2").arg(svgFile, in.errorString());
  const QImage image = rasteriseSvg(in.readAll(), dpi);
  if (image.isNull()) return QObject::tr("%1: the SVG does not parse").arg(svgFile);
  const QString png = pngFileOf(svgFile);
  QSaveFile out(png);
  if (!out.open(QIODevice::WriteOnly)) return QObject::tr("%1: %2").arg(png, out.errorString());
  if (!image.save(&out, "PNG")) {
    out.cancelWriting();
    return QObject::tr("%1: the PNG could not be written").arg(png);
  }
  if (!out.commit()) return QObject::tr("%1: %2").arg(png, out.errorString());
  return {};
}

}  // namespace voxplain::ui
