#pragma once
// Colour maps for attribution overlays and the label palette.
// The colours are core's (figure/ColorMap.h), shared with the SVG charts and report figures:
//  - "bwr": diverging blue-white-red for signed maps, symmetric about 0 (white = no attribution);
//  - "viridis", "inferno": perceptually uniform sequential maps for magnitudes (van der Walt &
//    Smith, matplotlib 2015), as 10 control points of matplotlib's tables interpolated in CIELAB.
// Values whose magnitude is under `threshold` x range are transparent.

#include <vtkSmartPointer.h>

#include <array>
#include <string>
#include <vector>

class vtkLookupTable;

namespace voxplain::render {

struct HeatmapStyle {
  std::string colormap = "bwr";  ///< bwr | viridis | inferno
  bool signedMap = true;         ///< signed: range [-r, r]; magnitude: [0, r] of |A|
  double range = 1.0;            ///< r (> 0), in the map's units
  double threshold = 0.1;        ///< fraction of r under which values are transparent
  double opacity = 0.7;
  std::string units = "attribution";
};

/// The known colour map names.
std::vector<std::string> colormapNames();

/// A 256-entry lookup table over the style's range with alpha 0 under the threshold.
vtkSmartPointer<vtkLookupTable> heatmapLookupTable(const HeatmapStyle& style);

struct LabelColor {
  int value = 1;
  std::array<unsigned char, 3> rgb{230, 70, 50};
  /// Opacity of the label's surface in the 3D view, 0..1 (context classes drawn see-through around
  /// the class of interest); slice overlays use the layer's label opacity for every label.
  double surfaceOpacity = 1.0;
};
/// Lookup table for label values 0..max (0 transparent), with `opacity` for the others (times each
/// label's surfaceOpacity when `surfaces`).
vtkSmartPointer<vtkLookupTable> labelLookupTable(const std::vector<LabelColor>& colors, double opacity,
                                                 bool surfaces = false);

}  // namespace voxplain::render
