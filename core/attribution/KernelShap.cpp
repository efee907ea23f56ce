// Kernel SHAP (Lundberg & Lee 2017) over supervoxels x modalities or whole modalities
// (attribution/FeatureMasks.h): coalitions of features keep their voxels, the others take the
// baseline; the Shapley-kernel regression (attribution/LinearSurrogate.h) gives each feature's
// value, written to every voxel of the feature. Exact when 2^M - 2 <= samples (then every coalition
// is evaluated); the efficiency sum_j phi_j = S(x) - S(baseline) holds by construction.
#include "attribution/Baseline.h"
#include "attribution/FeatureMasks.h"
#include "attribution/PerturbationMethods.h"

namespace voxplain {

AttributionOutput KernelShapMethod::run(AttributionContext& context, ParameterSet& params) {
  const FeatureSet features = featuresFrom(params, context);
  const int samples = params.integer("samples", 256, 2, 1000000);
  const int seed = params.integer("seed", 0, 0, 1 << 30);
  const torch::Tensor baseline = baselineFrom(params, context);
  params.rejectUnused("kernel_shap");
  PerturbationScorer scorer(context, baseline);
  const CoalitionSample sample = shapleyCoalitions(features.count(), samples, std::uint64_t(seed));
  std::vector<Perturbation> perturbations{
      coalitionPerturbation(features, Coalition(std::size_t(features.count()), 0), scorer.plan())};
  for (const Coalition& z : sample.coalitions)
    perturbations.push_back(coalitionPerturbation(features, z, scorer.plan()));
  const auto scores = scorer.scores(perturbations, context.control);

  AttributionOutput out;
  out.details["features"] = features.description;
  out.details["feature_count"] = features.count();
  out.details["coalitions"] = sample.coalitions.size();
  out.details["exact"] = sample.exact;
  for (std::size_t r = 0; r < context.regions.size(); ++r) {
    std::vector<double> f;
    for (std::size_t i = 1; i < scores.size(); ++i) f.push_back(scores[i][r]);
    const std::vector<double> phi = kernelShapValues(sample, f, scores[0][r], scorer.baseScores()[r]);
    out.maps.push_back(featureMap(features, phi));
    out.shapley.push_back(
        {features.perModality == 1 ? phi : std::vector<double>{}, scorer.baseScores()[r], scores[0][r]});
  }
  out.passes = scorer.patchPasses();
  return out;
}

}  // namespace voxplain
