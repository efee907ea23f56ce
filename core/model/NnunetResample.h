#pragma once
// nnU-Net's resampling of image data (nnunetv2 preprocessing, resample_data_or_seg_to_shape with
// is_seg false): to a new voxel count per axis with skimage.transform.resize's sample positions
// (new voxel i samples old index (i + 0.5) * n / n' - 0.5), third-order B-splines with edge
// extension (scipy's spline filter on the data padded by 12 edge voxels), except that along the one
// low-resolution axis of an anisotropic image (spacing ratio > 3, of the source or else the target)
// the planes are resized in 2D and that axis takes the nearest sample (order_z 0).

#include <array>
#include <cstddef>

#include "volume/Image.h"

namespace voxplain {

/// `source` resized to `target` (whose size is the new voxel count and whose placement follows the
/// rule above; modelGrid makes such grids). `targetSpacing` is the spacing nnU-Net was asked for (the
/// plans'), used with the source's to decide the separate low-resolution axis.
Volume nnunetResample(const Volume& source, const Geometry& target, const std::array<double, 3>& targetSpacing);

/// One axis of it: a line of `n` samples resized to `m` by cubic B-splines (edge extension) or by
/// the nearest sample (`cubic` false). Exposed for tests.
void resizeLine(const float* in, std::size_t n, std::size_t stride, float* out, std::size_t m, std::size_t outStride,
                bool cubic);

}  // namespace voxplain
