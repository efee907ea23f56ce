#pragma once
// Tissue classes of a brain-extracted T1 image, for the realistic demo generator
// (synthetic/BrainLesionPhantom.h): cerebrospinal fluid, grey matter and white matter by intensity
// (in T1, CSF < GM < WM), and the lateral ventricles as the deep CSF (CSF far from the brain's
// surface, in large connected parts). The three classes are the exact optimum of three-class
// k-means on a 256-bin histogram of the brain's voxels: the two thresholds that maximise the
// between-class variance (multi-level Otsu: N. Otsu, IEEE Trans. SMC 9(1), 1979; Liao, Chen and
// Chung, J. Inf. Sci. Eng. 17, 2001), searched exhaustively.

#include <cstdint>

#include "volume/Image.h"

namespace voxplain {

enum class Tissue : std::uint16_t { Outside = 0, Csf = 1, GreyMatter = 2, WhiteMatter = 3 };

/// Class centres in the image's intensity units; csf < greyMatter < whiteMatter.
struct TissueMeans {
  double csf = 0, greyMatter = 0, whiteMatter = 0;
  /// The class whose centre is nearest to `intensity`.
  Tissue nearest(double intensity) const;
};

/// The class means of the voxels of `t1` above zero (a brain-extracted image is zero outside the
/// brain). Throws std::invalid_argument when fewer than three distinct intensities are above zero.
TissueMeans tissueMeans(const Volume& t1);

/// The lateral ventricles: connected parts (26-connectivity) of the CSF voxels of `tissue` (values
/// of Tissue) whose six face neighbours are CSF too (thin sulci and fissures drop out) and that lie
/// at least `minDepthMm` from outside the brain, each part of at least `minVolumeMm3`; then grown
/// twice by one voxel through CSF that is at least half as deep. Returns 0/1.
LabelVolume lateralVentricles(const LabelVolume& tissue, double minDepthMm = 14.0, double minVolumeMm3 = 800.0);

}  // namespace voxplain
