#pragma once
// Completeness of a path-integral attribution (Sundararajan et al. 2017, IG's axiom; DeepLIFT's
// summation-to-delta, Shrikumar et al. 2017): sum of the map = S(x) - S(baseline). The gap says
// how far a run is from it (too few IG steps, or a non-ReLU activation under DeepLIFT).

#include <nlohmann/json.hpp>

namespace voxplain {

struct CompletenessCheck {
  double sumAttribution = 0.0;   ///< sum of the map over every voxel and modality
  double scoreDifference = 0.0;  ///< S(x) - S(baseline), in score units

  double gap() const;          ///< |sumAttribution - scoreDifference|
  double relativeGap() const;  ///< gap / max(|scoreDifference|, 1e-12)
  /// {"sum_attribution", "score_difference", "gap", "relative_gap"}
  nlohmann::json toJson() const;
};

}  // namespace voxplain
