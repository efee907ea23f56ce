// LIME (Ribeiro et al. 2016) over supervoxels x modalities or whole modalities
// (attribution/FeatureMasks.h): random coalitions, each weighted by an exponential kernel on its
// cosine distance to the full input (kernel_width, LIME's image default 0.25), and a weighted ridge
// regression (alpha, LIME's default 1) whose coefficients are the features' values, written to every
// voxel of the feature. The fit's weighted R^2 is reported: a low R^2 means the linear surrogate
// does not describe the model locally and the map should not be trusted.
#include "attribution/Baseline.h"
#include "attribution/FeatureMasks.h"
#include "attribution/PerturbationMethods.h"

namespace voxplain {

AttributionOutput LimeMethod::run(AttributionContext& context, ParameterSet& params) {
  const FeatureSet features = featuresFrom(params, context);
  const int samples = params.integer("samples", 256, 2, 1000000);
  const double width = params.number("kernel_width", 0.25, 1e-3, 100.0);
  const double alpha = params.number("alpha", 1.0, 0.0, 1e6);
  const int seed = params.integer("seed", 0, 0, 1 << 30);
  const torch::Tensor baseline = baselineFrom(params, context);
  params.rejectUnused("lime");
  PerturbationScorer scorer(context, baseline);
  const std::vector<Coalition> coalitions = limeCoalitions(features.count(), samples, std::uint64_t(seed));
  std::vector<Perturbation> perturbations;
  std::vector<double> weights;
  for (std::size_t i = 1; i < coalitions.size(); ++i)
    perturbations.push_back(coalitionPerturbation(features, coalitions[i], scorer.plan()));
  for (const Coalition& z : coalitions) weights.push_back(limeWeight(z, width));
  const auto scores = scorer.scores(perturbations, context.control);

  AttributionOutput out;
  out.details["features"] = features.description;
  out.details["feature_count"] = features.count();
  out.details["fit"] = nlohmann::json::array();
  for (std::size_t r = 0; r < context.regions.size(); ++r) {
    std::vector<double> f{scorer.baseScores()[r]};  // the full coalition is the unperturbed input
    for (const auto& row : scores) f.push_back(row[r]);
    const RidgeFit fit = weightedRidge(coalitions, f, weights, alpha);
    out.maps.push_back(featureMap(features, fit.coefficients));
    out.details["fit"].push_back({{"intercept", fit.intercept}, {"weighted_r2", fit.r2}});
  }
  out.passes = scorer.patchPasses();
  return out;
}

}  // namespace voxplain
