#include "analysis/MaskMorphology.h"

#include <cmath>
#include <stdexcept>

namespace voxplain {

std::vector<std::array<long, 3>> ballOffsets(const Geometry& g, double mm) {
  std::array<long, 3> r{};
  for (int a = 0; a < 3; ++a) r[std::size_t(a)] = long(std::floor(mm / g.spacing[std::size_t(a)]));
  std::vector<std::array<long, 3>> out;
  for (long z = -r[2]; z <= r[2]; ++z)
    for (long y = -r[1]; y <= r[1]; ++y)
      for (long x = -r[0]; x <= r[0]; ++x) {
        const double d2 = std::pow(x * g.spacing[0], 2) + std::pow(y * g.spacing[1], 2) + std::pow(z * g.spacing[2], 2);
        if (d2 <= mm * mm && (x || y || z)) out.push_back({x, y, z});
      }
  return out;
}

LabelVolume dilate(const LabelVolume& mask, double mm) {
  if (!(mm >= 0)) throw std::invalid_argument("dilate: the radius must be >= 0 mm");
  const Geometry& g = mask.geometry();
  LabelVolume out(g);
  const auto& n = g.size;
  const std::vector<std::array<long, 3>> ball = ballOffsets(g, mm);
  for (std::size_t z = 0; z < n[2]; ++z)
    for (std::size_t y = 0; y < n[1]; ++y)
      for (std::size_t x = 0; x < n[0]; ++x) {
        if (mask.at(x, y, z) == 0) continue;
        out.at(x, y, z) = 1;
        for (const auto& o : ball) {
          const long px = long(x) + o[0], py = long(y) + o[1], pz = long(z) + o[2];
          if (px < 0 || py < 0 || pz < 0 || px >= long(n[0]) || py >= long(n[1]) || pz >= long(n[2])) continue;
          out.at(std::size_t(px), std::size_t(py), std::size_t(pz)) = 1;
        }
      }
  return out;
}

}  // namespace voxplain
