#pragma once
// Target scores S(x~) of many perturbed inputs x~ = x' + keep * (x - x') (x' the baseline), for the
// perturbation methods (occlusion, LIME, Kernel SHAP, modality Shapley). Forward passes only.
//
// With sliding-window inference S is a sum of per-patch terms (SlidingGradient.h):
// S = sum_p S_p with S_p = sum_v T(v) w_p(v) / sum_q w_q(v) f(l_p(v)) (f the logit or the
// probability of the scored channel). So S(x~) = S(x) - sum_{p touched} S_p(x) + sum_{p touched} S_p(x~):
// only the patches that a perturbation touches AND where the target has weight are run again,
// batched across perturbations. A 16^3 occlusion block touches 1-8 patches, not the whole volume.
//
// The perturbed patches are written in place into one batch buffer on the model's device: the
// input and the baseline live there once, a box perturbation (occlusion) copies the baseline into
// its box, a mask perturbation blends with its keep mask; the target shares of each patch are
// kept on the device too, so a batch costs its forward pass and little else.

#include <functional>
#include <vector>

#include "attribution/TargetPatches.h"

namespace voxplain {

struct Perturbation {
  /// The box it changes, on the model grid: [lo, hi) voxels per axis.
  std::array<std::int64_t, 3> lo{}, hi{};
  /// A box perturbation: the box takes the baseline's values in input channel `boxChannel`
  /// (-1: every channel) and `keep` is not called.
  bool box = false;
  std::int64_t boxChannel = -1;
  /// keep mask [C, px, py, pz] (1 = original value, 0 = baseline, fractions allowed) for patch
  /// `patch` of `plan` (patch coordinates are plan.starts[patch] - plan.padLow on the volume); any
  /// device (it is moved to the model's).
  std::function<torch::Tensor(const PatchPlan& plan, std::size_t patch)> keep;
  /// Instead of `keep`: the keep mask of the whole padded volume [C, ...padded] (plan().pad grid),
  /// made once per perturbation and moved to the device once (patches are its regions).
  std::function<torch::Tensor()> paddedKeep;
};

/// A perturbation that replaces the box [lo, hi) of input channel `channel` (-1: all) by the baseline.
Perturbation boxPerturbation(const std::array<std::int64_t, 3>& lo, const std::array<std::int64_t, 3>& hi,
                             std::int64_t channel);

/// A perturbation that changes the whole volume by a per-voxel keep mask [C, X, Y, Z] (volume grid),
/// padded once for `plan` (the scorer's) and held on the CPU.
Perturbation wholeVolumePerturbation(const torch::Tensor& keep, const PatchPlan& plan);

class PerturbationScorer {
 public:
  /// Runs the unperturbed patches once (one forward per patch with target weight).
  PerturbationScorer(AttributionContext& context, const torch::Tensor& baseline);

  /// S(x) per region.
  const std::vector<double>& baseScores() const { return base_; }
  /// S(x~) per perturbation and region ([i][r]). Reports progress and checks cancellation per batch.
  std::vector<std::vector<double>> scores(const std::vector<Perturbation>& perturbations, const TaskControl& control);
  /// Forward patch passes so far (the benchmark's k).
  std::size_t patchPasses() const { return passes_; }
  const PatchPlan& plan() const { return layout_.plan(); }

 private:
  /// Per-patch scores [rows used][region] of the first `used` rows of `batch` (on the device), row
  /// j being patch `slots[j]` (index into layout_.patches()).
  std::vector<std::vector<double>> patchScores(const torch::Tensor& batch, const std::vector<std::size_t>& slots);
  /// The target shares [R, px, py, pz] of patch layout_.patches()[slot], on the device.
  torch::Tensor shares(std::size_t slot);

  AttributionContext& context_;
  TargetPatches layout_;               // patches where some region has weight, padded input
  torch::Tensor input_, baseline_;     // padded [1, C, ...] on the device
  std::vector<torch::Tensor> shares_;  // per slot, filled on first use when they fit the cache
  bool cacheShares_ = true;
  std::vector<std::vector<double>> patchBase_;  // [index in layout_.patches()][region]
  std::vector<double> base_;
  std::size_t passes_ = 0;
};

}  // namespace voxplain
