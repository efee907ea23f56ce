#pragma once
// Faithfulness of a map: deletion and insertion curves on the model grid.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "attribution/AttributionMethod.h"

namespace voxplain {

/// Deletion and insertion curves (design.md section 6, faithfulness; Petsiuk et al. 2018, RISE):
/// the features (modality x voxel) of a map are ranked by signed value, most positive first; the
/// deletion curve replaces the top fraction f by the baseline and follows S(x~) / S(x), the
/// insertion curve starts from the baseline and puts the top fraction back. f runs over `steps`
/// equal steps in [0, maxFraction] (the evidence of a segmentation lives in a few percent of the
/// voxels, so the default looks at the top 5 %); the areas are the mean heights of the curves
/// (trapezoids over f / maxFraction, in units of S(x)). Low deletion and high insertion areas
/// mean a faithful map.
struct FaithfulnessOptions {
  int steps = 10;                 ///< points after f = 0 (>= 1)
  double maxFraction = 0.05;      ///< (0, 1]
  std::string baseline = "zero";  ///< attribution/Baseline.h names (not custom)
};

struct FaithfulnessCurves {
  std::vector<double> fractions, deletion, insertion;  ///< S(x~) / S(x)
  double deletionArea = 0, insertionArea = 0;
  double score = 0;  ///< S(x)
  nlohmann::json toJson() const;
};

/// The curves for region `region` of `context` and `map` [C, X, Y, Z] on the model grid. Forward
/// passes only (PerturbationScorer, batched). Throws std::invalid_argument on bad options or a map
/// of another shape, InputError on a bad baseline name, OperationCancelled.
FaithfulnessCurves faithfulnessCurves(AttributionContext& context, const torch::Tensor& map, std::size_t region,
                                      const FaithfulnessOptions& options);

}  // namespace voxplain
