#include "analysis/InstanceStatistics.h"

#include "runtime/CsvWriter.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "analysis/MaskMorphology.h"
#include "analysis/SegmentationScores.h"

namespace voxplain {
namespace {

void requireSameGrid(const Geometry& a, const Geometry& b, const char* what) {
  if (!compareGeometry(a, b).sameGrid())
    throw std::invalid_argument(std::string("instanceStatistics: ") + what + " is not on the instances' grid");
}

}  // namespace

double InstanceStats::peakAbs() const {
  double peak = 0;
  for (const ModalityInstanceStats& m : modalities) peak = std::max(peak, std::abs(m.peak));
  return peak;
}

InstanceReport instanceStatistics(const LabelVolume& instances, const Volume* probability,
                                  const std::vector<std::vector<Volume>>& maps,
                                  const std::vector<std::string>& modalities, const LabelVolume* reference,
                                  const InstanceOptions& options) {
  if (!(options.ringMm > 0)) throw std::invalid_argument("instanceStatistics: the ring width must be > 0 mm");
  const Geometry& g = instances.geometry();
  if (probability && probability->voxelCount() > 0) requireSameGrid(probability->geometry(), g, "the probability map");
  if (reference) requireSameGrid(reference->geometry(), g, "the reference segmentation");
  int count = 0;
  for (std::uint16_t v : instances.voxels()) count = std::max(count, int(v));
  if (int(maps.size()) != count)
    throw std::invalid_argument("instanceStatistics: one set of maps per instance is needed");
  for (const auto& perModality : maps) {
    if (perModality.size() != modalities.size())
      throw std::invalid_argument("instanceStatistics: one map per modality is needed");
    for (const Volume& v : perModality) requireSameGrid(v.geometry(), g, "a map");
  }
  const double voxelMm3 = g.spacing[0] * g.spacing[1] * g.spacing[2] * std::abs(determinant(g.direction));
  const std::vector<std::array<long, 3>> ball = ballOffsets(g, options.ringMm);
  const Size3& n = g.size;

  // Matching against the reference's components (analysis/SegmentationScores.h).
  LesionMatching matching;
  if (reference) matching = matchLesions(instances, count, *reference, options.matchDice, options.minVoxels);

  InstanceReport report;
  report.modalities = modalities;
  report.hasReference = reference != nullptr;
  std::vector<std::vector<std::size_t>> members(static_cast<std::size_t>(count));
  for (std::size_t i = 0; i < instances.voxelCount(); ++i)
    if (instances.voxels()[i] > 0) members[std::size_t(instances.voxels()[i] - 1)].push_back(i);

  std::vector<double> peaksTp, peaksFp;
  // One mask for every instance's ring: only the voxels an instance marks are visited and cleared,
  // so a large study costs its lesions' neighbourhoods, not a full-volume pass per instance.
  std::vector<std::uint8_t> inRing(instances.voxelCount(), 0);
  for (int k = 1; k <= count; ++k) {
    const auto& inside = members[std::size_t(k - 1)];
    if (inside.size() < options.minVoxels) continue;
    InstanceStats s;
    s.id = k;
    s.voxels = inside.size();
    s.volumeMm3 = double(inside.size()) * voxelMm3;
    // Ring: the dilation by ringMm, minus every predicted instance.
    std::vector<std::size_t> ringVoxels;
    std::array<double, 3> centroid{0, 0, 0};
    for (std::size_t i : inside) {
      const long x = long(i % n[0]), y = long((i / n[0]) % n[1]), z = long(i / (n[0] * n[1]));
      centroid[0] += double(x), centroid[1] += double(y), centroid[2] += double(z);
      for (const auto& o : ball) {
        const long a = x + o[0], b = y + o[1], c = z + o[2];
        if (a < 0 || b < 0 || c < 0 || a >= long(n[0]) || b >= long(n[1]) || c >= long(n[2])) continue;
        const std::size_t j = g.linearIndex(std::size_t(a), std::size_t(b), std::size_t(c));
        if (instances.voxels()[j] == 0 && !inRing[j]) {
          inRing[j] = 1;
          ringVoxels.push_back(j);
        }
      }
    }
    const Vec3 c = g.indexToPhysical({centroid[0] / double(inside.size()), centroid[1] / double(inside.size()),
                                      centroid[2] / double(inside.size())});
    s.centroidMm = {c[0], c[1], c[2]};
    std::sort(ringVoxels.begin(), ringVoxels.end());  // sums in voxel order, as a full scan would
    for (std::size_t j : ringVoxels) inRing[j] = 0;
    s.ringVoxels = ringVoxels.size();
    if (probability && probability->voxelCount() > 0) {
      double p = 0;
      for (std::size_t i : inside) p += probability->voxels()[i];
      s.meanProbability = p / double(inside.size());
    }
    double absTotal = 0;
    for (const Volume& map : maps[std::size_t(k - 1)]) {
      ModalityInstanceStats m;
      for (std::size_t i : inside) {
        const double a = map.voxels()[i];
        m.sum += a;
        m.absSum += std::abs(a);
        if (std::abs(a) > std::abs(m.peak)) m.peak = a;
      }
      m.mean = m.insideMean = m.sum / double(inside.size());
      double ringSum = 0;
      for (std::size_t j : ringVoxels) ringSum += map.voxels()[j];
      m.ringMean = ringVoxels.empty() ? 0 : ringSum / double(ringVoxels.size());
      absTotal += m.absSum;
      s.modalities.push_back(m);
    }
    for (ModalityInstanceStats& m : s.modalities) m.share = absTotal > 0 ? m.absSum / absTotal : 0;
    if (reference) {
      s.dice = matching.dice[std::size_t(k - 1)];
      const bool tp = matching.truePositive[std::size_t(k - 1)];
      s.match = tp ? "TP" : "FP";
      (tp ? peaksTp : peaksFp).push_back(s.peakAbs());
    }
    report.instances.push_back(std::move(s));
  }
  if (reference) {
    report.falseNegatives = matching.falseNegatives;
    report.aucPeakTpVsFp = rocAuc(peaksTp, peaksFp);
  }
  return report;
}

nlohmann::json InstanceReport::toJson() const {
  nlohmann::json j;
  j["modalities"] = modalities;
  j["instances"] = nlohmann::json::array();
  for (const InstanceStats& s : instances) {
    nlohmann::json e = {{"id", s.id},
                        {"voxels", s.voxels},
                        {"volume_mm3", s.volumeMm3},
                        {"mean_probability", s.meanProbability},
                        {"centroid_lps_mm", s.centroidMm},
                        {"ring_voxels", s.ringVoxels}};
    for (std::size_t m = 0; m < s.modalities.size(); ++m) {
      const ModalityInstanceStats& q = s.modalities[m];
      e["modalities"][modalities[m]] = {{"sum", q.sum},
                                        {"mean", q.mean},
                                        {"peak", q.peak},
                                        {"inside_mean", q.insideMean},
                                        {"ring_mean", q.ringMean},
                                        {"share", q.share}};
    }
    if (hasReference) e["match"] = s.match, e["dice"] = s.dice;
    j["instances"].push_back(e);
  }
  if (hasReference) {
    j["false_negatives"] = falseNegatives;
    j["auc_peak_tp_vs_fp"] = aucPeakTpVsFp < 0 ? nlohmann::json(nullptr) : nlohmann::json(aucPeakTpVsFp);
  }
  return j;
}

std::string InstanceReport::toCsv() const {
  std::vector<std::string> header{
      "id",         "voxels", "volume_mm3", "mean_probability", "centroid_x_mm", "centroid_y_mm", "centroid_z_mm",
      "ring_voxels"};
  for (const std::string& m : modalities)
    for (const char* f : {"sum", "mean", "peak", "inside_mean", "ring_mean", "share"}) header.push_back(m + "_" + f);
  if (hasReference) {
    header.push_back("match");
    header.push_back("dice");
  }
  CsvWriter csv(header);
  for (const InstanceStats& s : instances) {
    csv.row() << s.id << s.voxels << s.volumeMm3 << s.meanProbability << s.centroidMm[0] << s.centroidMm[1]
              << s.centroidMm[2] << s.ringVoxels;
    for (const ModalityInstanceStats& q : s.modalities)
      csv << q.sum << q.mean << q.peak << q.insideMean << q.ringMean << q.share;
    if (hasReference) csv << s.match << s.dice;
  }
  return csv.str();
}

}  // namespace voxplain
