#pragma once
// A chart on screen as it is saved and as voxplain-cli writes it: the SVG of a core chart
// (analysis/ImportanceCharts.h). A bar chart is laid out again for the widget's width (its bars
// shrink or grow, its text keeps 12 px = 9 pt at 96 dpi, scaled with the screen's DPI), so a narrow
// dock never shrinks the text; its height follows (heightForWidth: put the view in a scroll area
// where the pane is short). Other figures (a matrix) are drawn scaled to the widget, aspect kept.
// svg() is always the figure as saved, whatever the widget's size.

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

  /// Shows `chart` (kept for barValue) drawn by barChartSvg at the widget's width.
  void setChart(const BarChart& chart);
  /// Shows any SVG figure (e.g. a matrix); barValue then finds nothing.
  void setSvg(const QByteArray& svg);
  void clear();
  /// The figure as saved (barChartSvg at its own width), as SVG (empty when none).
  const QByteArray& svg() const { return svg_; }
  /// The value of a bar (nullopt when absent), from the chart shown.
  std::optional<double> barValue(const QString& series, const QString& category) const;
  /// The font size of the chart's axis and category text on screen, in points (12 px of the
  /// figure at the widget's scale; 0 when nothing is shown). For the legibility tests.
  double textPointSize() const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;
  bool hasHeightForWidth() const override { return true; }
  int heightForWidth(int width) const override;

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  /// Figure pixels per widget pixel (logical DPI / 96).
  double scale() const;
  /// Loads the figure laid out for `width` widget pixels into renderer_ (cached by width).
  void layOut(int width) const;

  QByteArray svg_;
  std::optional<BarChart> chart_;
  QSvgRenderer* renderer_;
  mutable int laidOutWidth_ = -1;
};

}  // namespace voxplain::ui
