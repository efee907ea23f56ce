#pragma once
// A chart on screen exactly as it is saved and as voxplain-cli writes it: the SVG of a core chart
// (analysis/ImportanceCharts.h) drawn scaled to the widget, aspect ratio kept, on white.

#include <QByteArray>
#include <QWidget>
#include <optional>

#include "analysis/SvgCharts.h"

QT_BEGIN_NAMESPACE
class QSvgRenderer;
QT_END_NAMESPACE

namespace voxplain::ui {

class ChartView : public QWidget {
  Q_OBJECT
 public:
  explicit ChartView(QWidget* parent = nullptr);
  ~ChartView() override;

  /// Shows `chart` (kept for barValue) drawn by barChartSvg.
  void setChart(const BarChart& chart);
  /// Shows any SVG figure (e.g. a matrix); barValue then finds nothing.
  void setSvg(const QByteArray& svg);
  void clear();
  /// The figure shown, as SVG (empty when none).
  const QByteArray& svg() const { return svg_; }
  /// The value of a bar (nullopt when absent), from the chart shown.
  std::optional<double> barValue(const QString& series, const QString& category) const;

  QSize sizeHint() const override;
  bool hasHeightForWidth() const override { return true; }
  int heightForWidth(int width) const override;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  QByteArray svg_;
  std::optional<BarChart> chart_;
  QSvgRenderer* renderer_;
};

}  // namespace voxplain::ui
