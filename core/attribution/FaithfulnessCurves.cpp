#include "attribution/FaithfulnessCurves.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "attribution/Baseline.h"
#include "attribution/PerturbationScorer.h"

namespace voxplain {

nlohmann::json FaithfulnessCurves::toJson() const {
  return {{"fractions", fractions},          {"deletion", deletion},
          {"insertion", insertion},          {"deletion_area", deletionArea},
          {"insertion_area", insertionArea}, {"score", score}};
}

namespace {

/// Mean height of a curve sampled at equally spaced points (trapezoids).
double meanHeight(const std::vector<double>& y) {
  if (y.size() < 2) return y.empty() ? 0.0 : y.front();
  double area = 0;
  for (std::size_t i = 1; i < y.size(); ++i) area += 0.5 * (y[i - 1] + y[i]);
  return area / double(y.size() - 1);
}

}  // namespace

FaithfulnessCurves faithfulnessCurves(AttributionContext& context, const torch::Tensor& map, std::size_t region,
                                      const FaithfulnessOptions& options) {
  if (options.steps < 1 || !(options.maxFraction > 0.0 && options.maxFraction <= 1.0))
    throw std::invalid_argument("faithfulness: steps >= 1 and max fraction in (0, 1] expected");
  const auto shape = context.input.sizes();
  if (map.dim() != 4 || map.size(0) != shape[1] || map.size(1) != shape[2] || map.size(2) != shape[3] ||
      map.size(3) != shape[4])
    throw std::invalid_argument("faithfulness: the map does not have the model input's shape");
  if (region >= context.regions.size()) throw std::invalid_argument("faithfulness: no such target region");

  ParameterSet params;
  params.set("baseline", options.baseline);
  const torch::Tensor baseline = baselineFrom(params, context);
  PerturbationScorer scorer(context, baseline);

  // Rank of every feature (modality x voxel), most positive first; ties keep memory order.
  const torch::Tensor flat = map.reshape({-1}).to(torch::kFloat32).contiguous();
  const torch::Tensor order = std::get<1>(flat.sort(/*stable=*/true, /*dim=*/0, /*descending=*/true));
  torch::Tensor rank = torch::empty_like(order);
  rank.index_put_({order}, torch::arange(order.numel(), order.options()));

  FaithfulnessCurves curves;
  std::vector<Perturbation> perturbations;
  for (int i = 0; i <= options.steps; ++i) {
    const double f = options.maxFraction * double(i) / double(options.steps);
    curves.fractions.push_back(f);
    const auto top = std::int64_t(f * double(flat.numel()) + 0.5);
    const torch::Tensor inTop = (rank < top).to(torch::kFloat32).reshape(map.sizes());
    perturbations.push_back(wholeVolumePerturbation(1.0f - inTop, scorer.plan()));  // deletion
    perturbations.push_back(wholeVolumePerturbation(inTop, scorer.plan()));         // insertion
  }
  const auto scores = scorer.scores(perturbations, context.control);
  curves.score = scorer.baseScores()[region];
  const double s = curves.score != 0.0 ? curves.score : 1.0;
  for (int i = 0; i <= options.steps; ++i) {
    curves.deletion.push_back(scores[std::size_t(2 * i)][region] / s);
    curves.insertion.push_back(scores[std::size_t(2 * i + 1)][region] / s);
  }
  curves.deletionArea = meanHeight(curves.deletion);
  curves.insertionArea = meanHeight(curves.insertion);
  return curves;
}

}  // namespace voxplain
