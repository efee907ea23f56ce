#include "volume/Percentile.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace voxplain {

std::vector<double> percentiles(std::vector<float> values, const std::vector<double>& ps) {
  std::vector<double> out(ps.size(), 0.0);
  if (values.empty()) return out;
  // Ascending positions, so that each partition works on the part above the previous rank.
  std::vector<std::size_t> order(ps.size());
  std::iota(order.begin(), order.end(), std::size_t(0));
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return ps[a] < ps[b]; });
  const double last = double(values.size() - 1);
  auto from = values.begin();
  for (std::size_t i : order) {
    const double position = std::clamp(ps[i], 0.0, 100.0) / 100.0 * last;
    const std::size_t below = std::size_t(std::floor(position));
    const auto at = values.begin() + std::ptrdiff_t(below);
    if (at >= from) std::nth_element(from, at, values.end());
    from = at;
    const double low = *at;
    if (below == values.size() - 1 || position == double(below)) {
      out[i] = low;
      continue;
    }
    const double high = *std::min_element(at + 1, values.end());
    out[i] = low + (high - low) * (position - double(below));
  }
  return out;
}

double percentile(std::vector<float> values, double p) {
  return percentiles(std::move(values), {p}).front();
}

std::vector<double> percentilesAbove(const Volume& volume, const std::vector<double>& ps, float floor) {
  std::vector<float> values;
  values.reserve(volume.voxelCount());
  for (float v : volume.voxels())
    if (v > floor && std::isfinite(v)) values.push_back(v);
  if (values.empty())
    for (float v : volume.voxels())
      if (std::isfinite(v)) values.push_back(v);
  return percentiles(std::move(values), ps);
}

double percentileAbove(const Volume& volume, double p, float floor) {
  return percentilesAbove(volume, {p}, floor).front();
}

}  // namespace voxplain
