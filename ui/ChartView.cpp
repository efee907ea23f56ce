#include "ChartView.h"

#include <QPainter>
#include <QResizeEvent>
#include <QSvgRenderer>
#include <algorithm>
#include <cmath>

namespace voxplain::ui {

ChartView::ChartView(QWidget* parent) : QWidget(parent), renderer_(new QSvgRenderer(this)) {
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

ChartView::~ChartView() = default;

void ChartView::setChart(const BarChart& chart) {
  setSvg(QByteArray::fromStdString(barChartSvg(chart)));
  chart_ = chart;
  laidOutWidth_ = -1;
  updateGeometry();
}

void ChartView::setSvg(const QByteArray& svg) {
  chart_.reset();
  svg_ = svg;
  renderer_->load(svg_);
  laidOutWidth_ = -1;
  updateGeometry();
  update();
}

void ChartView::clear() {
  setSvg({});
}

std::optional<double> ChartView::barValue(const QString& series, const QString& category) const {
  if (!chart_) return std::nullopt;
  return chart_->value(series.toStdString(), category.toStdString());
}

double ChartView::scale() const {
  return std::max(0.5, logicalDpiY() / 96.0);
}

void ChartView::layOut(int width) const {
  if (!chart_ || width == laidOutWidth_) return;
  laidOutWidth_ = width;
  renderer_->load(QByteArray::fromStdString(barChartSvg(*chart_, int(width / scale()))));
}

double ChartView::textPointSize() const {
  if (!renderer_->isValid()) return 0.0;
  layOut(width());
  const QSizeF box = renderer_->viewBoxF().size();
  const double pixelsPerFigurePixel = std::min(width() / box.width(), height() / box.height());
  return 12.0 * pixelsPerFigurePixel * 72.0 / logicalDpiY();
}

QSize ChartView::sizeHint() const {
  if (!renderer_->isValid()) return {320, 120};
  const int width = chart_ ? int(540 * scale()) : std::min(520, renderer_->defaultSize().width());
  return {width, heightForWidth(width)};
}

QSize ChartView::minimumSizeHint() const {
  // A bar chart is never squeezed below its height at the current width (its text would shrink):
  // the panel around it scrolls instead. Other figures may shrink.
  const int width = std::max(this->width(), int(200 * scale()));
  return {int(200 * scale()), chart_ ? heightForWidth(width) : int(100 * scale())};
}

void ChartView::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  if (chart_ && event->oldSize().width() != width()) updateGeometry();  // a new height for this width
}

int ChartView::heightForWidth(int width) const {
  if (!renderer_->isValid()) return int(100 * scale());
  layOut(width);
  const QSizeF size = renderer_->viewBoxF().size();
  return int(std::ceil(width * size.height() / std::max(1.0, size.width())));
}

void ChartView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), Qt::white);
  if (!renderer_->isValid()) return;
  layOut(width());
  painter.setRenderHint(QPainter::Antialiasing);
  const QSizeF box = renderer_->viewBoxF().size().scaled(QSizeF(size()), Qt::KeepAspectRatio);
  renderer_->render(&painter, QRectF(QPointF((width() - box.width()) / 2, 0), box));
}

}  // namespace voxplain::ui
