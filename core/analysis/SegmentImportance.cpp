#include "analysis/SegmentImportance.h"

#include "runtime/CsvWriter.h"

#include <cmath>
#include <iomanip>
#include <map>
#include <sstream>
#include <stdexcept>

namespace voxplain {

SegmentImportance segmentImportance(const LabelVolume& predicted, const std::vector<SegmentInfo>& segments,
                                    const std::vector<std::string>& modalities,
                                    const std::vector<TargetClassMaps>& targets) {
  const Geometry& g = predicted.geometry();
  SegmentImportance out;
  out.modalities = modalities;
  std::map<int, std::size_t> counts;
  for (std::uint16_t v : predicted.voxels()) ++counts[v];
  std::map<int, std::size_t> column;
  const double voxelMm3 = g.spacing[0] * g.spacing[1] * g.spacing[2] * std::abs(determinant(g.direction));
  for (const auto& [label, n] : counts) {
    std::string name = "label " + std::to_string(label);
    for (const SegmentInfo& s : segments)
      if (s.label == label) name = s.name;
    column[label] = out.segments.size();
    out.segments.push_back({label, name});
    out.segmentVoxels.push_back(n);
    out.segmentMm3.push_back(double(n) * voxelMm3);
  }
  const std::size_t M = modalities.size(), S = out.segments.size();
  for (const TargetClassMaps& t : targets) {
    if (t.perModality.size() != M)
      throw std::invalid_argument("segmentImportance: one map per modality expected for " + t.target.name);
    for (const Volume& v : t.perModality)
      if (!compareGeometry(v.geometry(), g).sameGrid())
        throw std::invalid_argument("segmentImportance: a map is not on the prediction's grid");
    out.targets.push_back(t.target);
    // Sums per segment and modality (index M = all modalities).
    std::vector<std::vector<SegmentCell>> cells(S, std::vector<SegmentCell>(M + 1));
    std::vector<double> totalAbs(M + 1, 0), totalPos(M + 1, 0), totalNeg(M + 1, 0);
    std::vector<double> pos(S * (M + 1), 0), neg(S * (M + 1), 0);
    for (std::size_t i = 0; i < predicted.voxelCount(); ++i) {
      const std::size_t s = column[predicted.data()[i]];
      for (std::size_t m = 0; m < M; ++m) {
        const double e = t.perModality[m].data()[i];
        for (std::size_t k : {m, M}) {
          cells[s][k].absSum += std::abs(e);
          cells[s][k].signedSum += e;
          totalAbs[k] += std::abs(e);
          if (e > 0) {
            pos[s * (M + 1) + k] += e;
            totalPos[k] += e;
          } else if (e < 0) {
            neg[s * (M + 1) + k] -= e;
            totalNeg[k] -= e;
          }
        }
      }
    }
    for (std::size_t s = 0; s < S; ++s)
      for (std::size_t k = 0; k <= M; ++k) {
        SegmentCell& c = cells[s][k];
        c.share = totalAbs[k] > 0 ? c.absSum / totalAbs[k] : 0.0;
        c.mean = c.absSum / double(out.segmentVoxels[s]);
        c.perMm3 = c.absSum / out.segmentMm3[s];
        c.positiveShare = totalPos[k] > 0 ? pos[s * (M + 1) + k] / totalPos[k] : 0.0;
        c.negativeShare = totalNeg[k] > 0 ? neg[s * (M + 1) + k] / totalNeg[k] : 0.0;
      }
    out.cells.push_back(std::move(cells));
  }
  return out;
}

nlohmann::json SegmentImportance::toJson() const {
  nlohmann::json j{{"modalities", modalities},
                   {"targets", nlohmann::json::array()},
                   {"segments", nlohmann::json::array()},
                   {"cells", nlohmann::json::array()}};
  for (const SegmentInfo& t : targets) j["targets"].push_back({{"label", t.label}, {"name", t.name}});
  for (std::size_t s = 0; s < segments.size(); ++s)
    j["segments"].push_back({{"label", segments[s].label},
                             {"name", segments[s].name},
                             {"voxels", segmentVoxels[s]},
                             {"volume_mm3", segmentMm3[s]}});
  for (std::size_t t = 0; t < targets.size(); ++t)
    for (std::size_t s = 0; s < segments.size(); ++s)
      for (std::size_t k = 0; k <= modalities.size(); ++k) {
        const SegmentCell& c = cells[t][s][k];
        j["cells"].push_back({{"target", targets[t].name},
                              {"segment", segments[s].name},
                              {"modality", k < modalities.size() ? modalities[k] : "all"},
                              {"share", c.share},
                              {"mean", c.mean},
                              {"per_mm3", c.perMm3},
                              {"signed", c.signedSum},
                              {"positive_share", c.positiveShare},
                              {"negative_share", c.negativeShare},
                              {"abs_sum", c.absSum}});
      }
  return j;
}

std::string SegmentImportance::toCsv() const {
  CsvWriter csv({"target", "segment", "modality", "share", "mean", "per_mm3", "signed", "positive_share",
                 "negative_share", "abs_sum"});
  for (std::size_t t = 0; t < targets.size(); ++t)
    for (std::size_t s = 0; s < segments.size(); ++s)
      for (std::size_t k = 0; k <= modalities.size(); ++k) {
        const SegmentCell& c = cells[t][s][k];
        csv.row() << targets[t].name << segments[s].name << (k < modalities.size() ? modalities[k] : std::string("all"))
                  << c.share << c.mean << c.perMm3 << c.signedSum << c.positiveShare << c.negativeShare << c.absSum;
      }
  return csv.str();
}

}  // namespace voxplain
