#pragma once
// Where the target regions fall on a sliding window: the patch plan, the zero-padded input, the
// window's importance weights and their sum, and each region's share per patch,
// T(v) w_p(v) / sum_q w_q(v) - how a target score splits over patches (SlidingGradient.h).
// Shared by the methods that work patch by patch without SlidingGradient: the layer-map methods
// (PatchMapBlender) and the perturbation methods (PerturbationScorer).

#include <vector>

#include "attribution/AttributionMethod.h"

namespace voxplain {

class TargetPatches {
 public:
  /// With `everyPatch`, patches() lists every patch, not only those where some region has weight.
  explicit TargetPatches(const AttributionContext& context, bool everyPatch = false);

  const PatchPlan& plan() const { return plan_; }
  /// The volume's size [X, Y, Z] (unpadded).
  const std::array<std::int64_t, 3>& size() const { return size_; }
  /// Patches where some region has weight (or every patch), in plan order.
  const std::vector<std::size_t>& patches() const { return patches_; }
  /// The padded input [1, C, ...] (patch inputs are plan().region(paddedInput(), p)).
  const torch::Tensor& paddedInput() const { return input_; }
  /// The inputs of patches()[begin, end) as one batch [end - begin, C, px, py, pz] on `device`,
  /// padded with copies of its first row to pass.rowsFor(end - begin) rows (outputs of the extra
  /// rows are to be ignored).
  torch::Tensor inputBatch(std::size_t begin, std::size_t end, const torch::Device& device,
                           const PassBatch& pass = {}) const;
  /// T_r(v) w_p(v) / sum_q w_q(v) on patch p ([px, py, pz], CPU).
  torch::Tensor targetShare(std::size_t region, std::size_t patch) const;
  std::size_t regions() const { return targets_.size(); }

 protected:
  const torch::Tensor& importance() const { return importance_; }
  /// Sum of the importance over all patches (padded grid), the blend's denominator.
  const torch::Tensor& totalImportance() const { return total_; }

 private:
  std::array<std::int64_t, 3> size_{};
  PatchPlan plan_;
  torch::Tensor input_, importance_, total_;
  std::vector<torch::Tensor> targets_;  // padded [X, Y, Z] per region
  std::vector<std::size_t> patches_;
};

}  // namespace voxplain
