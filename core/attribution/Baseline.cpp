#include "attribution/Baseline.h"

#include "attribution/GradientMethods.h"

namespace voxplain {

torch::Tensor baselineFrom(ParameterSet& params, const torch::Tensor& input, const std::string& fallback) {
  const std::string kind = params.choice("baseline", fallback, {"zero", "blurred", "mean"});
  if (kind == "zero") return torch::zeros_like(input);
  if (kind == "mean") return input.mean({2, 3, 4}, true).expand_as(input).contiguous();
  return gaussianBlur(input, params.number("blur_sigma", 4.0, 0.1, 100.0));
}

}  // namespace voxplain
