#include "FigureExport.h"

#include <QFileInfo>
#include <QFontMetricsF>
#include <QImage>
#include <QPainter>
#include <QPdfWriter>
#include <QPen>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QSvgRenderer>
#include <QTextLayout>
#include <QTextOption>
#include <QWidget>
#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>

#include "VtkView.h"
#include "analysis/SvgCharts.h"

namespace voxplain::ui {
namespace {

constexpr int kCaptionPixels = 12;                   ///< 9 pt at 96 logical pixels per inch, whatever the device's DPI
using PaintFigure = std::function<void(QPainter&)>;  ///< paints in logical pixels from (0, 0)

/// The caption wrapped to `width` (less the margins), one string per line.
QStringList captionLines(const QString& caption, double width) {
  QStringList lines;
  if (caption.isEmpty()) return lines;
  QFont font;
  font.setPixelSize(kCaptionPixels);
  QTextLayout layout(caption, font);
  QTextOption option;
  option.setWrapMode(QTextOption::WordWrap);
  layout.setTextOption(option);
  layout.beginLayout();
  for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
    line.setLineWidth(std::max(1.0, width - 16));
    lines << caption.mid(line.textStart(), line.textLength()).trimmed();
  }
  layout.endLayout();
  return lines;
}

/// The caption band's height at `width`: its lines and a margin.
double captionHeight(const QString& caption, double width) {
  if (caption.isEmpty()) return 0;
  return captionLines(caption, width).size() * kCaptionPixels * 1.25 + 12;
}

void paintCaption(QPainter& painter, const QString& caption, double width, double height) {
  painter.fillRect(QRectF(0, 0, width, height), Qt::white);
  QFont font = painter.font();
  font.setPixelSize(kCaptionPixels);
  painter.setFont(font);
  painter.setPen(Qt::black);
  double y = 4;
  for (const QString& line : captionLines(caption, width)) {
    painter.drawText(QRectF(8, y, width - 16, kCaptionPixels * 1.25), Qt::AlignLeft | Qt::AlignVCenter, line);
    y += kCaptionPixels * 1.25;
  }
}

/// The legend's rows at `width`: entries placed left to right, wrapped; each a swatch and a name.
std::vector<std::vector<std::pair<const FigureLegendEntry*, double>>> legendRows(
    const std::vector<FigureLegendEntry>& legend, double width) {
  std::vector<std::vector<std::pair<const FigureLegendEntry*, double>>> rows;
  if (legend.empty()) return rows;
  QFont font;
  font.setPixelSize(kCaptionPixels);
  const QFontMetricsF metrics(font);
  double x = 8;
  rows.emplace_back();
  for (const FigureLegendEntry& entry : legend) {
    const double w = kCaptionPixels * 1.5 + metrics.horizontalAdvance(entry.name) + kCaptionPixels;
    if (x + w > width - 8 && !rows.back().empty()) {
      rows.emplace_back();
      x = 8;
    }
    rows.back().emplace_back(&entry, x);
    x += w;
  }
  return rows;
}

double legendHeight(const std::vector<FigureLegendEntry>& legend, double width) {
  return double(legendRows(legend, width).size()) * kCaptionPixels * 1.5;
}

void paintLegend(QPainter& painter, const std::vector<FigureLegendEntry>& legend, double width, double top) {
  QFont font = painter.font();
  font.setPixelSize(kCaptionPixels);
  painter.setFont(font);
  const auto rows = legendRows(legend, width);
  painter.fillRect(QRectF(0, top, width, legendHeight(legend, width)), Qt::white);
  double y = top + kCaptionPixels * 0.25;
  for (const auto& row : rows) {
    for (const auto& [entry, x] : row) {
      const QRectF swatch(x, y, kCaptionPixels, kCaptionPixels);
      if (entry->outlined) {
        painter.setPen(QPen(entry->colour, 2.0));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(swatch.adjusted(1, 1, -1, -1));
      } else {
        painter.fillRect(swatch, entry->colour);
      }
      painter.setPen(Qt::black);
      painter.drawText(QRectF(x + kCaptionPixels * 1.5, y - 2, width, kCaptionPixels * 1.25),
                       Qt::AlignLeft | Qt::AlignVCenter, entry->name);
    }
    y += kCaptionPixels * 1.5;
  }
}

/// Why `file` cannot be a figure (its suffix is no known format), or an empty string.
QString formatRefusal(const QString& file) {
  const QString suffix = QFileInfo(file).suffix().toLower();
  if (isFigureFormat(suffix)) return {};
  return QObject::tr("%1: unknown figure format \"%2\" (use .png, .svg or .pdf)")
      .arg(QFileInfo(file).fileName(), suffix);
}

/// Writes a figure of `size` logical pixels (plus the caption band above it) as PNG, SVG or PDF.
QString writeFigure(const QString& file, const QSizeF& size, const PaintFigure& paint, const FigureOptions& options) {
  if (QString refused = formatRefusal(file); !refused.isEmpty()) return refused;
  const QString suffix = QFileInfo(file).suffix().toLower();
  if (size.isEmpty()) return QObject::tr("%1: there is nothing to draw").arg(QFileInfo(file).fileName());
  const double captionBand = captionHeight(options.caption, size.width());
  const double band = captionBand + legendHeight(options.legend, size.width());
  const double width = size.width(), height = size.height() + band;
  const auto draw = [&](QPainter& painter) {
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    paintCaption(painter, options.caption, width, captionBand);
    paintLegend(painter, options.legend, width, captionBand);
    painter.translate(0, band);
    paint(painter);
  };
  QSaveFile out(file);
  if (!out.open(QIODevice::WriteOnly)) return QObject::tr("%1: %2").arg(file, out.errorString());
  bool painted = true;
  if (suffix == "png") {
    const QImage image = paintFigureImage(QSizeF(width, height), options.dpi, draw);
    const double scale = std::clamp(options.dpi, 72, 1200) / kFigureLayoutDpi;
    if (image.isNull())
      return QObject::tr("%1: a %2 x %3 px image is too large").arg(file).arg(width * scale).arg(height * scale);
    painted = image.save(&out, "PNG");
  } else if (suffix == "svg") {
    QSvgGenerator svg;
    svg.setOutputDevice(&out);
    svg.setSize(QSize(int(std::ceil(width)), int(std::ceil(height))));
    svg.setViewBox(QRectF(0, 0, width, height));
    svg.setResolution(int(kFigureLayoutDpi));
    svg.setTitle(QObject::tr("Voxplain figure"));
    svg.setDescription(options.caption);
    QPainter painter(&svg);
    draw(painter);
    painted = painter.end();
  } else {
    QPdfWriter pdf(&out);
    pdf.setResolution(int(kFigureLayoutDpi));
    pdf.setPageSize(
        QPageSize(QSizeF(width / kFigureLayoutDpi * 72.0, height / kFigureLayoutDpi * 72.0), QPageSize::Point));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    pdf.setTitle(QObject::tr("Voxplain figure"));
    pdf.setCreator("Voxplain");
    QPainter painter(&pdf);
    draw(painter);
    painted = painter.end();
  }
  if (!painted) {
    out.cancelWriting();
    return QObject::tr("%1: the figure could not be drawn").arg(file);
  }
  if (!out.commit()) return QObject::tr("%1: %2").arg(file, out.errorString());
  return {};
}

/// The view's pixels at the figure's DPI, or a null image when it cannot render (never shown).
QImage renderViewAt(render::VtkView* view, int dpi) {
  const double scale = std::clamp(dpi, 72, 1200) / kFigureLayoutDpi;
  return view->renderOffscreen(QSize(int(std::lround(view->width() * scale)), int(std::lround(view->height() * scale))),
                               scale);
}

}  // namespace

