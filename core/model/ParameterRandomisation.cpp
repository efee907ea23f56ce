#include "model/ParameterRandomisation.h"

#include <stdexcept>

#include <torch/torch.h>

namespace voxplain {

CascadingRandomisation::CascadingRandomisation(torch::jit::Module& module, std::uint64_t seed)
    : module_(module), seed_(seed) {
  std::vector<std::pair<std::string, std::vector<std::pair<torch::Tensor, torch::Tensor>>>> found;
  for (const auto& child : module_.named_children()) {
    std::vector<std::pair<torch::Tensor, torch::Tensor>> params;
    for (const auto& p : child.value.parameters(/*recurse=*/true)) params.emplace_back(p, p.detach().clone());
    if (!params.empty()) found.emplace_back(child.name, std::move(params));
  }
  if (found.empty()) throw std::invalid_argument("cascading randomisation: the model has no blocks with parameters");
  for (auto it = found.rbegin(); it != found.rend(); ++it) {
    blocks_.push_back(it->first);
    saved_.push_back(std::move(it->second));
  }
}

CascadingRandomisation::~CascadingRandomisation() {
  try {
    restore();
  } catch (...) {  // a destructor must not throw; restore() only copies tensors back
  }
}

void CascadingRandomisation::randomiseFirst(std::size_t count) {
  if (count > blocks_.size())
    throw std::invalid_argument("cascading randomisation: only " + std::to_string(blocks_.size()) + " blocks");
  torch::NoGradGuard noGrad;
  for (std::size_t b = randomised_; b < count; ++b) {
    auto generator = at::detail::createCPUGenerator(seed_ * 1000003ULL + b);
    for (auto& [live, original] : saved_[b]) {
      const double sd = original.numel() > 1 ? original.std().item<double>() : 0.0;
      const torch::Tensor noise = at::normal(0.0, sd > 0 ? sd : 0.02, original.sizes(), generator,
                                             torch::TensorOptions().dtype(original.dtype()));
      live.copy_(noise);
    }
  }
  randomised_ = std::max(randomised_, count);
}

void CascadingRandomisation::restore() {
  torch::NoGradGuard noGrad;
  for (std::size_t b = 0; b < randomised_; ++b)
    for (auto& [live, original] : saved_[b]) live.copy_(original);
  randomised_ = 0;
}

}  // namespace voxplain
