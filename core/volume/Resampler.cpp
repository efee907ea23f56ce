#include "volume/Resampler.h"

#include <algorithm>
#include <cmath>

namespace voxplain {
namespace {

// Calls fn(linear index in target, continuous source index) for every target voxel.
template <class Fn>
void forEachTargetVoxel(const Geometry& source, const Geometry& target, const TaskControl& control, Fn&& fn) {
  Mat3 a;
  Vec3 b;
  source.indexMapFrom(target, a, b);
  std::size_t linear = 0;
  for (std::size_t k = 0; k < target.size[2]; ++k) {
    control.step(double(k) / double(target.size[2]), "resampling");
    for (std::size_t j = 0; j < target.size[1]; ++j) {
      // Source index of (0, j, k), then step by column 0 of a per i.
      Vec3 p{a[1] * j + a[2] * k + b[0], a[4] * j + a[5] * k + b[1], a[7] * j + a[8] * k + b[2]};
      for (std::size_t i = 0; i < target.size[0]; ++i, ++linear) {
        fn(linear, p);
        p[0] += a[0];
        p[1] += a[3];
        p[2] += a[6];
      }
    }
  }
}

}  // namespace

double interpolateLinear(const Volume& source, const Vec3& index, double outside) {
  const Geometry& g = source.geometry();
  const long nx = long(g.size[0]), ny = long(g.size[1]), nz = long(g.size[2]);
  // Clamp within half a voxel of the hull so edge voxels map onto themselves exactly.
  double c[3];
  const long lim[3] = {nx, ny, nz};
  for (int d = 0; d < 3; ++d) {
    if (!(index[d] >= -0.5 && index[d] <= double(lim[d]) - 0.5)) return outside;
    c[d] = std::min(std::max(index[d], 0.0), double(lim[d] - 1));
  }
  const long x0 = long(std::floor(c[0])), y0 = long(std::floor(c[1])), z0 = long(std::floor(c[2]));
  const long x1 = std::min(x0 + 1, nx - 1), y1 = std::min(y0 + 1, ny - 1), z1 = std::min(z0 + 1, nz - 1);
  const double fx = c[0] - double(x0), fy = c[1] - double(y0), fz = c[2] - double(z0);
  const float* src = source.data();
  auto v = [&](long x, long y, long z) { return double(src[x + nx * (y + ny * z)]); };
  const double c00 = v(x0, y0, z0) * (1 - fx) + v(x1, y0, z0) * fx;
  const double c10 = v(x0, y1, z0) * (1 - fx) + v(x1, y1, z0) * fx;
  const double c01 = v(x0, y0, z1) * (1 - fx) + v(x1, y0, z1) * fx;
  const double c11 = v(x0, y1, z1) * (1 - fx) + v(x1, y1, z1) * fx;
  const double c0 = c00 * (1 - fy) + c10 * fy;
  const double c1 = c01 * (1 - fy) + c11 * fy;
  return c0 * (1 - fz) + c1 * fz;
}

Volume resampleLinear(const Volume& source, const Geometry& target, float outside, const TaskControl& control) {
  Volume out(target, outside);
  float* dst = out.data();
  forEachTargetVoxel(source.geometry(), target, control, [&](std::size_t linear, const Vec3& p) {
    dst[linear] = float(interpolateLinear(source, p, outside));
  });
  return out;
}

LabelVolume resampleNearest(const LabelVolume& source, const Geometry& target, std::uint16_t outside,
                            const TaskControl& control) {
  LabelVolume out(target, outside);
  const Geometry& g = source.geometry();
  const long n[3] = {long(g.size[0]), long(g.size[1]), long(g.size[2])};
  const std::uint16_t* src = source.data();
  std::uint16_t* dst = out.data();
  forEachTargetVoxel(g, target, control, [&](std::size_t linear, const Vec3& p) {
    long idx[3];
    for (int d = 0; d < 3; ++d) {
      idx[d] = long(std::lround(p[d]));
      if (idx[d] < 0 || idx[d] >= n[d]) return;
    }
    dst[linear] = src[idx[0] + n[0] * (idx[1] + n[1] * idx[2])];
  });
  return out;
}

}  // namespace voxplain
