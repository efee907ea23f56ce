#pragma once
// What the slice panes draw, prepared from core types off the GUI thread: the loading and analysis
// workers call these once per layer (a study, a label map, a set of maps) and hand the result over
// by value; SliceViewModel then only wraps the prepared voxels for VTK. Plain C++ (no Qt, no VTK).

#include <array>
#include <memory>
#include <optional>
#include <vector>

#include "figure/SliceFigure.h"
#include "volume/Image.h"
#include "volume/Study.h"

namespace voxplain::ui {

/// The study's modalities in LPS orientation, with their automatic window/level.
struct DisplayStudy {
  std::vector<Volume> lps;
  std::vector<std::array<double, 2>> windowLevel;  ///< {window, level} from the 1st-99th percentile of non-zero voxels
  /// The 3D view's MR window of each modality (render::mrTransferWindow).
  std::vector<std::array<double, 2>> volumeWindow;
};

/// A label map in LPS orientation, its outlines per slice normal, and the centre of its largest
/// 26-connected structure (where the cursor goes first).
struct DisplayLabels {
  LabelVolume lps;
  std::array<LabelVolume, 3> outlines;
  std::optional<std::array<double, 3>> largestCentroidLps;
};

/// One attribution map per modality in LPS orientation, and the colour ranges the layer controls
/// offer: the 99th and 99.5th percentiles and the maximum of |A| over every modality's non-zero
/// finite voxels (k = floor(p / 100 * n) of the sorted magnitudes).
struct DisplayHeatmaps {
  std::vector<Volume> lps;
  MapRange range;  ///< colour ranges and sign, as the report's figures use them (figure/SliceFigure.h)
};

/// Two runs side by side: the study's panes repeated (first run's modalities, then the second's)
/// and each run's maps divided by its own colour range at `percentile` (so that both use the colour
/// scale fully; the range of the result is 1). Throws std::invalid_argument when the map counts differ
/// from the study's.
std::pair<DisplayStudy, DisplayHeatmaps> sideBySide(const DisplayStudy& study, const DisplayHeatmaps& first,
                                                    const DisplayHeatmaps& second, double percentile);

DisplayStudy prepareStudy(const Study& study);
/// `focusLabel`: the label whose largest structure the cursor goes to first (e.g. the class a
/// model explains by default, the lesions among tissue classes); any non-zero label when it is
/// absent from the map or negative.
DisplayLabels prepareLabels(const LabelVolume& labels, int focusLabel = -1);
DisplayHeatmaps prepareHeatmaps(const std::vector<Volume>& maps);

}  // namespace voxplain::ui
