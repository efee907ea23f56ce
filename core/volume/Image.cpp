#include "volume/Image.h"

#include <cmath>
#include <limits>

namespace voxplain {

std::pair<double, double> valueRange(const Volume& volume) {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  for (float v : volume.voxels()) {
    if (std::isnan(v)) continue;
    lo = std::min(lo, double(v));
    hi = std::max(hi, double(v));
  }
  if (lo > hi) return {0.0, 0.0};
  return {lo, hi};
}

}  // namespace voxplain
