#pragma once
// Backward overrides of ReLU, for Guided Backprop and DeepLift (Rescale rule).
//
// The forward graph (e.g. of a TappedForward) is inlined and every aten::relu / aten::relu_ node
// is replaced by a Voxplain custom op with the same forward and a different backward:
//  - Guided Backprop (Springenberg et al. 2015): dL/dx = max(dL/dy, 0) * [x > 0].
//  - DeepLift Rescale (Shrikumar et al. 2017): the batch holds inputs then baselines, in two equal
//    halves (as Captum batches them); the multiplier (relu(x) - relu(x')) / (x - x') replaces the
//    derivative where |x - x'| > 1e-7 (the derivative is kept elsewhere), for both halves.
// Other activations (PReLU - MONAI's default -, LeakyReLU, ELU, GELU, sigmoid, tanh) keep their
// ordinary gradient; apply() reports which were found. A graph with no ReLU at all is refused with
// a message that says so, because the method would silently equal plain gradients.

#include <torch/script.h>

#include <string>
#include <vector>

namespace voxplain {

enum class ReluOverrideMode { GuidedBackprop, DeepLiftRescale };

struct ReluOverrideReport {
  std::size_t replaced = 0;                   ///< ReLU nodes rewritten
  std::vector<std::string> otherActivations;  ///< kinds left with ordinary gradients, e.g. "aten::prelu"
};

/// Rewrites `graph` in place (inlining it first). Throws InputError when it has no ReLU.
ReluOverrideReport applyReluOverride(torch::jit::Graph& graph, ReluOverrideMode mode, const std::string& modelName);

}  // namespace voxplain
