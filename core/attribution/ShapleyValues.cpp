#include "attribution/ShapleyValues.h"

#include <cmath>

namespace voxplain {

double ShapleyValues::sum() const {
  double s = 0.0;
  for (double v : values) s += v;
  return s;
}

double ShapleyValues::efficiencyGap() const {
  return std::abs(sum() - (score - baselineScore));
}

nlohmann::json ShapleyValues::toJson() const {
  nlohmann::json j = {{"score", score}, {"baseline_score", baselineScore}};
  if (!values.empty()) {
    j["values"] = values;
    j["sum"] = sum();
    j["efficiency_gap"] = efficiencyGap();
  }
  return j;
}

}  // namespace voxplain
