#pragma once
// Layer maps (CAM, KWC, activations) through sliding windows: each patch gives a map per target
// region and layer at the layer's resolution; it is resized trilinearly to the patch, weighted by
// the window's importance and blended over patches like the logits (divided by the summed
// importance). Also gives each patch's share of a target, T(v) w_p(v) / sum_q w_q(v), which is how
// a target score splits over patches (SlidingGradient.h).

#include <vector>

#include "attribution/AttributionMethod.h"

namespace voxplain {

class PatchMapBlender {
 public:
  /// With `everyPatch`, patches() lists every patch, not only those where the target has weight.
  PatchMapBlender(const AttributionContext& context, std::size_t layers, bool everyPatch = false);

  const PatchPlan& plan() const { return plan_; }
  /// Patches where some region has weight, in plan order.
  const std::vector<std::size_t>& patches() const { return patches_; }
  /// The padded input [1, C, ...] (patch inputs are plan().region(paddedInput(), p)).
  const torch::Tensor& paddedInput() const { return input_; }
  /// T_r(v) w_p(v) / sum_q w_q(v) on patch p ([px, py, pz], CPU).
  torch::Tensor targetShare(std::size_t region, std::size_t patch) const;
  /// The 0/1 target of region r on patch p ([px, py, pz], CPU).
  torch::Tensor target(std::size_t region, std::size_t patch) const;

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
  std::array<std::int64_t, 3> size_{};
  PatchPlan plan_;
  torch::Tensor input_, importance_, total_;
  std::vector<torch::Tensor> targets_;
  std::vector<std::size_t> patches_;
  std::vector<std::vector<torch::Tensor>> sums_;  // [region][layer], padded grid
};

}  // namespace voxplain
