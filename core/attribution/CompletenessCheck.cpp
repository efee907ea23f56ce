#include "attribution/CompletenessCheck.h"

#include <algorithm>
#include <cmath>

namespace voxplain {

double CompletenessCheck::gap() const {
  return std::abs(sumAttribution - scoreDifference);
}

double CompletenessCheck::relativeGap() const {
  return gap() / std::max(std::abs(scoreDifference), 1e-12);
}

nlohmann::json CompletenessCheck::toJson() const {
  return {{"sum_attribution", sumAttribution},
          {"score_difference", scoreDifference},
          {"gap", gap()},
          {"relative_gap", relativeGap()}};
}

}  // namespace voxplain
