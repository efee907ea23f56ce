#include "analysis/AttributionQuality.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <stdexcept>

#include "analysis/ConnectedComponents.h"
#include "analysis/RankStatistics.h"

namespace voxplain {
namespace {

void requireSameGrid(const Geometry& a, const Geometry& b, const char* what) {
  if (!compareGeometry(a, b).sameGrid())
    throw std::invalid_argument(std::string(what) + ": volumes on different grids");
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Sum of voxel indices and count of each component (for centroids of unions of components).
struct IndexSums {
  std::vector<std::array<double, 3>> sum;
  std::vector<std::size_t> count;
};

IndexSums indexSums(const Components& c, const Size3& size) {
  IndexSums s{std::vector<std::array<double, 3>>(std::size_t(c.count()), {0, 0, 0}),
              std::vector<std::size_t>(std::size_t(c.count()), 0)};
  std::size_t linear = 0;
  for (std::size_t k = 0; k < size[2]; ++k)
    for (std::size_t j = 0; j < size[1]; ++j)
      for (std::size_t i = 0; i < size[0]; ++i, ++linear) {
        const std::int32_t id = c.labels[linear];
        if (id <= 0) continue;
        auto& t = s.sum[std::size_t(id - 1)];
        t[0] += double(i), t[1] += double(j), t[2] += double(k);
        ++s.count[std::size_t(id - 1)];
      }
  return s;
}

}  // namespace

std::vector<Volume> unitAttributionMask(const std::vector<Volume>& maps) {
  float top = 0.0f;
  for (const Volume& m : maps) {
    requireSameGrid(m.geometry(), maps.front().geometry(), "attribution maps");
    for (float v : m.voxels())
      if (std::isfinite(v)) top = std::max(top, v);
  }
  std::vector<Volume> out;
  for (const Volume& m : maps) {
    Volume u(m.geometry(), 0.0f);
    if (top > 0.0f)
      for (std::size_t i = 0; i < m.voxelCount(); ++i) {
        const float v = m.data()[i];
        u.data()[i] = std::isfinite(v) && v > 0.0f ? v / top : 0.0f;
      }
    out.push_back(std::move(u));
  }
  return out;
}

Volume combinedUnitMask(const std::vector<Volume>& unitMasks) {
  if (unitMasks.empty()) throw std::invalid_argument("no masks to combine");
  Volume out = unitMasks.front();
  for (std::size_t m = 1; m < unitMasks.size(); ++m) {
    requireSameGrid(unitMasks[m].geometry(), out.geometry(), "attribution masks");
    for (std::size_t i = 0; i < out.voxelCount(); ++i) out.data()[i] = std::max(out.data()[i], unitMasks[m].data()[i]);
  }
  return out;
}

double predictionPreserved(const LabelVolume& baseline, const LabelVolume& masked, std::uint16_t label) {
  requireSameGrid(baseline.geometry(), masked.geometry(), "prediction preserved");
  std::size_t inBaseline = 0, kept = 0;
  for (std::size_t i = 0; i < baseline.voxelCount(); ++i)
    if (baseline.data()[i] == label) {
      ++inBaseline;
      kept += masked.data()[i] == label;
    }
  if (inBaseline == 0) throw std::invalid_argument("prediction preserved: the baseline segmentation is empty");
  return double(kept) / double(inBaseline);
}

double compressionRatio(const std::vector<Volume>& channels) {
  std::vector<float> raw;
  for (const Volume& c : channels) raw.insert(raw.end(), c.voxels().begin(), c.voxels().end());
  if (raw.empty()) throw std::invalid_argument("compression ratio of no voxels");
  const uLong rawBytes = uLong(raw.size() * sizeof(float));
  std::vector<Bytef> packed(compressBound(rawBytes));
  uLongf packedBytes = uLongf(packed.size());
  if (compress2(packed.data(), &packedBytes, reinterpret_cast<const Bytef*>(raw.data()), rawBytes,
                Z_DEFAULT_COMPRESSION) != Z_OK)
    throw std::runtime_error("zlib could not compress the image");
  return double(packedBytes) / double(rawBytes);
}

std::vector<Volume> maskedChannels(const std::vector<Volume>& channels, const std::vector<Volume>& unitMasks) {
  if (channels.size() != unitMasks.size())
    throw std::invalid_argument("masked channels: " + std::to_string(channels.size()) + " channels but " +
                                std::to_string(unitMasks.size()) + " masks");
  std::vector<Volume> out;
  for (std::size_t c = 0; c < channels.size(); ++c) {
    requireSameGrid(channels[c].geometry(), unitMasks[c].geometry(), "masked channels");
    Volume v = channels[c];
    for (std::size_t i = 0; i < v.voxelCount(); ++i) v.data()[i] *= unitMasks[c].data()[i];
    out.push_back(std::move(v));
  }
  return out;
}

double relativeEntropy(const std::vector<Volume>& channels, const std::vector<Volume>& unitMasks) {
  return compressionRatio(maskedChannels(channels, unitMasks)) / compressionRatio(channels);
}

PeakLocalisation peakLocalisation(const Volume& unitMask, const LabelVolume& regions, const PeakOptions& options) {
  requireSameGrid(unitMask.geometry(), regions.geometry(), "peak localisation");
  const Geometry& g = unitMask.geometry();
  const std::size_t n = unitMask.voxelCount();
  const auto code = [&](std::size_t i) { return QualityRegion(regions.data()[i]); };

  PeakLocalisation out;
  double fgSum = 0, bgSum = 0;
  std::size_t fgCount = 0, bgCount = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (code(i) == QualityRegion::Foreground) fgSum += unitMask.data()[i], ++fgCount;
    if (code(i) == QualityRegion::Background) bgSum += unitMask.data()[i], ++bgCount;
  }
  if (fgCount == 0 || bgCount == 0)
    throw std::invalid_argument("peak localisation needs foreground and background voxels");
  out.relativeForegroundAttribution = fgSum / double(fgCount) - bgSum / double(bgCount);

