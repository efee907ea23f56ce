#include "FigureExport.h"

#include <QChartView>
#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QTextOption>
#include <algorithm>
#include <functional>

namespace voxplain::ui {
namespace {
constexpr double kScreenDpi = 96.0;  // the logical resolution charts are laid out at

/// Draws the caption and the charts one under the other, in logical pixels from (0, 0).
void paintFigure(QPainter& painter, const std::vector<const QChartView*>& charts, const QString& caption, double width,
                 double captionHeight) {
  painter.fillRect(QRectF(0, 0, width, captionHeight), Qt::white);
  if (!caption.isEmpty()) {
    QFont font = painter.font();
    font.setPointSizeF(9);
    painter.setFont(font);
    painter.setPen(Qt::black);
    painter.drawText(QRectF(8, 4, width - 16, captionHeight - 8), caption, QTextOption(Qt::AlignLeft | Qt::AlignTop));
  }
  double y = captionHeight;
  for (const QChartView* view : charts) {
    const QRectF source = view->scene()->sceneRect();
    const QRectF target(0, y, source.width(), source.height());
    painter.fillRect(target, Qt::white);
    view->scene()->render(&painter, target, source);
    y += source.height();
  }
}
}  // namespace

QString exportCharts(const std::vector<const QChartView*>& all, const QString& file, const FigureOptions& options) {
  std::vector<const QChartView*> charts;
  for (const QChartView* c : all)
    if (c && c->isVisible()) charts.push_back(c);
  if (charts.empty()) return QObject::tr("there is no chart to save");
  double width = 0, height = 0;
  for (const QChartView* c : charts) {
    width = std::max(width, c->scene()->sceneRect().width());
    height += c->scene()->sceneRect().height();
  }
  // The caption's height: as many lines as it wraps to at this width.
  double captionHeight = 0;
  if (!options.caption.isEmpty()) {
    QImage probe(1, 1, QImage::Format_RGB32);
    QPainter p(&probe);
    QFont font = p.font();
    font.setPointSizeF(9);
    p.setFont(font);
    captionHeight = p.boundingRect(QRectF(0, 0, width - 16, 1e6), Qt::TextWordWrap, options.caption).height() + 12;
  }
  height += captionHeight;
  const QString suffix = QFileInfo(file).suffix().toLower();
  QSaveFile out(file);
  if (suffix != "png" && suffix != "svg" && suffix != "pdf")
    return QObject::tr("%1: unknown figure format \"%2\" (use .png, .svg or .pdf)")
        .arg(QFileInfo(file).fileName(), suffix);
  if (!out.open(QIODevice::WriteOnly)) return QObject::tr("%1: %2").arg(file, out.errorString());
  bool painted = true;
  if (suffix == "png") {
    const double scale = std::clamp(options.dpi, 72, 1200) / kScreenDpi;
    QImage image(int(std::ceil(width * scale)), int(std::ceil(height * scale)), QImage::Format_ARGB32);
    image.fill(Qt::white);
    image.setDotsPerMeterX(int(std::lround(std::clamp(options.dpi, 72, 1200) / 0.0254)));
    image.setDotsPerMeterY(image.dotsPerMeterX());
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.scale(scale, scale);
    paintFigure(painter, charts, options.caption, width, captionHeight);
    painter.end();
    painted = image.save(&out, "PNG");
  } else if (suffix == "svg") {
    QSvgGenerator svg;
    svg.setOutputDevice(&out);
    svg.setSize(QSize(int(std::ceil(width)), int(std::ceil(height))));
    svg.setViewBox(QRectF(0, 0, width, height));
    svg.setResolution(int(kScreenDpi));
    svg.setTitle(QObject::tr("Voxplain figure"));
    svg.setDescription(options.caption);
    QPainter painter(&svg);
    paintFigure(painter, charts, options.caption, width, captionHeight);
    painted = painter.end();
  } else {
    QPdfWriter pdf(&out);
    pdf.setResolution(int(kScreenDpi));
    pdf.setPageSize(QPageSize(QSizeF(width / kScreenDpi * 72.0, height / kScreenDpi * 72.0), QPageSize::Point));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    pdf.setTitle(QObject::tr("Voxplain figure"));
    pdf.setCreator("Voxplain");
    QPainter painter(&pdf);
    paintFigure(painter, charts, options.caption, width, captionHeight);
    painted = painter.end();
  }
  if (!painted) {
    out.cancelWriting();
    return QObject::tr("%1: the figure could not be drawn").arg(file);
  }
  if (!out.commit()) return QObject::tr("%1: %2").arg(file, out.errorString());
  return {};
}

}  // namespace voxplain::ui
