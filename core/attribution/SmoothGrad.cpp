// SmoothGrad (Smilkov et al. 2017): mean over n samples of dS/dx at x + e, e ~ N(0, sigma^2),
// sigma = noise x (max - min) of each modality channel. Variants: "plain", "squared" (mean of the
// squared gradients, SmoothGrad^2) and "vargrad" (their variance, Adebayo et al. 2018).
// Seed paper 004 (instance SmoothGrad) uses n = 50 and noise = 0.05.
#include "attribution/GradientMethods.h"
#include "attribution/GradientSupport.h"

#include <algorithm>

namespace voxplain {

AttributionOutput SmoothGradMethod::run(AttributionContext& context, ParameterSet& params) {
  const int samples = params.integer("samples", 16, 1, 10000);
  const double noise = params.number("noise", 0.1, 0.0, 10.0);
  const std::string variant = params.choice("variant", "plain", {"plain", "squared", "vargrad"});
  const int seed = params.integer("seed", 0, 0, 1 << 30);
  params.rejectUnused("smoothgrad");
  torch::Generator generator = at::detail::createCPUGenerator(std::uint64_t(seed));
  const torch::Tensor sigma = channelRange(context.input) * noise;
  // Samples run in chunks that fill one gradient batch (a volume of one window: `batch` samples per
  // pass); a large volume fills batches with its own patches, and then one sample at a time keeps
  // memory at one noisy copy plus the running sums (a 512x512x300 study holds 300 MB per copy).
  const std::size_t regions = context.regions.size();
  const std::size_t patches =
      planPatches({context.input.size(2), context.input.size(3), context.input.size(4)}, context.window).starts.size();
  const std::size_t bytesPerCopy = std::size_t(context.input.numel()) * sizeof(float);
  const int chunk =
      int(std::clamp<std::size_t>(std::min((std::size_t(context.window.gradientBatch.size) + patches - 1) / patches,
                                           (std::size_t(1) << 31) / std::max<std::size_t>(bytesPerCopy, 1)),
                                  1, std::size_t(samples)));
  std::vector<torch::Tensor> sum(regions), sq(regions);
  AttributionOutput out;
  for (int first = 0; first < samples; first += chunk) {
    const int last = std::min(samples, first + chunk);
    AttributionContext chunkContext = context;
    chunkContext.control = context.control.range(double(first) / samples, double(last) / samples);
    std::vector<torch::Tensor> noisy;
    for (int s = first; s < last; ++s)
      noisy.push_back(context.input + torch::randn(context.input.sizes(), generator, torch::kFloat32) * sigma);
    const GradientTable t = gradientsAt(chunkContext, noisy);
    out.passes += t.passes;
    for (std::size_t i = 0; i < noisy.size(); ++i)
      for (std::size_t r = 0; r < regions; ++r) {
        const torch::Tensor& g = t.gradients[i][r];
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
