#include "attribution/Baseline.h"

#include "attribution/GradientMethods.h"
#include "task/InputError.h"

namespace voxplain {

torch::Tensor baselineFrom(ParameterSet& params, const AttributionContext& context, const std::string& fallback) {
  const torch::Tensor& input = context.input;
  const std::string kind = params.choice("baseline", context.customBaseline.defined() ? "custom" : fallback,
                                         {"zero", "blurred", "mean", "custom"});
  if (kind == "custom") {
    if (!context.customBaseline.defined())
      throw InputError(InputField::Parameter, "baseline=custom", "give custom baseline images, one per modality");
    return context.customBaseline;
  }
  if (kind == "zero") return torch::zeros_like(input);
  if (kind == "mean") return input.mean({2, 3, 4}, true).expand_as(input).contiguous();
  return gaussianBlur(input, params.number("blur_sigma", 4.0, 0.1, 100.0));
}

}  // namespace voxplain
