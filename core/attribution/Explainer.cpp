#include "attribution/Explainer.h"

#include <chrono>

#include "attribution/AttributionMethod.h"
#include "model/Preprocessing.h"
#include "task/InputError.h"
#include "volume/Resampler.h"

namespace voxplain {

Explanation explain(ModelPackage& package, const Study& study, ExplainRequest& request, const TaskControl& control) {
  const auto start = std::chrono::steady_clock::now();
  const MethodInfo& info = findMethod(request.method);
  const ModelManifest& m = package.manifest();
  const int channel = m.channelOfLabel(request.target.label);
  if (channel < 0) throw InputError("--target", "the model has no label " + std::to_string(request.target.label));

  const Geometry grid = modelGrid(study.referenceGrid(), m);
  const bool resampled = !compareGeometry(grid, study.referenceGrid()).sameGrid();
  const torch::Tensor input = modelInputTensor(study, m, grid, control);

  // The prediction that defines class/instance targets (one forward pass per patch); ROI and
  // voxel targets do not need it (a 512x512x300 ROI explanation then runs only the ROI's patches).
  Prediction forwardInfo;
  LabelVolume predicted(grid);
  Volume probability;
  const TargetSpec::Kind kind = request.target.kind;
  if (kind == TargetSpec::Kind::Class || kind == TargetSpec::Kind::Instance || kind == TargetSpec::Kind::AllInstances) {
    const torch::Tensor logits = predictLogits(package, input, request.runtime, control, &forwardInfo)[0];
    const bool sigmoid = m.activation == "sigmoid";
    const torch::Tensor p1 = sigmoid ? torch::sigmoid(logits[channel]) : torch::softmax(logits, 0)[channel];
    const torch::Tensor labelIndex = sigmoid ? (p1 >= 0.5).to(torch::kLong) * channel : logits.argmax(0);
    probability = volumeFromTensor(p1, grid);
    const torch::Tensor zyx = labelIndex.permute({2, 1, 0}).contiguous().to(torch::kLong);
    const std::int64_t* p = zyx.data_ptr<std::int64_t>();
    for (std::size_t i = 0; i < predicted.voxelCount(); ++i)
      predicted.data()[i] = std::uint16_t(p[i] < std::int64_t(m.labels.size()) ? m.labels[std::size_t(p[i])].value : p[i]);
  }
  const std::vector<TargetRegion> regions = targetRegions(request.target, predicted, study.referenceGrid());

  AttributionContext context{package, input, regions};
  context.channel = channel;
  context.probability = request.target.probability;
  for (int d = 0; d < 3; ++d) context.window.patch[d] = m.patchSize[d];
  context.window.overlap = m.overlap;
  context.window.gaussian = m.blend == "gaussian";
  context.window.sigmaScale = m.gaussianSigmaScale;
  context.window.batchSize = request.runtime.batchSize > 0 ? request.runtime.batchSize : m.batchSize;
  context.device = resolveDevice(request.runtime.device);
  context.control = control;
  if (request.baseline) context.customBaseline = modelInputTensor(*request.baseline, m, grid, control);
  if (package.device() != context.device) package.to(context.device);
  const auto methodStart = std::chrono::steady_clock::now();
  AttributionOutput output = info.create()->run(context, request.params);
  const double methodSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - methodStart).count();

  Explanation result;
  for (const ModelInput& in : m.inputs) result.modalities.push_back(in.name);
  {
    LabelVolume ids(grid);
    for (std::size_t r = 0; r < regions.size(); ++r)
      for (std::size_t i = 0; i < regions[r].weights.size(); ++i)
        if (regions[r].weights[i] != 0.0f) ids.data()[i] = std::uint16_t(std::min<std::size_t>(r + 1, 65535));
    result.regionIds = resampled ? resampleNearest(ids, study.referenceGrid(), 0, control) : std::move(ids);
    if (probability.voxelCount() > 0)
      result.probability = resampled ? resampleLinear(probability, study.referenceGrid(), 0.0f, control) : std::move(probability);
  }
  for (std::size_t r = 0; r < regions.size(); ++r) {
    RegionMaps maps;
    maps.suffix = regions[r].suffix;
    maps.voxels = regions[r].voxels;
    for (std::size_t c = 0; c < m.inputs.size(); ++c) {
      Volume v = volumeFromTensor(output.maps[r][std::int64_t(c)], grid);
      maps.perModality.push_back(resampled ? resampleLinear(v, study.referenceGrid(), 0.0f, control) : std::move(v));
    }
    result.regions.push_back(std::move(maps));
  }
  nlohmann::json& rec = result.record;
  rec["method"] = info.name;
  rec["method_label"] = info.label;
  rec["family"] = info.family;
  rec["parameters"] = request.params.resolved();
  rec["target"] = {{"spec", request.target.describe()}, {"label", request.target.label}, {"channel", channel},
                   {"score", request.target.probability ? "probability" : "logit"}};
  rec["regions"] = nlohmann::json::array();
  for (const RegionMaps& r : result.regions) rec["regions"].push_back({{"name", r.suffix.empty() ? "target" : r.suffix}, {"voxels", r.voxels}});
  rec["model"] = {{"name", m.name}, {"version", m.version}, {"sha256", package.sha256()}};
  rec["modalities"] = result.modalities;
  rec["details"] = output.details;
  rec["patch_passes"] = output.passes;
  rec["device"] = context.device.str();
  rec["timing_seconds"] = {{"method", methodSeconds},
                           {"prediction", forwardInfo.seconds},
                           {"total", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()}};
  rec["model_grid"] = {{"size", grid.size}, {"spacing", grid.spacing}, {"resampled", resampled}};
  return result;
}

}  // namespace voxplain
