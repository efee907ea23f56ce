#pragma once
// Figures for papers and reports: charts rendered offscreen (not screen grabs) as PNG at a chosen
// DPI, or as SVG / PDF (vector: bars and text stay sharp at any size), stacked one under the other
// with a caption above them saying what made them (model, method, parameters, target). Written
// through QSaveFile: a failed or cancelled write leaves any previous file untouched.

#include <QString>
#include <vector>

QT_BEGIN_NAMESPACE
class QChartView;
QT_END_NAMESPACE

namespace voxplain::ui {

struct FigureOptions {
  int dpi = 300;    ///< PNG only (72..1200); the figure's size in inches is that of the charts on screen
  QString caption;  ///< drawn above the charts; empty: none
};

/// Writes the visible `charts` to `file`; the format follows the suffix (.png, .svg, .pdf).
/// Returns an empty string on success, else why it failed (unknown suffix, nothing to draw, cannot write).
QString exportCharts(const std::vector<const QChartView*>& charts, const QString& file, const FigureOptions& options);

}  // namespace voxplain::ui
