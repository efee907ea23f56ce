#pragma once
// Sliding-window inference over a whole volume (the scheme of MONAI's sliding_window_inference):
// patches of the window's size with a given overlap, the last patch aligned to the far border, a
// volume smaller than the window padded symmetrically with zeros (the low side gets the smaller
// half), outputs blended with a Gaussian (or constant) importance map and divided by the summed
// importance. Which window a model runs with on a volume (clipped to it, or padded as MONAI does)
// is decided by model/InferenceWindow.h.

#include <torch/torch.h>

#include <array>
#include <functional>
#include <string>
#include <vector>

#include "task/TaskControl.h"

namespace voxplain {

/// How many samples one pass of the network takes (model/BatchProfile.h measures both numbers).
struct PassBatch {
  int size = 1;  ///< samples per pass, >= 1
  /// A pass with fewer samples is padded to min(minimum, size) rows (copies of its first sample,
  /// whose outputs are discarded): on LibTorch's CPU build a batch of 2 costs less in total than a
  /// batch of 1, because a 3D convolution of batch 1 with few channels falls back to a slow kernel.
  int minimum = 1;
  /// Rows to run for `samples` samples (>= samples).
  std::int64_t rowsFor(std::int64_t samples) const { return std::max<std::int64_t>(samples, std::min(minimum, size)); }
};

struct SlidingWindowOptions {
  std::array<std::int64_t, 3> patch{128, 128, 128};  ///< voxels; a smaller volume is padded to it
  double overlap = 0.25;                             ///< [0, 1)
  bool gaussian = true;
  double sigmaScale = 0.125;  ///< sigma = sigmaScale * patch (per axis)
  /// 0: the Gaussian scaled to a maximum of 1, zeros raised to its smallest positive value (MONAI
  /// < 0.9). > 0: MONAI >= 0.9's map, the unscaled product of 1D Gaussians with every weight below
  /// max(min, floor) raised to it (MONAI uses 1e-3).
  double importanceFloor = 0.0;
  /// nnU-Net's sliding window (nnunetv2 inference): patch starts by nnunetPatchStarts with tile
  /// step 1 - overlap, and its Gaussian: exp(-d^2 / (2 sigma^2)) about the voxel patch / 2 (integer
  /// division), zero beyond int(4 sigma + 0.5) as scipy's gaussian_filter truncates, scaled to a
  /// maximum of 1, zeros raised to the smallest positive weight.
  bool nnunet = false;
  PassBatch forwardBatch;   ///< forward-only passes (prediction, perturbations, KWC)
  PassBatch gradientBatch;  ///< forward+backward passes (gradients, CAM)
  /// Both batches fixed to `size` samples, no padding of small passes.
  void setBatch(int size) { forwardBatch = gradientBatch = PassBatch{std::max(1, size), 1}; }
};

/// Where the patches of a sliding window go on a volume (after symmetric zero padding to at least
/// one patch).
struct PatchPlan {
  std::array<std::int64_t, 3> size{};               ///< the volume
  std::array<std::int64_t, 3> padLow{};             ///< zeros added before each axis
  std::array<std::int64_t, 3> padded{};             ///< size after padding
  std::array<std::int64_t, 3> patch{};              ///< patch actually used (clipped to padded)
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

/// nnU-Net's patch starts along one axis: n = ceil((size - patch) / (patch * tileStep)) + 1
/// patches, start i at round((size - patch) / (n - 1) * i) (round half to even, as numpy). {0}
/// when patch >= size.
std::vector<std::int64_t> nnunetPatchStarts(std::int64_t size, std::int64_t patch, double tileStep);

/// Importance map [X, Y, Z] for one patch: exp(-d^2 / (2 sigma^2)) centred on the patch (constant
/// 1 when !options.gaussian), with small weights raised as options.importanceFloor says (MONAI
/// compute_importance_map).
torch::Tensor importanceMap(const std::array<std::int64_t, 3>& patch, const SlidingWindowOptions& options);

/// `batch` [N, ...] with rows appended (copies of row 0) up to `rows` rows; the same tensor when N >= rows.
torch::Tensor padBatchRows(const torch::Tensor& batch, std::int64_t rows);

/// Runs `predictor` on batches of patches of `input` [1, C, X, Y, Z] (any device) and returns the
/// blended output [1, K, X, Y, Z] as float32 on the input's device. Reports progress and checks
/// cancellation once per batch of options.forwardBatch. `predictor` takes [B, C, px, py, pz] and
/// returns [B, K, px, py, pz].
torch::Tensor slidingWindow(const torch::Tensor& input,
                            const std::function<torch::Tensor(const torch::Tensor&)>& predictor,
                            const SlidingWindowOptions& options, const TaskControl& control = {});

}  // namespace voxplain
