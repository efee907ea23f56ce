#pragma once
// SVG figures (analysis/SvgCharts.h, analysis/ImportanceCharts.h) as raster images: the one
// rasteriser of the app's saved charts and report PNGs and of `voxplain-cli`'s PNG figures, so a
// chart looks the same whichever front end wrote it. Qt Gui + Qt Svg only (no widgets): the headless
// CLI links it too. Needs a QGuiApplication for text.

#include <QByteArray>
#include <QImage>
#include <QString>
#include <functional>

QT_BEGIN_NAMESPACE
class QPainter;
class QSizeF;
QT_END_NAMESPACE

namespace voxplain::ui {

/// The logical resolution SVG figures are laid out at: 1 SVG unit = 1/96 inch.
constexpr double kFigureLayoutDpi = 96.0;
/// The resolution of PNG figures unless the user picks another (the app's dialogs, every report PNG).
constexpr int kDefaultFigureDpi = 300;

/// An image of a figure `logicalSize` units large (96 per inch) at `dpi` (72..1200) on white:
/// `paint` draws in logical units (the painter is scaled; text keeps its size relative to the
/// figure) and the image records `dpi`. Null when that image cannot be allocated.
QImage paintFigureImage(const QSizeF& logicalSize, int dpi, const std::function<void(QPainter&)>& paint);

/// The SVG document `svg` rendered at `dpi` (72..1200) on white; the image records that DPI.
/// Null image when the SVG does not parse.
QImage rasteriseSvg(const QByteArray& svg, int dpi);

/// The PNG that writePngOfSvg writes for `svgFile`: "<svgFile without .svg>.png" beside it.
QString pngFileOf(const QString& svgFile);

/// Writes pngFileOf(svgFile) at `dpi`, atomically (QSaveFile).
/// Returns an empty string, or why it failed (naming the file).
QString writePngOfSvg(const QString& svgFile, int dpi);

}  // namespace voxplain::ui
