#pragma once
// Resampling of a volume onto another grid, in physical (LPS) space.

#include "task/TaskControl.h"
#include "volume/Image.h"

namespace voxplain {

/// Trilinear value of `source` at a continuous voxel index (i, j, k); `outside` where the index lies
/// more than half a voxel beyond the voxel-centre hull (or is NaN).
double interpolateLinear(const Volume& source, const Vec3& index, double outside = 0.0);

/// Trilinear interpolation of `source` at the centres of `target`'s voxels.
/// Target voxels whose centre falls outside the source's voxel-centre hull (beyond half a voxel)
/// get `outside`. Checks `control` once per slice (k). Throws OperationCancelled.
Volume resampleLinear(const Volume& source, const Geometry& target, float outside = 0.0f,
                      const TaskControl& control = {});

/// Nearest-neighbour resampling for label maps (labels are never blended).
LabelVolume resampleNearest(const LabelVolume& source, const Geometry& target, std::uint16_t outside = 0,
                            const TaskControl& control = {});

}  // namespace voxplain
