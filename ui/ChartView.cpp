#include "ChartView.h"

#include <QPainter>
#include <QSvgRenderer>
#include <algorithm>

namespace voxplain::ui {

ChartView::ChartView(QWidget* parent) : QWidget(parent), renderer_(new QSvgRenderer(this)) {
  setMinimumSize(240, 160);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

ChartView::~ChartView() = default;

void ChartView::setChart(const BarChart& chart) {
  setSvg(QByteArray::fromStdString(barChartSvg(chart)));
  chart_ = chart;
}

void ChartView::setSvg(const QByteArray& svg) {
  chart_.reset();
  svg_ = svg;
  renderer_->load(svg_);
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

QSize ChartView::sizeHint() const {
  if (!renderer_->isValid()) return minimumSize();
  const QSize size = renderer_->defaultSize();
  return size.boundedTo(QSize(520, 520 * size.height() / std::max(1, size.width()))).expandedTo(minimumSize());
}

int ChartView::heightForWidth(int width) const {
  if (!renderer_->isValid()) return minimumHeight();
  const QSizeF size = renderer_->viewBoxF().size();
  return std::max(minimumHeight(), int(width * size.height() / std::max(1.0, size.width())));
}

void ChartView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), Qt::white);
  if (!renderer_->isValid()) return;
  painter.setRenderHint(QPainter::Antialiasing);
  const QSizeF box = renderer_->viewBoxF().size().scaled(QSizeF(size()), Qt::KeepAspectRatio);
  renderer_->render(&painter, QRectF(QPointF((width() - box.width()) / 2, 0), box));
}

}  // namespace voxplain::ui
