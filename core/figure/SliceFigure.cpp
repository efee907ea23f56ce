#include "figure/SliceFigure.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "figure/ColorMap.h"
#include "volume/Percentile.h"
#include "volume/Reorient.h"

namespace voxplain {

std::size_t axialSliceWithMostOf(const LabelVolume& labels, int label) {
  const LabelVolume lps = orientToLps(labels);
  const Size3& n = lps.size();
  std::size_t best = n[2] / 2, most = 0;
  for (std::size_t k = 0; k < n[2]; ++k) {
    std::size_t count = 0;
    for (std::size_t j = 0; j < n[1]; ++j)
      for (std::size_t i = 0; i < n[0]; ++i) count += lps.at(i, j, k) == label;
    if (count > most) most = count, best = k;
  }
  return best;
}

std::array<double, 2> anatomyWindow(const Volume& anatomy) {
  const std::vector<double> range = percentilesAbove(anatomy, {1.0, 99.0}, 0.0f);
  return {range[0], range[1] > range[0] ? range[1] : range[0] + 1.0};
}

double MapRange::at(double p) const {
  if (p >= 99.75) return max;
  return p >= 99.25 ? p995 : p99;
}

MapRange mapRange(const std::vector<Volume>& maps) {
  MapRange r;
  std::vector<float> magnitudes;
  for (const Volume& m : maps)
    for (float v : m.voxels())
      if (v != 0.0f && std::isfinite(v)) {
        magnitudes.push_back(std::abs(v));
        r.signedMap |= v < 0;
      }
  if (magnitudes.empty()) return r;
  const std::vector<double> at = percentiles(std::move(magnitudes), {99.0, 99.5, 100.0});
  r.p99 = at[0];
  r.p995 = at[1];
  r.max = at[2];
  return r;
}

RgbRaster axialSliceFigure(const Volume& anatomy, const Volume& map, const LabelVolume& labels, int label,
                           std::size_t lpsSlice, const SliceFigureStyle& style) {
  if (!compareGeometry(anatomy.geometry(), map.geometry()).sameGrid() ||
      !compareGeometry(anatomy.geometry(), labels.geometry()).sameGrid())
    throw std::invalid_argument("axialSliceFigure: the anatomy, the map and the labels are on different grids");
  if (!(style.range > 0)) throw std::invalid_argument("axialSliceFigure: the colour range must be > 0");
  const Volume grey = orientToLps(anatomy), heat = orientToLps(map);
  const LabelVolume classes = orientToLps(labels);
  const Size3& n = grey.size();
  if (lpsSlice >= n[2]) throw std::invalid_argument("axialSliceFigure: slice outside the volume");
  const Vec3& spacing = grey.geometry().spacing;
  const double extentX = double(n[0]) * spacing[0], extentY = double(n[1]) * spacing[1];
  const double mmPerPixel = std::max(extentX, extentY) / double(std::max(16, style.longestSidePx));
  RgbRaster out;
  out.width = std::max(1, int(std::lround(extentX / mmPerPixel)));
  out.height = std::max(1, int(std::lround(extentY / mmPerPixel)));
  out.rgb.resize(std::size_t(out.width) * std::size_t(out.height) * 3);

  const std::string colormap = style.signedMap ? "bwr" : "inferno";
  const auto isClass = [&](long i, long j) {
    return i >= 0 && j >= 0 && std::size_t(i) < n[0] && std::size_t(j) < n[1] &&
           classes.at(std::size_t(i), std::size_t(j), lpsSlice) == label;
  };
  const double low = style.window[0], width = std::max(1e-12, style.window[1] - style.window[0]);
  for (int y = 0; y < out.height; ++y)
    for (int x = 0; x < out.width; ++x) {
      // Pixel centre to voxel: x runs along L (patient's right on the left), y along P (anterior up).
      const std::size_t i = std::min(n[0] - 1, std::size_t((x + 0.5) * mmPerPixel / spacing[0]));
      const std::size_t j = std::min(n[1] - 1, std::size_t((y + 0.5) * mmPerPixel / spacing[1]));
      const double g = std::clamp((grey.at(i, j, lpsSlice) - low) / width, 0.0, 1.0);
      Rgb colour{g, g, g};
      const double a = heat.at(i, j, lpsSlice);
      const double magnitude = style.signedMap ? std::abs(a) : a;
      if (std::isfinite(a) && magnitude >= style.threshold * style.range) {
        const double t = style.signedMap ? 0.5 + 0.5 * a / style.range : a / style.range;
        const Rgb m = colormapColor(colormap, t);
        for (std::size_t c = 0; c < 3; ++c) colour[c] = (1 - style.opacity) * colour[c] + style.opacity * m[c];
      }
      std::array<std::uint8_t, 3> rgb = toRgb8(colour);
      const long vi = long(i), vj = long(j);
      if (isClass(vi, vj) &&
          !(isClass(vi - 1, vj) && isClass(vi + 1, vj) && isClass(vi, vj - 1) && isClass(vi, vj + 1)))
        rgb = style.outline;
      std::copy(rgb.begin(), rgb.end(),
                out.rgb.begin() + std::ptrdiff_t(3 * (std::size_t(y) * std::size_t(out.width) + std::size_t(x))));
    }
  return out;
}

}  // namespace voxplain
