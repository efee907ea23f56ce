// Saliency (Simonyan et al. 2014): A = dS/dx per modality channel, signed (views may show |A|).
#include "attribution/GradientMethods.h"
#include "attribution/GradientSupport.h"

namespace voxplain {

AttributionOutput SaliencyMethod::run(AttributionContext& context, ParameterSet& params) {
  params.rejectUnused("saliency");
  const GradientTable t = gradientsAt(context, {context.input});
  AttributionOutput out;
  out.maps = t.gradients[0];
  out.passes = t.passes;
  return out;
}

}  // namespace voxplain
