// Input x Gradient (Shrikumar et al. 2016): A = x * dS/dx, x the normalised model input.
#include "attribution/GradientMethods.h"
#include "attribution/GradientSupport.h"

namespace voxplain {

AttributionOutput InputXGradientMethod::run(AttributionContext& context, ParameterSet& params) {
  params.rejectUnused("input_x_gradient");
  const GradientTable t = gradientsAt(context, {context.input});
  AttributionOutput out;
  for (const torch::Tensor& g : t.gradients[0]) out.maps.push_back(context.input[0] * g);
  out.passes = t.passes;
  return out;
}

}  // namespace voxplain
