#pragma once
// Layer maps (CAM, KWC, activations) through sliding windows: each patch gives a map per target
// region and layer at the layer's resolution; it is resized trilinearly to the patch, weighted by
// the window's importance and blended over patches like the logits (divided by the summed
// importance). The patch layout and target shares come from TargetPatches.

#include <vector>

#include "attribution/TargetPatches.h"

namespace voxplain {

class PatchMapBlender : public TargetPatches {
 public:
  /// With `everyPatch`, patches() lists every patch, not only those where the target has weight.
  PatchMapBlender(const AttributionContext& context, std::size_t layers, bool everyPatch = false);

  /// Adds `map` ([a, b, c], any device) for (region, layer) at patch p.
  void add(std::size_t region, std::size_t layer, std::size_t patch, const torch::Tensor& map);

  enum class Combine {
    NormalisedMean,  ///< each layer's map divided by its maximum, then averaged (multi-layer CAM)
    Sum              ///< layer maps summed (KWC)
  };
  /// One [C, X, Y, Z] map per region on the volume (the same map for every channel).
  std::vector<torch::Tensor> maps(Combine combine) const;

 private:
  std::int64_t channels_;
  std::vector<std::vector<torch::Tensor>> sums_;  // [region][layer], padded grid
};

}  // namespace voxplain
