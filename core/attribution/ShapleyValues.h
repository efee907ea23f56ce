#pragma once
// Shapley values of one target region, as the perturbation methods compute them (exact modality
// Shapley, seed 002; Kernel SHAP, Lundberg & Lee 2017). Typed for front ends; toJson() is the
// record's form.

#include <vector>

#include <nlohmann/json.hpp>

namespace voxplain {

struct ShapleyValues {
  /// phi_i per player: one per modality for modality_shapley and for kernel_shap with
  /// features=modalities; empty when the players are not modalities (supervoxels, blocks).
  std::vector<double> values;
  double score = 0.0;          ///< S(x): the target score of the unperturbed input
  double baselineScore = 0.0;  ///< S(baseline): every player replaced by the baseline

  /// sum_i phi_i (0 when `values` is empty).
  double sum() const;
  /// |sum_i phi_i - (S(x) - S(baseline))|: 0 up to rounding for exact values (efficiency axiom).
  double efficiencyGap() const;
  /// {"values"?, "sum"?, "efficiency_gap"?, "score", "baseline_score"} (the first three with values).
  nlohmann::json toJson() const;
};

}  // namespace voxplain
