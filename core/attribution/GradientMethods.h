#pragma once
// The gradient-family methods (one implementation file each).

#include "attribution/AttributionMethod.h"

namespace voxplain {

class SaliencyMethod : public AttributionMethod {
 public:
  AttributionOutput run(AttributionContext& context, ParameterSet& params) override;
};
class InputXGradientMethod : public AttributionMethod {
 public:
  AttributionOutput run(AttributionContext& context, ParameterSet& params) override;
};
class SmoothGradMethod : public AttributionMethod {
 public:
  AttributionOutput run(AttributionContext& context, ParameterSet& params) override;
};
class IntegratedGradientsMethod : public AttributionMethod {
 public:
  AttributionOutput run(AttributionContext& context, ParameterSet& params) override;
};

class GuidedBackpropMethod : public AttributionMethod {
 public:
  AttributionOutput run(AttributionContext& context, ParameterSet& params) override;
};
class DeepLiftMethod : public AttributionMethod {
 public:
  AttributionOutput run(AttributionContext& context, ParameterSet& params) override;
};

/// (alpha, weight) nodes on [0, 1] for `steps` points: "riemann" (midpoints) or "gausslegendre".
std::vector<std::pair<double, double>> quadrature(int steps, const std::string& rule);
/// Separable Gaussian blur of [1, C, X, Y, Z] per channel (sigma in voxels, zero padding).
torch::Tensor gaussianBlur(const torch::Tensor& input, double sigma);

}  // namespace voxplain
