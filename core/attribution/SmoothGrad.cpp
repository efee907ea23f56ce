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
  // One noisy sample at a time: memory stays at one input plus the running sums, whatever n is
  // (a 512x512x300 study holds 300 MB per copy).
  const std::size_t regions = context.regions.size();
  std::vector<torch::Tensor> sum(regions), sq(regions);
  AttributionOutput out;
  for (int s = 0; s < samples; ++s) {
    TaskControl sampleControl = context.control.range(double(s) / samples, double(s + 1) / samples);
    AttributionContext sampleContext = context;
    sampleContext.control = sampleControl;
    const torch::Tensor noisy = context.input + torch::randn(context.input.sizes(), generator, torch::kFloat32) * sigma;
    const GradientTable t = gradientsAt(sampleContext, {noisy});
    out.passes += t.passes;
    for (std::size_t r = 0; r < regions; ++r) {
      const torch::Tensor& g = t.gradients[0][r];
      if (!sum[r].defined()) {
        sum[r] = torch::zeros_like(g);
        sq[r] = torch::zeros_like(g);
      }
      sum[r] += g;
      sq[r] += g * g;
    }
  }
  for (std::size_t r = 0; r < regions; ++r) {
    const torch::Tensor mean = sum[r] / samples, meanSq = sq[r] / samples;
    out.maps.push_back(variant == "plain" ? mean : variant == "squared" ? meanSq : meanSq - mean * mean);
  }
  return out;
}

}  // namespace voxplain
