#include "attribution/TargetPatches.h"

namespace voxplain {

TargetPatches::TargetPatches(const AttributionContext& context, bool everyPatch) {
  const torch::Tensor& input = context.input;
  size_ = {input.size(2), input.size(3), input.size(4)};
  plan_ = planPatches(size_, context.window);
  input_ = plan_.pad(input.to(torch::kFloat32));
  importance_ = importanceMap(plan_.patch, context.window);
  total_ = plan_.importanceSum(importance_);
  for (const TargetRegion& r : context.regions) targets_.push_back(plan_.pad(weightTensor(r.weights, size_)));
  for (std::size_t p = 0; p < plan_.starts.size(); ++p) {
    bool any = everyPatch;
    for (const torch::Tensor& t : targets_) any = any || plan_.region(t, p).abs().sum().item<double>() > 0;
    if (any) patches_.push_back(p);
  }
}

torch::Tensor TargetPatches::inputBatch(std::size_t begin, std::size_t end, const torch::Device& device,
                                        const PassBatch& pass) const {
  std::vector<torch::Tensor> pieces;
  for (std::size_t i = begin; i < end; ++i) pieces.push_back(plan_.region(input_, patches_[i]));
  return padBatchRows(torch::cat(pieces, 0), pass.rowsFor(std::int64_t(end - begin))).to(device);
}

torch::Tensor TargetPatches::targetShare(std::size_t region, std::size_t patch) const {
  return plan_.region(targets_[region], patch) * importance_ / plan_.region(total_, patch);
}

}  // namespace voxplain