  const double threshold = percentile(unitMask.voxels(), options.peakPercentile);
  std::vector<std::uint8_t> peakMask(n, 0), decidingMask(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    peakMask[i] = unitMask.data()[i] > threshold && code(i) != QualityRegion::Foreground;
    decidingMask[i] = code(i) == QualityRegion::DecidingBackground;
  }
  const Components peaks = connectedComponents(peakMask, g.size, 6);
  const Components deciding = connectedComponents(decidingMask, g.size, 6);
  const IndexSums peakSums = indexSums(peaks, g.size), decidingSums = indexSums(deciding, g.size);
  // Deciding voxels of each deciding component inside each peak.
  std::vector<std::map<std::int32_t, std::size_t>> overlap(std::size_t(peaks.count()));
  for (std::size_t i = 0; i < n; ++i)
    if (peaks.labels[i] > 0 && deciding.labels[i] > 0) ++overlap[std::size_t(peaks.labels[i] - 1)][deciding.labels[i]];

  const double voxelMm3 = g.spacing[0] * g.spacing[1] * g.spacing[2];
  const auto centroid = [&](const std::array<double, 3>& sum, std::size_t count) {
    return g.indexToPhysical({sum[0] / double(count), sum[1] / double(count), sum[2] / double(count)});
  };
  for (int p = 0; p < peaks.count(); ++p) {
    const std::size_t peakVoxels = peaks.sizes[std::size_t(p)];
    if (double(peakVoxels) * voxelMm3 < options.minPeakMm3) {
      ++out.peaksTooSmall;
      continue;
    }
    const auto& touched = overlap[std::size_t(p)];
    if (touched.empty()) {
      ++out.peaksMissed;
      continue;
    }
    std::vector<double> coverage;
    std::array<double, 3> unionSum{0, 0, 0};
    std::size_t unionCount = 0, decidingInPeak = 0;
    for (const auto& [id, inside] : touched) {
      const std::size_t c = std::size_t(id - 1);
      coverage.push_back(double(inside) / double(deciding.sizes[c]));
      for (int d = 0; d < 3; ++d) unionSum[std::size_t(d)] += decidingSums.sum[c][std::size_t(d)];
      unionCount += decidingSums.count[c];
      decidingInPeak += inside;
    }
    const Vec3 peakCentre = centroid(peakSums.sum[std::size_t(p)], peakSums.count[std::size_t(p)]);
    const Vec3 decidingCentre = centroid(unionSum, unionCount);
    const Vec3 dv{peakCentre[0] - decidingCentre[0], peakCentre[1] - decidingCentre[1],
                  peakCentre[2] - decidingCentre[2]};
    const bool centred = norm(dv) < options.maxCentroidMm;
    const bool share = double(decidingInPeak) / double(peakVoxels) > options.minPeakCoverage;
    const bool medianCovered = median(coverage) > options.medianComponentCoverage;
    const bool strong =
        std::count_if(coverage.begin(), coverage.end(), [](double c) { return c > 0.9; }) >= options.strongComponents;
    if (centred && (share || medianCovered || strong))
      ++out.peaksHit;
    else
      ++out.peaksUndecided;
  }
  out.externalPeakAttribution = out.peaksHit == 0 ? 0.0 : double(out.peaksHit) / double(out.peaksHit + out.peaksMissed);
  return out;
}

double attributionQualityScore(double predictionPreserved, double relativeEntropy, double rfa, double epa) {
  return predictionPreserved / relativeEntropy + rfa * (1.0 + epa);
}

}  // namespace voxplain
