#include "volume/Reorient.h"

#include <cmath>

namespace voxplain {

LpsPermutation lpsPermutation(const Geometry& geometry) {
  LpsPermutation p;
  std::array<bool, 3> used{false, false, false};
  // Assign the voxel axis with the largest component first, so that each LPS axis gets one.
  for (int round = 0; round < 3; ++round) {
    int bestAxis = -1, bestLps = -1;
    double best = -1.0;
    for (int k = 0; k < 3; ++k) {
      bool taken = false;
      for (int a = 0; a < 3; ++a) taken = taken || (used[std::size_t(a)] && p.sourceAxis[std::size_t(a)] == k);
      if (taken) continue;
      const Vec3 v = geometry.axis(k);
      for (int a = 0; a < 3; ++a)
        if (!used[std::size_t(a)] && std::abs(v[std::size_t(a)]) > best) {
          best = std::abs(v[std::size_t(a)]);
          bestAxis = k;
          bestLps = a;
        }
    }
    used[std::size_t(bestLps)] = true;
    p.sourceAxis[std::size_t(bestLps)] = bestAxis;
    p.flipped[std::size_t(bestLps)] = geometry.axis(bestAxis)[std::size_t(bestLps)] < 0;
    p.obliqueDegrees =
        std::max(p.obliqueDegrees, std::acos(std::min(1.0, best / norm(geometry.axis(bestAxis)))) * 180.0 / M_PI);
  }
  return p;
}

template <class T>
Image<T> orientToLps(const Image<T>& image, LpsPermutation* permutation) {
  const Geometry& g = image.geometry();
  const LpsPermutation p = lpsPermutation(g);
  if (permutation) *permutation = p;
  Geometry out;
  Vec3 firstIndex{0, 0, 0};  // the input index of the output's voxel (0, 0, 0)
  for (std::size_t a = 0; a < 3; ++a) {
    const std::size_t k = std::size_t(p.sourceAxis[a]);
    out.size[a] = g.size[k];
    out.spacing[a] = g.spacing[k];
    if (p.flipped[a]) firstIndex[k] = double(g.size[k] - 1);
  }
  out.origin = g.indexToPhysical(firstIndex);
  out.direction = identityMat3();
  Image<T> result(out);
  const std::array<std::size_t, 3> stride{1, g.size[0], g.size[0] * g.size[1]};
  std::size_t i = 0;
  for (std::size_t z = 0; z < out.size[2]; ++z)
    for (std::size_t y = 0; y < out.size[1]; ++y)
      for (std::size_t x = 0; x < out.size[0]; ++x, ++i) {
        const std::array<std::size_t, 3> o{x, y, z};
        std::size_t source = 0;
        for (std::size_t a = 0; a < 3; ++a) {
          const std::size_t k = std::size_t(p.sourceAxis[a]);
          source += (p.flipped[a] ? g.size[k] - 1 - o[a] : o[a]) * stride[k];
        }
        result.data()[i] = image.voxels()[source];
      }
  return result;
}

template Image<float> orientToLps(const Image<float>&, LpsPermutation*);
template Image<std::uint16_t> orientToLps(const Image<std::uint16_t>&, LpsPermutation*);

}  // namespace voxplain
