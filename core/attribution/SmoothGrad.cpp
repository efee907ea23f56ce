// SmoothGrad (Smilkov et al. 2017): mean over n samples of dS/dx at x + e, e ~ N(0, sigma^2),
// sigma = noise x (max - min) of each modality channel. Variants: "plain", "squared" (mean of the
// squared gradients, SmoothGrad^2) and "vargrad" (their variance, Adebayo et al. 2018).
// Seed paper 004 (instance SmoothGrad) uses n = 50 and noise = 0.05.
#include "attribution/GradientMethods.h"
#include "attribution/GradientSupport.h"

namespace voxplain {

AttributionOutput SmoothGradMethod::run(AttributionContext& context, ParameterSet& params) {
  const int samples = params.integer("samples", 16, 1, 10000);
  const double noise = params.number("noise", 0.1, 0.0, 10.0);
  const std::string variant = params.choice("variant", "plain", {"plain", "squared", "vargrad"});
  const int seed = params.integer("seed", 0, 0, 1 << 30);
  params.rejectUnused("smoothgrad");
  torch::Generator generator = at::detail::createCPUGenerator(std::uint64_t(seed));
  const torch::Tensor sigma = channelRange(context.input) * noise;
  std::vector<torch::Tensor> noisy;
  for (int s = 0; s < samples; ++s)
    noisy.push_back(context.input + torch::randn(context.input.sizes(), generator, torch::kFloat32) * sigma);
  const GradientTable t = gradientsAt(context, noisy);
  AttributionOutput out;
  for (std::size_t r = 0; r < context.regions.size(); ++r) {
    torch::Tensor sum = torch::zeros_like(t.gradients[0][r]), sq = torch::zeros_like(sum);
    for (int s = 0; s < samples; ++s) {
      sum += t.gradients[std::size_t(s)][r];
      sq += t.gradients[std::size_t(s)][r] * t.gradients[std::size_t(s)][r];
    }
    const torch::Tensor mean = sum / samples, meanSq = sq / samples;
    out.maps.push_back(variant == "plain" ? mean : variant == "squared" ? meanSq : meanSq - mean * mean);
  }
  out.passes = t.passes;
  return out;
}

}  // namespace voxplain
