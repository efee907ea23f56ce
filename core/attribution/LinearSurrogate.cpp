#include "attribution/LinearSurrogate.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>

namespace voxplain {
namespace {

double binomial(int n, int k) {
  double r = 1.0;
  for (int i = 1; i <= k; ++i) r = r * (n - k + i) / i;
  return r;
}

torch::Tensor asMatrix(const std::vector<Coalition>& z, int m) {
  torch::Tensor a = torch::zeros({std::int64_t(z.size()), m}, torch::kFloat64);
  auto acc = a.accessor<double, 2>();
  for (std::size_t i = 0; i < z.size(); ++i)
    for (int j = 0; j < m; ++j) acc[std::int64_t(i)][j] = z[i][std::size_t(j)];
  return a;
}

torch::Tensor asVector(const std::vector<double>& v) {
  return torch::tensor(v, torch::kFloat64);
}

}  // namespace

CoalitionSample shapleyCoalitions(int m, int samples, std::uint64_t seed) {
  if (m < 1) throw std::invalid_argument("shapleyCoalitions: no features");
  CoalitionSample out;
  const double total = m < 62 ? std::ldexp(1.0, m) - 2.0 : 1e300;
  if (m > 1 && total <= samples) {
    out.exact = true;
    for (std::uint64_t mask = 1; mask + 1 < (std::uint64_t(1) << m); ++mask) {
      Coalition z(std::size_t(m), 0);
      int size = 0;
      for (int j = 0; j < m; ++j) size += (z[std::size_t(j)] = std::uint8_t((mask >> j) & 1));
      out.coalitions.push_back(std::move(z));
      out.weights.push_back((m - 1) / (binomial(m, size) * size * (m - size)));
    }
    return out;
  }
  if (m == 1) return out;  // phi = f(full) - f(empty), no regression
  std::mt19937_64 random(seed);
  std::vector<double> sizeWeights;
  for (int s = 1; s < m; ++s) sizeWeights.push_back((m - 1.0) / (s * double(m - s)));
  std::discrete_distribution<int> sizeOf(sizeWeights.begin(), sizeWeights.end());
  std::vector<int> order(static_cast<std::size_t>(m));
  std::iota(order.begin(), order.end(), 0);
  while (int(out.coalitions.size()) < samples) {
    const int size = sizeOf(random) + 1;
    std::shuffle(order.begin(), order.end(), random);
    Coalition z(std::size_t(m), 0), complement(std::size_t(m), 1);
    for (int j = 0; j < size; ++j)
      z[std::size_t(order[std::size_t(j)])] = 1, complement[std::size_t(order[std::size_t(j)])] = 0;
    out.coalitions.push_back(std::move(z));
    out.weights.push_back(1.0);
    if (int(out.coalitions.size()) < samples) {
      out.coalitions.push_back(std::move(complement));
      out.weights.push_back(1.0);
    }
  }
  return out;
}

std::vector<double> kernelShapValues(const CoalitionSample& sample, const std::vector<double>& f, double fEmpty,
                                     double fFull) {
  const double delta = fFull - fEmpty;
  if (sample.coalitions.empty()) return {delta};
  const int m = int(sample.coalitions.front().size());
  // f(z) - f(empty) - z_m delta = sum_{j < m} (z_j - z_m) phi_j
  const torch::Tensor z = asMatrix(sample.coalitions, m);
  const torch::Tensor a = z.slice(1, 0, m - 1) - z.slice(1, m - 1, m);
  const torch::Tensor b = asVector(f) - fEmpty - z.select(1, m - 1) * delta;
  const torch::Tensor w = asVector(sample.weights);
  const torch::Tensor aw = a * w.unsqueeze(1);
  const torch::Tensor phi = torch::matmul(torch::linalg_pinv(torch::matmul(aw.t(), a)), torch::matmul(aw.t(), b));
  std::vector<double> out(static_cast<std::size_t>(m), 0.0);
  double rest = 0.0;
  for (int j = 0; j + 1 < m; ++j) rest += (out[std::size_t(j)] = phi[j].item<double>());
  out[std::size_t(m - 1)] = delta - rest;
  return out;
}

std::vector<Coalition> limeCoalitions(int m, int samples, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::bernoulli_distribution present(0.5);
  std::vector<Coalition> out{Coalition(std::size_t(m), 1)};
  while (int(out.size()) < samples) {
    Coalition z(std::size_t(m), 0);
    for (auto& v : z) v = present(random);
    out.push_back(std::move(z));
  }
  return out;
}

double limeWeight(const Coalition& z, double width) {
  const double on = double(std::count(z.begin(), z.end(), std::uint8_t(1)));
  const double d = 1.0 - std::sqrt(on / double(z.size()));  // cosine distance to the all-ones vector
  return std::exp(-d * d / (width * width));
}

RidgeFit weightedRidge(const std::vector<Coalition>& z, const std::vector<double>& f,
                       const std::vector<double>& weights, double alpha) {
  if (z.empty() || z.size() != f.size() || f.size() != weights.size())
    throw std::invalid_argument("weightedRidge: sizes differ");
  const int m = int(z.front().size());
  const torch::Tensor x = asMatrix(z, m), y = asVector(f), w = asVector(weights);
  const double wsum = w.sum().item<double>();
  const torch::Tensor xm = (x * w.unsqueeze(1)).sum(0) / wsum, ym = (y * w).sum() / wsum;
  const torch::Tensor xc = x - xm, yc = y - ym;
  const torch::Tensor xw = xc * w.unsqueeze(1);
  const torch::Tensor beta =
      torch::matmul(torch::linalg_pinv(torch::matmul(xw.t(), xc) + alpha * torch::eye(m, torch::kFloat64)),
                    torch::matmul(xw.t(), yc));
  RidgeFit fit;
  for (int j = 0; j < m; ++j) fit.coefficients.push_back(beta[j].item<double>());
  fit.intercept = (ym - torch::dot(xm, beta)).item<double>();
  const torch::Tensor residual = yc - torch::matmul(xc, beta);
  const double ssRes = (w * residual * residual).sum().item<double>(), ssTot = (w * yc * yc).sum().item<double>();
  fit.r2 = ssTot > 0 ? 1.0 - ssRes / ssTot : 1.0;
  return fit;
}

}  // namespace voxplain