bool isFigureFormat(const QString& suffix) {
  const QString s = suffix.toLower();
  return s == "png" || s == "svg" || s == "pdf";
}

QString exportSvgFigures(const std::vector<QByteArray>& svgs, const QString& file, const FigureOptions& options) {
  std::vector<std::pair<QByteArray, std::shared_ptr<QSvgRenderer>>> figures;
  QSizeF size(0, 0);
  for (const QByteArray& svg : svgs) {
    if (svg.isEmpty()) continue;
    auto renderer = std::make_shared<QSvgRenderer>(svg);
    if (!renderer->isValid()) continue;
    const QSizeF s = renderer->viewBoxF().size();
    size = QSizeF(std::max(size.width(), s.width()), size.height() + s.height());
    figures.emplace_back(svg, renderer);
  }
  if (figures.empty()) return QObject::tr("%1: there is no chart to save").arg(QFileInfo(file).fileName());
  if (QFileInfo(file).suffix().toLower() == "svg") {
    // SVG stays the charts' own SVG (text stays text, as voxplain-cli writes it): one document
    // holding the caption and each chart as a nested <svg> one under the other.
    const double band = captionHeight(options.caption, size.width());
    QByteArray out =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
        "width=\"" +
        QByteArray::number(size.width()) + "\" height=\"" + QByteArray::number(size.height() + band) +
        "\" viewBox=\"0 0 " + QByteArray::number(size.width()) + " " + QByteArray::number(size.height() + band) +
        "\">\n<title>Voxplain figure</title>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    double y = 4 + kCaptionPixels;
    for (const QString& line : captionLines(options.caption, size.width())) {
      out += "<text x=\"8\" y=\"" + QByteArray::number(y) +
             "\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"" + QByteArray::number(kCaptionPixels) +
             "\">" + QByteArray::fromStdString(xmlEscaped(line.toStdString())) + "</text>\n";
      y += kCaptionPixels * 1.25;
    }
    y = band;
    for (const auto& [svg, renderer] : figures) {
      QByteArray body = svg.mid(std::max<qsizetype>(0, svg.indexOf("<svg")));
      body.replace(0, 4, "<svg x=\"0\" y=\"" + QByteArray::number(y) + "\"");
      out += body.trimmed() + "\n";
      y += renderer->viewBoxF().height();
    }
    out += "</svg>\n";
    QSaveFile save(file);
    if (!save.open(QIODevice::WriteOnly) || save.write(out) != out.size())
      return QObject::tr("%1: %2").arg(file, save.errorString());
    if (!save.commit()) return QObject::tr("%1: %2").arg(file, save.errorString());
    return {};
  }
  return writeFigure(
      file, size,
      [&](QPainter& painter) {
        double y = 0;
        for (const auto& [svg, r] : figures) {
          const QSizeF s = r->viewBoxF().size();
          r->render(&painter, QRectF(QPointF(0, y), s));
          y += s.height();
        }
      },
      options);
}

