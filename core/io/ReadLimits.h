#pragma once
// Upper bounds a reader checks BEFORE allocating, so that an absurd header
// (e.g. 2^31 voxels in a 350-byte file) is an error, not an out-of-memory crash.

#include <cstddef>
#include <cstdint>

namespace voxplain {

struct ReadLimits {
  /// Largest voxel count of a whole image (all volumes together). Default 2^31 - 1 voxels
  /// (8 GiB as float32): a 512x512x2000 CT fits, a corrupted header does not.
  std::uint64_t maxVoxels = (std::uint64_t(1) << 31) - 1;
};

}  // namespace voxplain
