#include "analysis/Supervoxels.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace voxplain {

Supervoxels slicSupervoxels(const std::vector<float>& image, const Size3& size, int target, double compactness,
                            int iterations) {
  const std::int64_t nx = std::int64_t(size[0]), ny = std::int64_t(size[1]), nz = std::int64_t(size[2]);
  const std::size_t n = std::size_t(nx * ny * nz);
  if (n == 0 || image.size() != n) throw std::invalid_argument("slicSupervoxels: image size does not match the grid");
  if (target < 1) throw std::invalid_argument("slicSupervoxels: at least one supervoxel");
  if (!(compactness > 0)) throw std::invalid_argument("slicSupervoxels: compactness must be > 0");
  const auto [lowIt, highIt] = std::minmax_element(image.begin(), image.end());
  const double range = std::max(double(*highIt - *lowIt), 1e-12);
  const double step = std::max(1.0, std::cbrt(double(n) / target));

  struct Centre {
    double x, y, z, value;
  };
  std::vector<Centre> centres;
  for (double z = step / 2; z < nz; z += step)
    for (double y = step / 2; y < ny; y += step)
      for (double x = step / 2; x < nx; x += step) {
        const std::size_t i = std::size_t(std::int64_t(x) + nx * (std::int64_t(y) + ny * std::int64_t(z)));
        centres.push_back({x, y, z, (image[i] - *lowIt) / range});
      }
  if (centres.empty())  // an axis thinner than half a step
    centres.push_back(
        {nx / 2.0, ny / 2.0, nz / 2.0, (image[std::size_t(nx / 2 + nx * (ny / 2 + ny * (nz / 2)))] - *lowIt) / range});
  std::vector<std::int32_t> labels(n, -1);
  std::vector<double> distance(n);
  const double spatialWeight = (compactness / step) * (compactness / step);
  const std::int64_t radius = std::int64_t(std::ceil(step));
  for (int iteration = 0; iteration < iterations; ++iteration) {
    std::fill(distance.begin(), distance.end(), std::numeric_limits<double>::infinity());
    for (std::size_t c = 0; c < centres.size(); ++c) {
      const Centre& k = centres[c];
      const std::int64_t x0 = std::max<std::int64_t>(0, std::int64_t(k.x) - radius),
                         x1 = std::min(nx, std::int64_t(k.x) + radius + 1);
      const std::int64_t y0 = std::max<std::int64_t>(0, std::int64_t(k.y) - radius),
                         y1 = std::min(ny, std::int64_t(k.y) + radius + 1);
      const std::int64_t z0 = std::max<std::int64_t>(0, std::int64_t(k.z) - radius),
                         z1 = std::min(nz, std::int64_t(k.z) + radius + 1);
      for (std::int64_t z = z0; z < z1; ++z)
        for (std::int64_t y = y0; y < y1; ++y)
          for (std::int64_t x = x0; x < x1; ++x) {
            const std::size_t i = std::size_t(x + nx * (y + ny * z));
            const double dv = (image[i] - *lowIt) / range - k.value;
            const double ds = (x - k.x) * (x - k.x) + (y - k.y) * (y - k.y) + (z - k.z) * (z - k.z);
            const double d = dv * dv + ds * spatialWeight;
            if (d < distance[i]) {
              distance[i] = d;
              labels[i] = std::int32_t(c);
            }
          }
    }
    std::vector<Centre> sums(centres.size(), {0, 0, 0, 0});
    std::vector<std::size_t> counts(centres.size(), 0);
    for (std::int64_t z = 0; z < nz; ++z)
      for (std::int64_t y = 0; y < ny; ++y)
        for (std::int64_t x = 0; x < nx; ++x) {
          const std::size_t i = std::size_t(x + nx * (y + ny * z));
          if (labels[i] < 0) continue;
          Centre& s = sums[std::size_t(labels[i])];
          s.x += double(x);
          s.y += double(y);
          s.z += double(z);
          s.value += (image[i] - *lowIt) / range;
          ++counts[std::size_t(labels[i])];
        }
    for (std::size_t c = 0; c < centres.size(); ++c)
      if (counts[c] > 0) {
        const double k = double(counts[c]);
        centres[c] = {sums[c].x / k, sums[c].y / k, sums[c].z / k, sums[c].value / k};
      }
  }
  // Voxels no window reached (possible after centres moved) join the previous voxel's supervoxel;
  // then labels are renumbered 0..count-1 in order of first appearance.
  for (std::size_t i = 0; i < n; ++i)
    if (labels[i] < 0) labels[i] = i > 0 ? labels[i - 1] : 0;
  std::vector<std::int32_t> renumber(centres.size(), -1);
  Supervoxels result;
  result.labels.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::int32_t& r = renumber[std::size_t(labels[i])];
    if (r < 0) r = result.count++;
    result.labels[i] = r;
  }
  return result;
}

}  // namespace voxplain
