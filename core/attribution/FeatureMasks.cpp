#include "attribution/FeatureMasks.h"

#include "analysis/Supervoxels.h"
#include "task/InputError.h"

namespace voxplain {

FeatureSet featuresFrom(ParameterSet& params, const AttributionContext& context) {
  const torch::Tensor& x = context.input;
  FeatureSet f;
  f.modalities = int(x.size(1));
  const std::array<std::int64_t, 3> size{x.size(2), x.size(3), x.size(4)};
  const std::string kind = params.choice("features", "supervoxels", {"supervoxels", "modalities"});
  if (kind == "modalities") {
    f.supervoxel = torch::zeros({size[0], size[1], size[2]}, torch::kInt64);
    f.description = "whole modalities";
    return f;
  }
  const int count = params.integer("supervoxels", 32, 1, 100000);
  const double compactness = params.number("compactness", 0.3, 1e-3, 100.0);
  const auto& inputs = context.package.manifest().inputs;
  std::string reference = params.text("reference", inputs.empty() ? "" : inputs.front().name);
  std::int64_t channel = -1;
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].name == reference) channel = std::int64_t(i);
  if (channel < 0)
    throw InputError(InputField::Parameter, "reference=" + reference, "the model has no input with this name");
  // SLIC wants x fastest: the [X, Y, Z] tensor permuted to Z, Y, X memory order.
  const torch::Tensor image = x[0][channel].permute({2, 1, 0}).contiguous().to(torch::kFloat32);
  const std::vector<float> values(image.data_ptr<float>(), image.data_ptr<float>() + image.numel());
  const Supervoxels s =
      slicSupervoxels(values, {std::size_t(size[0]), std::size_t(size[1]), std::size_t(size[2])}, count, compactness);
  f.supervoxel =
      torch::from_blob(const_cast<std::int32_t*>(s.labels.data()), {size[2], size[1], size[0]}, torch::kInt32)
          .permute({2, 1, 0})
          .to(torch::kInt64)
          .contiguous();
  f.perModality = s.count;
  f.description =
      std::to_string(s.count) + " supervoxels of " + reference + " x " + std::to_string(f.modalities) + " modalities";
  return f;
}

Perturbation coalitionPerturbation(const FeatureSet& features, const Coalition& z, const PatchPlan& plan) {
  Perturbation p;
  p.hi = {features.supervoxel.size(0), features.supervoxel.size(1), features.supervoxel.size(2)};
  torch::Tensor table = torch::empty({features.modalities, features.perModality});
  for (int c = 0; c < features.modalities; ++c)
    for (int k = 0; k < features.perModality; ++k) table[c][k] = float(z[std::size_t(c * features.perModality + k)]);
  const torch::Tensor padded = plan.pad(features.supervoxel);
  // Gathered over the whole padded volume once per coalition (the scorer then takes each patch's
  // region on the device), not once per patch.
  p.paddedKeep = [table, padded]() {
    std::vector<torch::Tensor> channels;
    for (std::int64_t c = 0; c < table.size(0); ++c) channels.push_back(table[c].index({padded}));
    return torch::stack(channels, 0);
  };
  return p;
}

torch::Tensor featureMap(const FeatureSet& features, const std::vector<double>& values) {
  torch::Tensor table =
      torch::tensor(values, torch::kFloat64).to(torch::kFloat32).view({features.modalities, features.perModality});
  std::vector<torch::Tensor> channels;
  for (int c = 0; c < features.modalities; ++c) channels.push_back(table[c].index({features.supervoxel}));
  return torch::stack(channels, 0);
}

}  // namespace voxplain
