#pragma once
// Interpretable features for LIME and Kernel SHAP (design.md section 5): supervoxels of a reference
// modality crossed with the modalities (feature id = modality * supervoxels + supervoxel), or whole
// modalities. Parameters: features=supervoxels|modalities, supervoxels=N (target count),
// compactness (SLIC), reference=<modality name> (default: the first input).

#include <torch/torch.h>

#include <string>
#include <vector>

#include "attribution/AttributionMethod.h"
#include "attribution/LinearSurrogate.h"
#include "attribution/PerturbationScorer.h"

namespace voxplain {

struct FeatureSet {
  torch::Tensor supervoxel;  ///< [X, Y, Z] int64 ids 0..perModality-1 (all 0 for whole modalities)
  int perModality = 1;
  int modalities = 1;
  std::string description;
  int count() const { return perModality * modalities; }
};

/// Reads the feature parameters and builds the features on the model grid. Throws InputError.
FeatureSet featuresFrom(ParameterSet& params, const AttributionContext& context);

/// The perturbation that keeps the features present in `z` (z.size() == features.count()).
Perturbation coalitionPerturbation(const FeatureSet& features, const Coalition& z, const PatchPlan& plan);

/// A [C, X, Y, Z] map holding each feature's value at every voxel of that feature.
torch::Tensor featureMap(const FeatureSet& features, const std::vector<double>& values);

}  // namespace voxplain
