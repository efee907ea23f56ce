#include "analysis/ExplanationQuality.h"

#include <cmath>
#include <stdexcept>

#include "analysis/RankStatistics.h"

namespace voxplain {

MaskAgreement maskAgreement(const std::vector<Volume>& maps, const std::vector<LabelVolume>& masks) {
  if (maps.size() != masks.size() || maps.empty())
    throw std::invalid_argument("maskAgreement: one mask per modality expected");
  std::vector<double> inside, outside;
  double energyIn = 0, energy = 0;
  for (std::size_t m = 0; m < maps.size(); ++m) {
    if (!compareGeometry(maps[m].geometry(), masks[m].geometry()).sameGrid() ||
        !compareGeometry(maps[m].geometry(), maps.front().geometry()).sameGrid())
      throw std::invalid_argument("maskAgreement: maps and masks must share one grid");
    for (std::size_t i = 0; i < maps[m].voxelCount(); ++i) {
      const double a = std::abs(double(maps[m].data()[i]));
      energy += a;
      if (masks[m].data()[i] != 0) {
        energyIn += a;
        inside.push_back(a);
      } else {
        outside.push_back(a);
      }
    }
  }
  MaskAgreement q;
  q.energyInside = energy > 0 ? energyIn / energy : 0.0;
  q.auc = rocAuc(inside, outside);
  q.maskShare = double(inside.size()) / double(inside.size() + outside.size());
  return q;
}

}  // namespace voxplain
