// Guided Backprop (Springenberg et al. 2015): the input gradient with every ReLU passing only
// positive gradients at positive inputs (model/ReluOverride.h). Refused, with the reason, for
// models without ReLU (e.g. MONAI's PReLU default), where it would equal plain Saliency.
#include "attribution/GradientMethods.h"
#include "attribution/GradientSupport.h"
#include "model/ReluOverride.h"

namespace voxplain {

AttributionOutput GuidedBackpropMethod::run(AttributionContext& context, ParameterSet& params) {
  params.rejectUnused("guided_backprop");
  TappedForward forward(context.package.module(), {});
  const ReluOverrideReport report = applyReluOverride(*forward.graph(), ReluOverrideMode::GuidedBackprop,
                                                      context.package.manifest().modelFile.string());
  forward.setGraph(forward.graph());
  const GradientTable t = gradientsAt(context, {context.input}, &forward);
  AttributionOutput out;
  out.maps = t.gradients[0];
  out.passes = t.passes;
  out.details["relu_nodes_overridden"] = report.replaced;
  out.details["other_activations_with_plain_gradients"] = report.otherActivations;
  return out;
}

}  // namespace voxplain
