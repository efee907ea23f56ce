#pragma once
// Connected components of a binary mask (26-connectivity by default, as instances are defined in
// seed paper 004, Spagnolo et al.: lesions are 26-connected components of the prediction).

#include <cstdint>
#include <vector>

#include "geometry/Geometry.h"

namespace voxplain {

struct Components {
  std::vector<std::int32_t> labels;  ///< 0 background, 1..count in scan order (x fastest)
  std::vector<std::size_t> sizes;    ///< voxels of component k at index k - 1
  int count() const { return int(sizes.size()); }
};

/// `mask[i] != 0` marks foreground; connectivity 6, 18 or 26. Components of fewer than
/// `minVoxels` voxels are dropped (relabelled 0). Throws std::invalid_argument on a bad size.
Components connectedComponents(const std::vector<std::uint8_t>& mask, const Size3& size, int connectivity = 26,
                               std::size_t minVoxels = 1);

}  // namespace voxplain
