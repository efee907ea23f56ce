#pragma once
// Sliding-window inference over a whole volume (the scheme of MONAI's sliding_window_inference):
// patches of the model's size with a given overlap, the last patch aligned to the far border, a
// volume smaller than a patch padded symmetrically with zeros, outputs blended with a Gaussian
// (or constant) importance map and divided by the summed importance.

#include <torch/torch.h>

#include <array>
#include <functional>
#include <string>
#include <vector>

#include "task/TaskControl.h"

namespace voxplain {

struct SlidingWindowOptions {
  std::array<std::int64_t, 3> patch{128, 128, 128};  ///< voxels; clipped to the padded volume
  double overlap = 0.25;                             ///< [0, 1)
  bool gaussian = true;
  double sigmaScale = 0.125;                         ///< sigma = sigmaScale * patch (per axis)
  int batchSize = 1;
};

/// Where the patches of a sliding window go on a volume (after symmetric zero padding to at least
/// one patch).
struct PatchPlan {
  std::array<std::int64_t, 3> size{};     ///< the volume
  std::array<std::int64_t, 3> padLow{};   ///< zeros added before each axis
  std::array<std::int64_t, 3> padded{};   ///< size after padding
  std::array<std::int64_t, 3> patch{};    ///< patch actually used (clipped to padded)
  std::vector<std::array<std::int64_t, 3>> starts;  ///< in padded coordinates
  /// torch::constant_pad_nd argument (last axis first).
  std::vector<std::int64_t> padArgument() const;
  /// The region of patch `i` in a [.., X, Y, Z] tensor.
  torch::Tensor region(const torch::Tensor& t, std::size_t i) const;
  /// `t` ([.., X, Y, Z] on the volume) zero-padded as the plan pads the input (no copy when unpadded).
  torch::Tensor pad(const torch::Tensor& t) const;
  /// Sum over all patches of `importance` placed at each patch: the blend's denominator, [X, Y, Z] padded.
  torch::Tensor importanceSum(const torch::Tensor& importance) const;
};
PatchPlan planPatches(const std::array<std::int64_t, 3>& size, const SlidingWindowOptions& options);

/// Start indices of the patches along one axis: step max(1, floor(patch * (1 - overlap))), the last
/// patch ending at `size`. Requires patch <= size.
std::vector<std::int64_t> patchStarts(std::int64_t size, std::int64_t patch, double overlap);

/// Importance map [X, Y, Z] for one patch: exp(-d^2 / (2 sigma^2)) centred on the patch, scaled so
/// that its maximum is 1, with zeros raised to the smallest positive value (MONAI compute_importance_map).
torch::Tensor importanceMap(const std::array<std::int64_t, 3>& patch, bool gaussian, double sigmaScale);

/// Runs `predictor` on batches of patches of `input` [1, C, X, Y, Z] (any device) and returns the
/// blended output [1, K, X, Y, Z] as float32 on the input's device. Reports progress and checks
/// cancellation once per batch. `predictor` takes [B, C, px, py, pz] and returns [B, K, px, py, pz].
torch::Tensor slidingWindow(const torch::Tensor& input, const std::function<torch::Tensor(const torch::Tensor&)>& predictor,
                            const SlidingWindowOptions& options, const TaskControl& control = {});

}  // namespace voxplain
