#pragma once
// Layer taps: the forward activation of any named submodule, as an ordinary autograd tensor, from
// scripted AND traced TorchScript models, without touching the model file.
//
// How (shared/research-notes.md, "LibTorch: layer taps"): LibTorch has no forward hooks, so a copy
// of the forward graph is rewritten. Each child call is a prim::CallMethod whose module comes from
// a chain of prim::GetAttr; the call of the wanted path is found (inlining parent calls, one level
// at a time, to reach nested paths such as "dec1.conv2"), its output becomes an extra graph output,
// and the copy runs as a GraphFunction on the module's object. Logits are unchanged bit for bit.
// Gradients of any scalar w.r.t. the taps and the input come from one torch::autograd::grad call.

#include <torch/script.h>

#include <memory>
#include <string>
#include <vector>

namespace voxplain {

class TappedForward {
 public:
  /// Prepares a forward pass of `module` that also returns the outputs of `layers` (dotted paths).
  /// With `relaxed`, paths that cannot be tapped are skipped (tappedLayers() says which remain);
  /// otherwise an InputError names the path and the reason (unknown submodule, called inside a
  /// loop/branch, or a frozen/inlined model that lost its submodule calls).
  TappedForward(const torch::jit::Module& module, const std::vector<std::string>& layers, bool relaxed = false);

  struct Result {
    torch::Tensor output;                    ///< the model's forward output (logits)
    std::vector<torch::Tensor> activations;  ///< one per tapped layer, in tappedLayers() order
  };
  /// Runs the rewritten forward on `input` ([N, C, ...] as the model expects).
  Result run(const torch::Tensor& input) const;

  const std::vector<std::string>& tappedLayers() const { return tapped_; }
  /// The rewritten graph (for diagnostics and for passes such as the ReLU override).
  std::shared_ptr<torch::jit::Graph> graph() const { return graph_; }
  /// Replaces the graph (after a pass) and rebuilds the function.
  void setGraph(std::shared_ptr<torch::jit::Graph> graph);

 private:
  torch::jit::Module module_;
  std::shared_ptr<torch::jit::Graph> graph_;
  std::unique_ptr<torch::jit::GraphFunction> function_;
  std::vector<std::string> tapped_;
  bool plain_ = false;  // no taps and the graph never replaced: run() calls the module's forward
};

/// The call of submodule `layer` (dotted path, one of `known`) in the top-level block of `graph` (a
/// copy of forward's graph whose input 0 is self), inlining the calls of its parents as needed.
/// Null, with `reason` set, when it cannot be found or is called inside a loop or branch.
torch::jit::Node* locateLayerCall(torch::jit::Graph& graph, const std::vector<std::string>& known,
                                  const std::string& layer, std::string& reason);

/// Every submodule path of `module` (named_modules order, excluding the root).
std::vector<std::string> submodulePaths(const torch::jit::Module& module);

}  // namespace voxplain
