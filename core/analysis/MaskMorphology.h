#pragma once
// Balls in millimetres on anisotropic grids, and binary dilation by one (instance rings, the
// dilated ground truth of MSFI).

#include <array>
#include <vector>

#include "volume/Image.h"

namespace voxplain {

/// Voxel offsets (x, y, z) of the ellipsoid {|offset * spacing| <= mm} without the centre.
std::vector<std::array<long, 3>> ballOffsets(const Geometry& grid, double mm);

/// Non-zero voxels of `mask` dilated by a ball of `mm` (0 = unchanged), as 0/1. Throws
/// std::invalid_argument for mm < 0.
LabelVolume dilate(const LabelVolume& mask, double mm);

}  // namespace voxplain
