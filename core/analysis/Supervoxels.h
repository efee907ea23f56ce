#pragma once
// Supervoxels of a 3D image by SLIC (Achanta et al. 2012, "SLIC Superpixels Compared to
// State-of-the-Art Superpixel Methods", TPAMI 34(11)), in 3D: k-means in (intensity, position) with
// centres seeded on a regular grid of step S = (voxels / count)^(1/3), each centre searching a
// 2S x 2S x 2S window, distance D^2 = (dI / range)^2 + (ds / S)^2 compactness^2. Connectivity is
// not enforced (a supervoxel may be split in two pieces), as in SLIC with enforce_connectivity off.
// The features of LIME and Kernel SHAP.

#include <cstdint>
#include <vector>

#include "geometry/Geometry.h"

namespace voxplain {

struct Supervoxels {
  std::vector<std::int32_t> labels;  ///< 0..count-1 per voxel (x fastest)
  int count = 0;
};

/// `image` holds size[0]*size[1]*size[2] values (x fastest). `target` >= 1 supervoxels are asked
/// for (the result has about that many: grid seeds, empty clusters dropped); compactness > 0
/// (larger = more cubic; 0.1-1 for intensities scaled to [0, 1]). Throws std::invalid_argument.
Supervoxels slicSupervoxels(const std::vector<float>& image, const Size3& size, int target, double compactness = 0.3,
                            int iterations = 5);

}  // namespace voxplain
