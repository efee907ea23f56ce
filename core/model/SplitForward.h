#pragma once
// A model's forward cut in two at a named submodule, so that the rest of the network can be run
// again from modified activations of that layer (kernel-weighted contribution, seed paper 000,
// needs 2K such partial passes per layer).
//
// How: a copy of the forward graph is inlined down to the layer's call (model/LayerTaps.h). Every
// value defined at or before that call and used after it - the layer's output, skip connections,
// the input itself - is "carried". The head graph returns the carried values (the rest is dead
// code and removed); the tail graph takes them as extra inputs in place of their definitions (the
// part before the cut becomes dead code and is removed). Running head then tail equals forward().
// Module objects (prim::GetAttr chains) are not carried: the tail reads them from self.

#include <torch/script.h>

#include <memory>
#include <string>
#include <vector>

namespace voxplain {

class SplitForward {
 public:
  /// Throws InputError naming the layer when it cannot be found or is called in a loop/branch.
  SplitForward(const torch::jit::Module& module, const std::string& layer);
  ~SplitForward();

  struct Head {
    torch::Tensor input;               ///< what head() was given
    torch::Tensor activation;          ///< the layer's output [B, K, ...]
    std::vector<c10::IValue> carried;  ///< every carried value, activation included
    /// The same head for its first `rows` batch rows (after a head run on a padded batch).
    Head firstRows(std::int64_t rows) const;
  };
  /// Runs the network up to and including the layer.
  Head head(const torch::Tensor& input) const;
  /// Runs the rest from `activations` [N, K, ...], N a multiple of the head's batch B: the carried
  /// values are repeated in blocks, so rows [j*B, (j+1)*B) go with head rows 0..B-1. Returns the
  /// model's output [N, ...]. Throws std::invalid_argument when N is not a multiple of B.
  torch::Tensor tail(const Head& head, const torch::Tensor& activations) const;

  const std::string& layer() const { return layer_; }

 private:
  torch::jit::Module module_;
  std::string layer_;
  std::size_t activationSlot_ = 0;  // index of the layer's output among the carried values
  std::unique_ptr<torch::jit::GraphFunction> head_, tail_;
};

}  // namespace voxplain
