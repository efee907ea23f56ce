#pragma once
// Whole-volume input gradients through sliding windows.
//
// With sliding-window inference the prediction is L(v) = sum_p w_p(v) l_p(v) / sum_p w_p(v) (patch
// logits l_p blended with importance weights w_p). A target score S = sum_v T(v) L_c(v) is then
// a sum over patches, so dS/dx is accumulated patch by patch with the weights T w_p / sum w_p
// (design.md section 4; the scheme of Agg2Exp's sliding_window_gradient_inference, seed paper 001).
// Peak memory is one batch's forward + backward, never the whole volume's activations. Patches
// where the target has no weight are skipped. Requests that share one input (e.g. every instance
// of a class) share each patch's forward pass and differ only in their backward passes.

#include <torch/torch.h>

#include <vector>

#include "model/LayerTaps.h"
#include "model/ModelManifest.h"
#include "model/SlidingWindow.h"
#include "task/TaskControl.h"

namespace voxplain {

struct GradientRequest {
  torch::Tensor input;                ///< [1, C, X, Y, Z] float32 (model grid, normalised)
  const std::vector<float>* weights;  ///< target T(v) on the model grid (X fastest), X*Y*Z values
  /// DeepLift only: the baseline x', run in the same batch as [input patches; baseline patches]
  /// (model/ReluOverride.h). Either every request has one or none has.
  torch::Tensor baseline;
};

struct GradientResult {
  torch::Tensor gradient;      ///< [1, C, X, Y, Z] float32 CPU: dS/dx
  double score = 0.0;          ///< S(x)
  double baselineScore = 0.0;  ///< S(x') when the request has a baseline
};

class SlidingGradient {
 public:
  /// `forward` may carry a ReLU override; `channel` is the output channel scored; with
  /// `probability` the score uses the softmax of each patch's logits (blended after softmax).
  SlidingGradient(const TappedForward& forward, const ModelManifest& manifest, const SlidingWindowOptions& window,
                  const torch::Device& device, int channel, bool probability);

  /// One gradient per request. Checks cancellation and reports progress per batch.
  std::vector<GradientResult> run(const std::vector<GradientRequest>& requests, const TaskControl& control = {});

  /// Patch forward+backward passes done so far (for the benchmark's pass count); a DeepLift
  /// patch counts twice (input and baseline run as two samples).
  std::size_t patchPasses() const { return passes_; }

 private:
  const TappedForward& forward_;
  const ModelManifest& manifest_;
  SlidingWindowOptions window_;
  torch::Device device_;
  int channel_;
  bool probability_;
  std::size_t passes_ = 0;
};

/// The per-voxel value a target score sums, from patch logits [B, K, ...]: the scored channel's
/// logit, or with `probability` its softmax probability, in float32: [B, ...].
torch::Tensor scoredChannel(const torch::Tensor& logits, int channel, bool probability);

/// Weights on the grid as a [X, Y, Z] tensor.
torch::Tensor weightTensor(const std::vector<float>& weights, const std::array<std::int64_t, 3>& size);

}  // namespace voxplain
