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

void setImageDpi(QImage& image, double dpi) {
  image.setDotsPerMeterX(int(std::lround(dpi / 0.0254)));
  image.setDotsPerMeterY(image.dotsPerMeterX());
}

QImage rasteriseSvg(const QByteArray& svg, int dpi) {
  QSvgRenderer renderer(svg);
  if (!renderer.isValid()) return {};
  dpi = std::clamp(dpi, 72, 1200);
  const double scale = dpi / kFigureLayoutDpi;
  const QSizeF size = renderer.viewBoxF().size();
  QImage image(int(std::ceil(size.width() * scale)), int(std::ceil(size.height() * scale)), QImage::Format_ARGB32);
  image.fill(Qt::white);
  // Painted at 96 DPI and scaled (Qt sizes text by the device's DPI), then the figure's DPI recorded.
  setImageDpi(image, kFigureLayoutDpi);
  {
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    renderer.render(&painter, QRectF(QPointF(0, 0), QSizeF(image.size())));
  }
  setImageDpi(image, dpi);
  return image;
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
