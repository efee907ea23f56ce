#pragma once
// Shared by the gradient methods: the TappedForward of the plain model and gradients of every
// target region for a list of inputs, batched through SlidingGradient.

#include <vector>

#include "attribution/AttributionMethod.h"

namespace voxplain {

/// result[i][r]: dS_r/dx at inputs[i] for region r, plus the scores (same shape).
struct GradientTable {
  std::vector<std::vector<torch::Tensor>> gradients;
  std::vector<std::vector<double>> scores;
  std::vector<std::vector<double>> baselineScores;
  std::size_t passes = 0;
};

/// With `baseline` defined, each input runs paired with it (DeepLift) and baselineScores is filled.
GradientTable gradientsAt(AttributionContext& context, const std::vector<torch::Tensor>& inputs,
                          const TappedForward* forward = nullptr, const torch::Tensor& baseline = {});

/// The completeness record of a path method: sum of the map vs S(x) - S(x') (IG, DeepLift).

/// Per-channel (max - min) of a [1, C, X, Y, Z] tensor, as a [1, C, 1, 1, 1] tensor.
torch::Tensor channelRange(const torch::Tensor& input);

}  // namespace voxplain
