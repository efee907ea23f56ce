// Integrated Gradients (Sundararajan et al. 2017): A = (x - x') * integral_0^1 dS/dx(x' + a (x - x')) da,
// approximated by a Riemann sum at the step midpoints or by Gauss-Legendre quadrature. Baseline x':
// zero (after normalisation), the input blurred with a Gaussian of `blur_sigma` voxels, or the mean
// (attribution/Baseline.h).
// Completeness: sum A should equal S(x) - S(x'); the gap is reported with the result.
#include <cmath>

#include "attribution/Baseline.h"
#include "attribution/GradientMethods.h"
#include "attribution/GradientSupport.h"

namespace voxplain {

std::vector<std::pair<double, double>> quadrature(int steps, const std::string& rule) {
  std::vector<std::pair<double, double>> nodes;  // (alpha, weight) on [0, 1]
  if (rule == "riemann") {
    for (int i = 0; i < steps; ++i) nodes.push_back({(i + 0.5) / steps, 1.0 / steps});
    return nodes;
  }
  // Gauss-Legendre: roots of P_n by Newton's method from Chebyshev guesses, mapped to [0, 1].
  for (int i = 1; i <= steps; ++i) {
    double x = std::cos(M_PI * (i - 0.25) / (steps + 0.5)), dp = 1.0;
    for (int iteration = 0; iteration < 100; ++iteration) {
      double p0 = 1.0, p1 = x;
      for (int k = 2; k <= steps; ++k) {
        const double p2 = ((2.0 * k - 1.0) * x * p1 - (k - 1.0) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      const double pn = steps == 1 ? x : p1, pn1 = steps == 1 ? 1.0 : p0;
      dp = steps * (x * pn - pn1) / (x * x - 1.0);
      const double dx = pn / dp;
      x -= dx;
      if (std::abs(dx) < 1e-15) break;
    }
    const double w = 2.0 / ((1.0 - x * x) * dp * dp);
    nodes.push_back({(x + 1.0) / 2.0, w / 2.0});
  }
  return nodes;
}

torch::Tensor gaussianBlur(const torch::Tensor& input, double sigma) {
  const int radius = std::max(1, int(std::ceil(3.0 * sigma)));
  const torch::Tensor t = torch::arange(-radius, radius + 1, torch::kFloat32);
  torch::Tensor k = torch::exp(-(t * t) / float(2.0 * sigma * sigma));
  k = k / k.sum();
  torch::Tensor x = input;
  const std::int64_t channels = input.size(1);
  for (int axis = 0; axis < 3; ++axis) {
    std::vector<std::int64_t> one{1, 1, 1, 1, 1}, shape{channels, 1, 1, 1, 1};
    one[std::size_t(2 + axis)] = shape[std::size_t(2 + axis)] = 2 * radius + 1;
    std::vector<std::int64_t> padding{0, 0, 0};
    padding[std::size_t(axis)] = radius;
    x = torch::conv3d(x, k.view(one).expand(shape).contiguous(), {}, 1, padding, 1, channels);
  }
  return x;
}

AttributionOutput IntegratedGradientsMethod::run(AttributionContext& context, ParameterSet& params) {
  const int steps = params.integer("steps", 32, 1, 4096);
  const std::string rule = params.choice("rule", "riemann", {"riemann", "gausslegendre"});
  const torch::Tensor& x = context.input;
  const torch::Tensor baseline = baselineFrom(params, context);
  params.rejectUnused("integrated_gradients");
  const auto nodes = quadrature(steps, rule);
  std::vector<torch::Tensor> points;
  for (const auto& [alpha, weight] : nodes) points.push_back(baseline + alpha * (x - baseline));
  points.push_back(x);         // S(x)
  points.push_back(baseline);  // S(x')
  const GradientTable t = gradientsAt(context, points);
  AttributionOutput out;
  for (std::size_t r = 0; r < context.regions.size(); ++r) {
    torch::Tensor integral = torch::zeros_like(t.gradients[0][r]);
    for (std::size_t i = 0; i < nodes.size(); ++i) integral += nodes[i].second * t.gradients[i][r];
    const torch::Tensor map = (x - baseline)[0] * integral;
    const double sum = map.sum().item<double>();
    const double delta = t.scores[nodes.size()][r] - t.scores[nodes.size() + 1][r];
    out.completeness.push_back({sum, delta});
    out.maps.push_back(map);
  }
  out.passes = t.passes;
  return out;
}

}  // namespace voxplain
