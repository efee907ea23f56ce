#include "synthetic/TissueClasses.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "analysis/ConnectedComponents.h"
#include "analysis/MaskMorphology.h"

namespace voxplain {

Tissue TissueMeans::nearest(double intensity) const {
  const double dc = std::abs(intensity - csf), dg = std::abs(intensity - greyMatter),
               dw = std::abs(intensity - whiteMatter);
  if (dc <= dg && dc <= dw) return Tissue::Csf;
  return dg <= dw ? Tissue::GreyMatter : Tissue::WhiteMatter;
}

TissueMeans tissueMeans(const Volume& t1) {
  constexpr int kBins = 256;
  double lo = 0, hi = 0;
  std::size_t n = 0;
  for (float v : t1.voxels())
    if (v > 0.0f) {
      lo = n == 0 ? v : std::min(lo, double(v));
      hi = n == 0 ? v : std::max(hi, double(v));
      ++n;
    }
  if (n < 3 || !(hi > lo))
    throw std::invalid_argument("tissue classes: fewer than three distinct intensities above zero");
  std::array<double, kBins + 1> count{}, sum{};  // prefix sums: [b] holds bins 0 .. b-1
  for (float v : t1.voxels())
    if (v > 0.0f) {
      const int b = std::min(kBins - 1, int((double(v) - lo) / (hi - lo) * kBins));
      count[std::size_t(b) + 1] += 1;
      sum[std::size_t(b) + 1] += v;
    }
  for (int b = 1; b <= kBins; ++b) count[b] += count[b - 1], sum[b] += sum[b - 1];
  // Thresholds t1 < t2 maximising sum_c n_c mu_c^2 (the between-class variance; the total mean is fixed).
  auto term = [&](int from, int to) {
    const double c = count[to] - count[from];
    return c > 0 ? (sum[to] - sum[from]) * (sum[to] - sum[from]) / c : -1.0;
  };
  double best = -1;
  int cut1 = 0, cut2 = 0;
  for (int a = 1; a < kBins - 1; ++a)
    for (int b = a + 1; b < kBins; ++b) {
      const double t0 = term(0, a), t1v = term(a, b), t2 = term(b, kBins);
      if (t0 < 0 || t1v < 0 || t2 < 0) continue;
      if (t0 + t1v + t2 > best) best = t0 + t1v + t2, cut1 = a, cut2 = b;
    }
  if (best < 0) throw std::invalid_argument("tissue classes: fewer than three distinct intensities above zero");
  auto mean = [&](int from, int to) { return (sum[to] - sum[from]) / (count[to] - count[from]); };
  return {mean(0, cut1), mean(cut1, cut2), mean(cut2, kBins)};
}

LabelVolume lateralVentricles(const LabelVolume& tissue, double minDepthMm, double minVolumeMm3) {
  const Geometry& g = tissue.geometry();
  const std::size_t n = g.voxelCount();
  LabelVolume outside(g), notCsf(g);
  for (std::size_t i = 0; i < n; ++i) {
    outside.voxels()[i] = tissue.voxels()[i] == 0;
    notCsf.voxels()[i] = tissue.voxels()[i] != std::uint16_t(Tissue::Csf);
  }
  const LabelVolume nearOutside = dilate(outside, minDepthMm), nearOutsideHalf = dilate(outside, 0.5 * minDepthMm);
  // Seeds: CSF whose six face neighbours are CSF too (thin sheets of sulcal and fissure CSF drop
  // out), deep in the brain.
  const LabelVolume nearNotCsf = dilate(notCsf, 1.01 * std::min({g.spacing[0], g.spacing[1], g.spacing[2]}));
  std::vector<std::uint8_t> seeds(n, 0);
  for (std::size_t i = 0; i < n; ++i)
    seeds[i] = !notCsf.voxels()[i] && !nearNotCsf.voxels()[i] && !nearOutside.voxels()[i];
  const double voxelMm3 = g.spacing[0] * g.spacing[1] * g.spacing[2];
  const std::size_t minVoxels = std::max<std::size_t>(1, std::size_t(std::ceil(minVolumeMm3 / voxelMm3)));
  const Components parts = connectedComponents(seeds, g.size, 26, minVoxels);
  LabelVolume ventricles(g);
  for (std::size_t i = 0; i < n; ++i) ventricles.voxels()[i] = parts.labels[i] > 0 ? 1 : 0;
  // Grown back to the walls through CSF at least half as deep.
  const double oneVoxel =
      1.01 * std::sqrt(g.spacing[0] * g.spacing[0] + g.spacing[1] * g.spacing[1] + g.spacing[2] * g.spacing[2]);
  for (int step = 0; step < 2; ++step) {
    const LabelVolume grown = dilate(ventricles, oneVoxel);
    for (std::size_t i = 0; i < n; ++i)
      if (grown.voxels()[i] && !notCsf.voxels()[i] && !nearOutsideHalf.voxels()[i]) ventricles.voxels()[i] = 1;
  }
  return ventricles;
}

}  // namespace voxplain
