#pragma once
// Outlines of a label map for slice overlays drawn as contours: a voxel keeps its label when one
// of its 4 in-plane neighbours (in the plane normal to `normalAxis`) has another label or lies
// outside the volume; interior voxels become 0.

#include "volume/Image.h"

namespace voxplain {

/// normalAxis: 0, 1 or 2 (the voxel axis the slice plane is normal to). Throws std::invalid_argument.
LabelVolume labelOutline(const LabelVolume& labels, int normalAxis);

}  // namespace voxplain
