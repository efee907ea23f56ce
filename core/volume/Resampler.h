#pragma once
// Resampling of a volume onto another grid, in physical (LPS) space.

#include "task/TaskControl.h"
#include "volume/Image.h"

namespace voxplain {

/// Trilinear interpolation of `source` at the centres of `target`'s voxels.
/// Target voxels whose centre falls outside the source's voxel-centre hull (beyond half a voxel)
/// get `outside`. Checks `control` once per slice (k). Throws OperationCancelled.
Volume resampleLinear(const Volume& source, const Geometry& target, float outside = 0.0f,
                      const TaskControl& control = {});

/// Nearest-neighbour resampling for label maps (labels are never blended).
LabelVolume resampleNearest(const LabelVolume& source, const Geometry& target,
                            std::uint16_t outside = 0, const TaskControl& control = {});

}  // namespace voxplain
