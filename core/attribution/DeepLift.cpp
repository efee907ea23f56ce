// DeepLift with the Rescale rule (Shrikumar et al. 2017, "Learning Important Features Through
// Propagating Activation Differences"): A = (x - x') * m, where the multipliers m are gradients in
// which every ReLU's derivative is replaced by (relu(x) - relu(x')) / (x - x') against the
// baseline's activations (model/ReluOverride.h). Each patch runs with its baseline patch in the same
// batch, so the multipliers see both. Other layers (convolutions, batch norm in eval, max pooling)
// keep their ordinary gradient, as Captum's DeepLift does for non-ReLU modules without a rule; the
// summation-to-delta gap |sum A - (S(x) - S(x'))| is reported (it is 0 for ReLU/linear networks
// and small where max pooling switches between x and x').
#include "attribution/Baseline.h"
#include "attribution/GradientMethods.h"
#include "attribution/GradientSupport.h"
#include "model/ReluOverride.h"

namespace voxplain {

AttributionOutput DeepLiftMethod::run(AttributionContext& context, ParameterSet& params) {
  const torch::Tensor& x = context.input;
  const torch::Tensor baseline = baselineFrom(params, context);
  params.rejectUnused("deeplift");
  TappedForward forward(context.package.module(), {});
  const ReluOverrideReport report = applyReluOverride(*forward.graph(), ReluOverrideMode::DeepLiftRescale,
                                                      context.package.manifest().modelFile.string());
  forward.setGraph(forward.graph());
  const GradientTable t = gradientsAt(context, {x}, &forward, baseline);
  AttributionOutput out;
  for (std::size_t r = 0; r < context.regions.size(); ++r) {
    const torch::Tensor map = (x - baseline)[0] * t.gradients[0][r];
    const double sum = map.sum().item<double>();
    const double delta = t.scores[0][r] - t.baselineScores[0][r];
    out.completeness.push_back({sum, delta});
    out.maps.push_back(map);
  }
  out.passes = t.passes;
  out.details["relu_nodes_overridden"] = report.replaced;
  out.details["other_activations_with_plain_gradients"] = report.otherActivations;
  return out;
}

}  // namespace voxplain
