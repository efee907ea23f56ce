#pragma once
// Cascading randomisation of a model's parameters for the sanity check of explanations
// (Adebayo et al., "Sanity checks for saliency maps", NeurIPS 2018; design.md section 6): the
// top-level blocks of the network that hold parameters are re-initialised one after another from
// the output inwards; a map that does not change meanwhile does not explain the model.
//
// Each parameter tensor is replaced by Gaussian noise with its own standard deviation (0.02 when
// that is zero), drawn from a generator seeded per block so that runs repeat. The originals are
// kept and written back by restore() and by the destructor: the package is never left randomised.

#include <cstdint>
#include <string>
#include <vector>

#include <torch/script.h>

namespace voxplain {

class CascadingRandomisation {
 public:
  /// Blocks: the module's direct children with parameters, last registered first (the output end
  /// of a sequentially built network). Throws std::invalid_argument when there are none.
  explicit CascadingRandomisation(torch::jit::Module& module, std::uint64_t seed = 0);
  ~CascadingRandomisation();
  CascadingRandomisation(const CascadingRandomisation&) = delete;
  CascadingRandomisation& operator=(const CascadingRandomisation&) = delete;

  /// Block names, output end first ("head", "dec1", ...).
  const std::vector<std::string>& blocks() const { return blocks_; }
  /// Randomises blocks [0, count): the cascade after `count` steps (count <= blocks().size()).
  void randomiseFirst(std::size_t count);
  /// Writes every original parameter back.
  void restore();

 private:
  torch::jit::Module& module_;
  std::uint64_t seed_;
  std::vector<std::string> blocks_;
  std::vector<std::vector<std::pair<torch::Tensor, torch::Tensor>>> saved_;  // per block: (live, original)
  std::size_t randomised_ = 0;
};

}  // namespace voxplain
