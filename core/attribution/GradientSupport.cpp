#include "attribution/GradientSupport.h"

namespace voxplain {

GradientTable gradientsAt(AttributionContext& context, const std::vector<torch::Tensor>& inputs,
                          const TappedForward* forward, const torch::Tensor& baseline) {
  std::unique_ptr<TappedForward> plain;
  if (!forward) {
    plain = std::make_unique<TappedForward>(context.package.module(), std::vector<std::string>{});
    forward = plain.get();
  }
  SlidingGradient engine(*forward, context.package.manifest(), context.window, context.device, context.channel,
                         context.probability);
  std::vector<GradientRequest> requests;
  for (const torch::Tensor& x : inputs)
    for (const TargetRegion& r : context.regions) requests.push_back({x, &r.weights, baseline});
  const std::vector<GradientResult> results = engine.run(requests, context.control);
  GradientTable table;
  table.passes = engine.patchPasses();
  const std::size_t regions = context.regions.size();
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    table.gradients.emplace_back();
    table.scores.emplace_back();
    table.baselineScores.emplace_back();
    for (std::size_t r = 0; r < regions; ++r) {
      table.gradients.back().push_back(results[i * regions + r].gradient[0]);
      table.scores.back().push_back(results[i * regions + r].score);
      table.baselineScores.back().push_back(results[i * regions + r].baselineScore);
    }
  }
  return table;
}

torch::Tensor channelRange(const torch::Tensor& input) {
  const torch::Tensor flat = input.flatten(2);
  return (std::get<0>(flat.max(2)) - std::get<0>(flat.min(2))).view({1, -1, 1, 1, 1});
}

}  // namespace voxplain
