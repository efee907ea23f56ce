// Exact modality Shapley values (Shapley 1953; modality importance of seed paper 002, Jin et al.):
// players = the M input modalities, v(S) = the target score with the modalities outside S replaced
// by the baseline. phi_i = sum over S without i of |S|! (M - |S| - 1)! / M! (v(S + i) - v(S)),
// from all 2^M coalitions (M <= 6). Efficiency: sum_i phi_i = S(x) - S(baseline), reported.
// The map of modality i holds phi_i at every voxel (as Captum assigns a feature's value to each of
// its elements); the values are in attribution.json.
#include "attribution/Baseline.h"
#include "attribution/PerturbationMethods.h"
#include "attribution/PerturbationScorer.h"
#include "task/InputError.h"

namespace voxplain {

AttributionOutput ModalityShapleyMethod::run(AttributionContext& context, ParameterSet& params) {
  const torch::Tensor& x = context.input;
  const torch::Tensor baseline = baselineFrom(params, context);
  params.rejectUnused("modality_shapley");
  const int m = int(x.size(1));
  if (m > 6)
    throw InputError(InputField::Method, "modality_shapley",
                     "exact Shapley values need 2^M passes; the model has " + std::to_string(m) +
                         " modalities (at most 6; use kernel_shap with features=modalities)");
  const std::array<std::int64_t, 3> size{x.size(2), x.size(3), x.size(4)};
  PerturbationScorer scorer(context, baseline);
  std::vector<Perturbation> coalitions;
  const int full = (1 << m) - 1;
  for (int s = 0; s < full; ++s) {  // the full coalition is S(x), known already
    torch::Tensor keep = torch::zeros({m, size[0], size[1], size[2]});
    for (int i = 0; i < m; ++i)
      if (s & (1 << i)) keep[i].fill_(1.0);
    coalitions.push_back(wholeVolumePerturbation(keep, scorer.plan()));
  }
  const auto scores = scorer.scores(coalitions, context.control);
  std::vector<double> factorial(std::size_t(m + 1), 1.0);
  for (int i = 1; i <= m; ++i) factorial[std::size_t(i)] = factorial[std::size_t(i - 1)] * i;

  AttributionOutput out;
  for (std::size_t r = 0; r < context.regions.size(); ++r) {
    auto value = [&](int s) { return s == full ? scorer.baseScores()[r] : scores[std::size_t(s)][r]; };
    std::vector<double> phi(std::size_t(m), 0.0);
    for (int i = 0; i < m; ++i)
      for (int s = 0; s <= full; ++s) {
        if (s & (1 << i)) continue;
        const int k = __builtin_popcount(unsigned(s));
        phi[std::size_t(i)] += factorial[std::size_t(k)] * factorial[std::size_t(m - k - 1)] /
                               factorial[std::size_t(m)] * (value(s | (1 << i)) - value(s));
      }
    torch::Tensor map = torch::empty({m, size[0], size[1], size[2]});
    for (int i = 0; i < m; ++i) map[i].fill_(phi[std::size_t(i)]);
    out.maps.push_back(map);
    out.shapley.push_back({phi, value(full), value(0)});
  }
  out.passes = scorer.patchPasses();
  return out;
}

}  // namespace voxplain
