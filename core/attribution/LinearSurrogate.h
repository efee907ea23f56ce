#pragma once
// The linear surrogate models of LIME and Kernel SHAP, on binary coalition vectors z (1 = feature
// present, 0 = replaced by the baseline).
//  - Kernel SHAP (Lundberg & Lee 2017, "A Unified Approach to Interpreting Model Predictions",
//    Theorem 2): weighted least squares with the Shapley kernel pi(z) = (M - 1) / (C(M, |z|) |z| (M - |z|))
//    and the constraints phi_0 = f(empty), sum phi = f(full) - f(empty) (eliminated: the last
//    feature's value is Delta minus the others). With every coalition enumerated the result is the
//    exact Shapley values; for a linear f any full-rank sample gives them exactly.
//  - LIME (Ribeiro et al. 2016, "Why Should I Trust You?"): ridge regression with intercept,
//    weights pi(z) = exp(-d(z)^2 / width^2), d = cosine distance between z and the all-ones vector.

#include <cstdint>
#include <vector>

namespace voxplain {

using Coalition = std::vector<std::uint8_t>;

struct CoalitionSample {
  std::vector<Coalition> coalitions;  ///< neither empty nor full
  std::vector<double> weights;        ///< regression weights
  bool exact = false;                 ///< every coalition enumerated
};

/// Kernel SHAP's coalitions for m features: all 2^m - 2 with kernel weights when that is at most
/// `samples`, else `samples` drawn (in complementary pairs) from the kernel's size distribution,
/// weight 1 each. Deterministic for a seed.
CoalitionSample shapleyCoalitions(int m, int samples, std::uint64_t seed);

/// Shapley values from f on each coalition and f(empty), f(full).
std::vector<double> kernelShapValues(const CoalitionSample& sample, const std::vector<double>& f, double fEmpty,
                                     double fFull);

/// LIME's coalitions: `samples` uniform random vectors (each feature present with probability 1/2)
/// plus the full one first.
std::vector<Coalition> limeCoalitions(int m, int samples, std::uint64_t seed);
/// Exponential kernel on the cosine distance to the full coalition.
double limeWeight(const Coalition& z, double width);

struct RidgeFit {
  std::vector<double> coefficients;
  double intercept = 0.0;
  double r2 = 0.0;  ///< weighted coefficient of determination
};
/// Weighted ridge regression with an unpenalised intercept.
RidgeFit weightedRidge(const std::vector<Coalition>& z, const std::vector<double>& f,
                       const std::vector<double>& weights, double alpha);

}  // namespace voxplain
