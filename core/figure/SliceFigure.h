#pragma once
// Slice pictures of a map for a report: one axial slice of one modality, the anatomy in grey, the
// attribution map over it in the screen's colours (figure/ColorMap.h) and the outline of one
// predicted class - what a reader of the report looks at before the tables.
//
// Geometry: the volumes are first laid out as LPS (volume/Reorient.h), so the picture is in the
// radiological convention of the app's slice panes: the patient's right on the picture's left,
// anterior at the top; a voxel is drawn with its in-plane spacing (non-square voxels stay in
// proportion).

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "figure/RgbRaster.h"
#include "volume/Image.h"

namespace voxplain {

struct SliceFigureStyle {
  /// Colour range of the map: [-range, range] when signed, else [0, range] of |A| (> 0).
  double range = 1.0;
  bool signedMap = true;    ///< "bwr" when signed, else "inferno" (as the app chooses)
  double threshold = 0.1;   ///< fraction of the range under which the map is not drawn
  double opacity = 0.7;     ///< of the map over the anatomy, 0..1
  int longestSidePx = 320;  ///< the slice's longer side, in pixels
  /// Grey window of the anatomy {low, high} (values below are black, above white).
  std::array<double, 2> window{0.0, 1.0};
  /// Colour of the class outline: green, which neither "bwr" nor "inferno" uses.
  std::array<std::uint8_t, 3> outline{0, 230, 0};
};

/// The LPS axial slice (index along S) holding the most voxels equal to `label`, or the middle
/// slice when none does. `labels` on the study grid.
std::size_t axialSliceWithMostOf(const LabelVolume& labels, int label);

/// The 1st and 99th percentiles of `anatomy`'s positive voxels (all voxels when none is positive:
/// an MR image's window ignores the air around the head, a CT's its air and fat), as
/// volume/Percentile.h computes them; high > low. The app's default grey window and the report's.
std::array<double, 2> anatomyWindow(const Volume& anatomy);

/// The colour ranges of one run's maps: the 99th and 99.5th percentiles and the maximum of |A| over
/// the non-zero finite voxels of every map (volume/Percentile.h; 1 when there is none), and whether
/// any voxel is negative. The app's range choices (99.5th by default) and the report's figures.
struct MapRange {
  double p99 = 1.0, p995 = 1.0, max = 1.0;
  bool signedMap = false;
  /// The range for percentile `p` (99, 99.5 or 100; others: the nearest of the three).
  double at(double p) const;
};
MapRange mapRange(const std::vector<Volume>& maps);

/// Axial slice `lpsSlice` (index along S, axialSliceWithMostOf) of `anatomy` with `map` over it and
/// the in-plane outline of the voxels of `labels` equal to `label`; all three on one grid. Throws
/// std::invalid_argument when the grids differ or the slice is outside the volume.
RgbRaster axialSliceFigure(const Volume& anatomy, const Volume& map, const LabelVolume& labels, int label,
                           std::size_t lpsSlice, const SliceFigureStyle& style);

}  // namespace voxplain
