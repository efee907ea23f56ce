#include "attribution/PatchMapBlender.h"

namespace voxplain {

PatchMapBlender::PatchMapBlender(const AttributionContext& context, std::size_t layers, bool everyPatch) : channels_(context.input.size(1)) {
  const torch::Tensor& input = context.input;
  size_ = {input.size(2), input.size(3), input.size(4)};
  plan_ = planPatches(size_, context.window);
  input_ = plan_.pad(input);
  importance_ = importanceMap(plan_.patch, context.window.gaussian, context.window.sigmaScale);
  total_ = plan_.importanceSum(importance_);
  for (const TargetRegion& r : context.regions) {
    targets_.push_back(plan_.pad(weightTensor(r.weights, size_)));
    sums_.emplace_back();
    for (std::size_t l = 0; l < layers; ++l) sums_.back().push_back(torch::zeros_like(total_));
  }
  for (std::size_t p = 0; p < plan_.starts.size(); ++p) {
    bool any = everyPatch;
    for (const torch::Tensor& t : targets_) any = any || plan_.region(t, p).abs().sum().item<double>() > 0;
    if (any) patches_.push_back(p);
  }
}

torch::Tensor PatchMapBlender::targetShare(std::size_t region, std::size_t patch) const {
  return plan_.region(targets_[region], patch) * importance_ / plan_.region(total_, patch);
}

torch::Tensor PatchMapBlender::target(std::size_t region, std::size_t patch) const { return plan_.region(targets_[region], patch); }

void PatchMapBlender::add(std::size_t region, std::size_t layer, std::size_t patch, const torch::Tensor& map) {
  const std::vector<std::int64_t> patchSize(plan_.patch.begin(), plan_.patch.end());
  const torch::Tensor resized =
      torch::nn::functional::interpolate(
          map.to(torch::kFloat32).unsqueeze(0).unsqueeze(0),
          torch::nn::functional::InterpolateFuncOptions().size(patchSize).mode(torch::kTrilinear).align_corners(false))[0][0]
          .to(torch::kCPU);
  plan_.region(sums_[region][layer], patch) += resized * importance_;
}

std::vector<torch::Tensor> PatchMapBlender::maps(Combine combine) const {
  std::vector<torch::Tensor> out;
  for (const auto& layers : sums_) {
    torch::Tensor combined = torch::zeros(std::vector<std::int64_t>(size_.begin(), size_.end()));
    for (const torch::Tensor& sum : layers) {
      const torch::Tensor m = (sum / total_)
                                  .slice(0, plan_.padLow[0], plan_.padLow[0] + size_[0])
                                  .slice(1, plan_.padLow[1], plan_.padLow[1] + size_[1])
                                  .slice(2, plan_.padLow[2], plan_.padLow[2] + size_[2]);
      if (combine == Combine::Sum) {
        combined += m;
      } else {
        const double peak = m.max().item<double>();
        combined += peak > 0 ? m / peak : m;
      }
    }
    if (combine == Combine::NormalisedMean && !layers.empty()) combined /= double(layers.size());
    out.push_back(combined.unsqueeze(0).expand({channels_, size_[0], size_[1], size_[2]}).contiguous());
  }
  return out;
}

}  // namespace voxplain
