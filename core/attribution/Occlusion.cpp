// 3D occlusion (Zeiler & Fergus 2014, in 3D as in MONAI's OcclusionSensitivity): a block of
// block^3 voxels slides with `stride` over the volume; each position replaces the block by the
// baseline - in one modality at a time ("modalities=separate", a map per modality) or in all at
// once ("joint") - and the score drop S(x) - S(x occluded) is spread over the block's voxels,
// averaged where blocks overlap. Positive = the block supports the target.
// Cost: one forward per (block position, modality, patch touched by the block); blocks far from
// the target's patches cost nothing, and the occluded patches are written in place on the model's
// device (PerturbationScorer).
#include "attribution/Baseline.h"
#include "attribution/PerturbationMethods.h"
#include "attribution/PerturbationScorer.h"

namespace voxplain {

std::vector<std::int64_t> blockStarts(std::int64_t size, std::int64_t block, std::int64_t stride) {
  if (block >= size) return {0};
  std::vector<std::int64_t> starts;
  for (std::int64_t s = 0; s + block < size; s += stride) starts.push_back(s);
  starts.push_back(size - block);
  return starts;
}

AttributionOutput OcclusionMethod::run(AttributionContext& context, ParameterSet& params) {
  const int block = params.integer("block", 16, 1, 512);
  const int stride = params.integer("stride", block, 1, 512);
  const bool separate = params.choice("modalities", "separate", {"separate", "joint"}) == "separate";
  const torch::Tensor& x = context.input;
  const torch::Tensor baseline = baselineFrom(params, context);
  params.rejectUnused("occlusion");
  const std::int64_t channels = x.size(1);
  const std::array<std::int64_t, 3> size{x.size(2), x.size(3), x.size(4)};
  std::array<std::vector<std::int64_t>, 3> starts;
  for (int d = 0; d < 3; ++d) starts[std::size_t(d)] = blockStarts(size[std::size_t(d)], block, stride);

  PerturbationScorer scorer(context, baseline);
  std::vector<Perturbation> perturbations;
  for (std::int64_t a : starts[0])
    for (std::int64_t b : starts[1])
      for (std::int64_t c : starts[2])
        for (std::int64_t ch = separate ? 0 : -1; ch < (separate ? channels : 0); ++ch) {
          const std::array<std::int64_t, 3> lo{a, b, c};
          std::array<std::int64_t, 3> hi{};
          for (std::size_t d = 0; d < 3; ++d) hi[d] = std::min(lo[d] + block, size[d]);
          perturbations.push_back(boxPerturbation(lo, hi, ch));
        }
  const auto scores = scorer.scores(perturbations, context.control);

  AttributionOutput out;
  const std::size_t regions = context.regions.size();
  torch::Tensor count = torch::zeros({channels, size[0], size[1], size[2]});
  for (std::size_t r = 0; r < regions; ++r) out.maps.push_back(torch::zeros_like(count));
  for (std::size_t i = 0; i < perturbations.size(); ++i) {
    const auto& lo = perturbations[i].lo;
    const auto& hi = perturbations[i].hi;
    auto box = [&](const torch::Tensor& t) {
      torch::Tensor b = t.slice(1, lo[0], hi[0]).slice(2, lo[1], hi[1]).slice(3, lo[2], hi[2]);
      return perturbations[i].boxChannel >= 0 ? b.select(0, perturbations[i].boxChannel) : b;
    };
    box(count) += 1.0;
    for (std::size_t r = 0; r < regions; ++r) box(out.maps[r]) += scorer.baseScores()[r] - scores[i][r];
  }
  for (torch::Tensor& m : out.maps) m /= count.clamp_min(1.0);
  out.passes = scorer.patchPasses();
  out.details["block_positions"] = perturbations.size() / std::size_t(separate ? channels : 1);
  out.details["perturbations"] = perturbations.size();
  out.details["score"] = scorer.baseScores();
  return out;
}

}  // namespace voxplain
