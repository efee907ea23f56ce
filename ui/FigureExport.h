#pragma once
// Figures for papers and reports, never screen grabs: charts (the core SVG charts the CLI writes
// too, analysis/ImportanceCharts.h), any view of the scene (a slice pane, the 3D view) rendered
// offscreen at the figure's resolution, or the whole window. PNG at a chosen DPI, SVG or PDF (charts
// and widgets as vectors; a view's pixels embedded at the chosen DPI). A caption above the figure
// says what made it (model, method, parameters, target, colour range). Sizes follow the screen:
// a figure is as many inches wide as its content at 96 logical pixels per inch. Written through
// QSaveFile: a failed write leaves any previous file untouched.

#include <QByteArray>
#include <QColor>
#include <QString>
#include <vector>

#include "SvgFigure.h"

QT_BEGIN_NAMESPACE
class QWidget;
QT_END_NAMESPACE

namespace voxplain::render {
class VtkView;
}

namespace voxplain::ui {

/// One class of the segmentation shown in a figure: a swatch of its colour and its name.
struct FigureLegendEntry {
  QString name;
  QColor colour;
  bool outlined = false;  ///< drawn as an outline in the panes (the swatch is a frame)
};

struct FigureOptions {
  int dpi = kDefaultFigureDpi;  ///< PNG, and a view's pixels in SVG/PDF (72..1200)
  QString caption;              ///< drawn above the figure; empty: none
  /// The segmentation's legend, drawn under the caption (views and the window; empty: none).
  std::vector<FigureLegendEntry> legend;
};

/// The figure formats by suffix: "png", "svg", "pdf"; anything else is refused.
bool isFigureFormat(const QString& suffix);

/// SVG figures one under the other (e.g. the analysis charts). The format follows `file`'s suffix.
/// Returns an empty string on success, else why it failed (unknown suffix, nothing to draw, cannot
/// write), naming the file.
QString exportSvgFigures(const std::vector<QByteArray>& svgs, const QString& file, const FigureOptions& options);

/// One view: the scene rendered offscreen at the view's size x dpi / 96 (text scaled alike, volume
/// rendering at full quality; render/VtkView.h), with its colour bar and orientation labels.
QString exportView(render::VtkView* view, const QString& file, const FigureOptions& options);

/// `root` and its children as laid out on screen (the main window: slice panes, 3D view, panels,
/// charts): widgets painted at the figure's scale, each visible view rendered offscreen as above.
QString exportLayout(QWidget* root, const QString& file, const FigureOptions& options);

}  // namespace voxplain::ui