QString exportView(render::VtkView* view, const QString& file, const FigureOptions& options) {
  if (!view || !view->isVisible() || view->size().isEmpty())
    return QObject::tr("%1: the view is not shown (hidden, or no room for it in the window)")
        .arg(QFileInfo(file).fileName());
  if (QString refused = formatRefusal(file); !refused.isEmpty()) return refused;
  const QImage pixels = renderViewAt(view, options.dpi);
  if (pixels.isNull()) return QObject::tr("%1: the view could not be rendered").arg(QFileInfo(file).fileName());
  const QSizeF size = view->size();
  return writeFigure(
      file, size, [&](QPainter& painter) { painter.drawImage(QRectF(QPointF(0, 0), size), pixels); }, options);
}

QString exportLayout(QWidget* root, const QString& file, const FigureOptions& options) {
  if (!root || !root->isVisible()) return QObject::tr("%1: the window is not shown").arg(QFileInfo(file).fileName());
  if (QString refused = formatRefusal(file); !refused.isEmpty()) return refused;
  // Views first (each renders in its own OpenGL context), then one painting pass.
  std::vector<std::pair<QRectF, QImage>> views;
  for (render::VtkView* view : root->findChildren<render::VtkView*>()) {
    if (!view->isVisible() || view->visibleRegion().isEmpty()) continue;
    QImage pixels = renderViewAt(view, options.dpi);
    if (pixels.isNull()) continue;
    views.emplace_back(QRectF(view->mapTo(root, QPoint(0, 0)), QSizeF(view->size())), std::move(pixels));
  }
  return writeFigure(
      file, QSizeF(root->size()),
      [&](QPainter& painter) {
        root->render(&painter, QPoint(), QRegion(), QWidget::DrawWindowBackground | QWidget::DrawChildren);
        for (const auto& [rect, pixels] : views) painter.drawImage(rect, pixels);
      },
      options);
}

}  // namespace voxplain::ui
