#include "attribution/PatchMapBlender.h"

namespace voxplain {

PatchMapBlender::PatchMapBlender(const AttributionContext& context, std::size_t layers, bool everyPatch)
    : TargetPatches(context, everyPatch), channels_(context.input.size(1)), sums_(regions()) {
  for (auto& perLayer : sums_)
    for (std::size_t l = 0; l < layers; ++l) perLayer.push_back(torch::zeros_like(totalImportance()));
}

void PatchMapBlender::add(std::size_t region, std::size_t layer, std::size_t patch, const torch::Tensor& map) {
  const std::vector<std::int64_t> patchSize(plan().patch.begin(), plan().patch.end());
  const torch::Tensor resized = torch::nn::functional::interpolate(map.to(torch::kFloat32).unsqueeze(0).unsqueeze(0),
                                                                   torch::nn::functional::InterpolateFuncOptions()
                                                                       .size(patchSize)
                                                                       .mode(torch::kTrilinear)
                                                                       .align_corners(false))[0][0]
                                    .to(torch::kCPU);
  plan().region(sums_[region][layer], patch) += resized * importance();
}

std::vector<torch::Tensor> PatchMapBlender::maps(Combine combine) const {
  std::vector<torch::Tensor> out;
  for (const auto& layers : sums_) {
    torch::Tensor combined = torch::zeros(std::vector<std::int64_t>(size().begin(), size().end()));
    for (const torch::Tensor& sum : layers) {
      const torch::Tensor m = (sum / totalImportance())
                                  .slice(0, plan().padLow[0], plan().padLow[0] + size()[0])
                                  .slice(1, plan().padLow[1], plan().padLow[1] + size()[1])
                                  .slice(2, plan().padLow[2], plan().padLow[2] + size()[2]);
      if (combine == Combine::Sum) {
        combined += m;
      } else {
        const double peak = m.max().item<double>();
        combined += peak > 0 ? m / peak : m;
      }
    }
    if (combine == Combine::NormalisedMean && !layers.empty()) combined /= double(layers.size());
    out.push_back(combined.unsqueeze(0).expand({channels_, size()[0], size()[1], size()[2]}).contiguous());
  }
  return out;
}

}  // namespace voxplain
