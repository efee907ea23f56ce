#include "attribution/Explainer.h"

#include <chrono>
#include <stdexcept>

#include "attribution/AttributionMethod.h"
#include "model/InferenceWindow.h"
#include "model/PredictedLabels.h"
#include "model/Preprocessing.h"
#include "task/InputError.h"
#include "volume/Resampler.h"

namespace voxplain {

struct ExplanationSession::State {
  ModelPackage& package;
  const Study& study;
  TargetSpec target;
  PredictOptions runtime;
  Geometry grid;
  bool resampled = false;
  torch::Tensor input, customBaseline;
  Prediction forwardInfo;
  LabelVolume predictedModel;  // on the model grid (class and instance targets)
  LabelVolume predictedStudy;  // on the study grid
  Volume probability;          // model grid
  std::vector<TargetRegion> regions;
  int channel = 1;
  LabelVolume regionIds;   // study grid
  InferenceWindow window;  // the model's window on this input; batches chosen per method
  bool gradientBatchChosen = false;

  // Maps on the study grid (one per modality) brought to the model grid. Throws
  // std::invalid_argument naming `what` on a count or grid mismatch.
  std::vector<Volume> onModelGrid(const std::vector<Volume>& maps, const char* what, const TaskControl& control) const;

  AttributionContext context(const TaskControl& control, bool gradients) {
    AttributionContext c{package, input, regions};
    c.channel = channel;
    c.probability = target.probability;
    c.device = resolveDevice(runtime.device);
    if (package.device() != c.device) package.to(c.device);
    if (gradients && !gradientBatchChosen) {
      chooseBatch(window, package, c.device, runtime.precision, runtime.batchSize, PassKind::ForwardBackward, control);
      gradientBatchChosen = true;
    }
    c.window = window.options;
    c.control = control;
    c.customBaseline = customBaseline;
    return c;
  }
};

ExplanationSession::ExplanationSession(ModelPackage& package, const Study& study, const ExplainRequest& request,
                                       const TaskControl& control)
    : state_(new State{package, study, request.target, request.runtime}) {
  State& s = *state_;
  const ModelManifest& m = package.manifest();
  s.channel = m.channelOfLabel(request.target.label);
  if (s.channel < 0)
    throw InputError(InputField::Target, "", "the model has no label " + std::to_string(request.target.label));

  s.grid = runGrid(study, m);
  s.resampled = !compareGeometry(s.grid, study.referenceGrid()).sameGrid();
  s.input = modelInputTensor(study, m, s.grid, control);
  s.window = prepareInference(package, s.input, request.runtime, control);

  // The prediction that defines class/instance targets (one forward pass per patch); ROI and
  // voxel targets do not need it (a 512x512x300 ROI explanation then runs only the ROI's patches).
  LabelVolume predicted(s.grid);
  const TargetSpec::Kind kind = request.target.kind;
  if (kind == TargetSpec::Kind::Class || kind == TargetSpec::Kind::Instance || kind == TargetSpec::Kind::AllInstances) {
    torch::Tensor logits;
    const Prediction* given = request.prediction.get();
    if (given && given->modelLogits.defined()) {
      if (given->modelSha256 != package.sha256() || !compareGeometry(given->modelGrid, s.grid).sameGrid())
        throw std::invalid_argument("ExplainRequest::prediction was made by another model or on another study");
      logits = given->modelLogits;
      predicted = given->modelLabels;
      s.predictedStudy = given->labels;
      s.forwardInfo.device = given->device;
      s.forwardInfo.batchSize = given->batchSize;
      s.forwardInfo.seconds = 0.0;
      s.forwardInfo.notes.push_back("prediction reused (made in " + std::to_string(given->seconds) + " s)");
    } else {
      logits = predictLogits(package, s.input, request.runtime, control, &s.forwardInfo)[0];
      predicted = labelsFromLogits(logits, m, s.grid);
      s.predictedStudy = s.resampled ? resampleNearest(predicted, study.referenceGrid(), 0, control) : predicted;
    }
    const torch::Tensor channelLogits = logits[s.channel];
    s.probability = volumeFromTensor(
        m.activation == "sigmoid" ? torch::sigmoid(channelLogits) : torch::softmax(logits, 0)[s.channel], s.grid);
  }
  s.regions = targetRegions(request.target, predicted, study.referenceGrid());
  s.predictedModel = std::move(predicted);
  if (request.baseline) s.customBaseline = modelInputTensor(*request.baseline, m, s.grid, control);

  LabelVolume ids(s.grid);
  for (std::size_t r = 0; r < s.regions.size(); ++r)
    for (std::size_t i = 0; i < s.regions[r].weights.size(); ++i)
      if (s.regions[r].weights[i] != 0.0f) ids.data()[i] = std::uint16_t(std::min<std::size_t>(r + 1, 65535));
  s.regionIds = s.resampled ? resampleNearest(ids, study.referenceGrid(), 0, control) : std::move(ids);
}

ExplanationSession::~ExplanationSession() = default;

std::size_t ExplanationSession::regionCount() const {
  return state_->regions.size();
}

const LabelVolume& ExplanationSession::predictedLabels() const {
  return state_->predictedStudy;
}

Explanation ExplanationSession::explain(const std::string& method, ParameterSet& params, const TaskControl& control) {
  State& s = *state_;
  const auto start = std::chrono::steady_clock::now();
  const MethodInfo& info = findMethod(method);
  const ModelManifest& m = s.package.manifest();
  AttributionContext context = s.context(control, !info.forwardOnly);
  AttributionOutput output = info.create()->run(context, params);
  const double methodSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  Explanation result;
  if (m.inputNamesGuessed)  // placeholders: the maps carry the names of the volumes that fed them
    for (const Modality* fed : orderedInputs(s.study, m)) result.modalities.push_back(fed->name);
  else
    for (const ModelInput& in : m.inputs) result.modalities.push_back(in.name);
  result.regionIds = s.regionIds;
  if (s.probability.voxelCount() > 0)
    result.probability =
        s.resampled ? resampleLinear(s.probability, s.study.referenceGrid(), 0.0f, control) : s.probability;
  for (std::size_t r = 0; r < s.regions.size(); ++r) {
    RegionMaps maps;
    maps.suffix = s.regions[r].suffix;
    maps.voxels = s.regions[r].voxels;
    for (std::size_t c = 0; c < m.inputs.size(); ++c) {
      Volume v = volumeFromTensor(output.maps[r][std::int64_t(c)], s.grid);
      maps.perModality.push_back(s.resampled ? resampleLinear(v, s.study.referenceGrid(), 0.0f, control)
                                             : std::move(v));
    }
    result.regions.push_back(std::move(maps));
  }
  nlohmann::json& rec = result.record;
  rec["method"] = info.name;
  rec["method_label"] = info.label;
  rec["family"] = info.family;
  rec["parameters"] = params.resolved();
  rec["target"] = {{"spec", s.target.describe()},
                   {"label", s.target.label},
                   {"channel", s.channel},
                   {"score", s.target.probability ? "probability" : "logit"}};
  rec["regions"] = nlohmann::json::array();
  for (const RegionMaps& r : result.regions)
    rec["regions"].push_back({{"name", r.suffix.empty() ? "target" : r.suffix}, {"voxels", r.voxels}});
  rec["model"] = {{"name", m.name}, {"version", m.version}, {"sha256", s.package.sha256()}};
  rec["modalities"] = result.modalities;
  rec["details"] = output.details;
  result.shapley = output.shapley;
  result.completeness = output.completeness;
  if (!result.shapley.empty()) {
    rec["details"]["shapley"] = nlohmann::json::array();
    for (const ShapleyValues& v : result.shapley) rec["details"]["shapley"].push_back(v.toJson());
  }
  if (!result.completeness.empty()) {
    rec["details"]["completeness"] = nlohmann::json::array();
    for (const CompletenessCheck& c : result.completeness) rec["details"]["completeness"].push_back(c.toJson());
  }
  rec["patch_passes"] = output.passes;
  rec["device"] = context.device.str();
  rec["timing_seconds"] = {{"method", methodSeconds},
                           {"prediction", s.forwardInfo.seconds},
                           {"total", methodSeconds + s.forwardInfo.seconds}};
  rec["model_grid"] = {{"size", s.grid.size}, {"spacing", s.grid.spacing}, {"resampled", s.resampled}};
  rec["window"] = {{"patch", context.window.patch},
                   {"forward_batch", context.window.forwardBatch.size},
                   {"gradient_batch", context.window.gradientBatch.size},
                   {"padded_to", std::max(context.window.forwardBatch.minimum, context.window.gradientBatch.minimum)},
                   // Rows a single patch's gradient pass runs with (min(minimum, batch), PassBatch::rowsFor).
                   {"gradient_rows_of_one", context.window.gradientBatch.rowsFor(1)}};
  rec["notes"] = s.window.notes;
  return result;
}

std::vector<Volume> ExplanationSession::State::onModelGrid(const std::vector<Volume>& maps, const char* what,
                                                           const TaskControl& control) const {
  if (maps.size() != package.manifest().inputs.size())
    throw std::invalid_argument(std::string(what) + ": one map per modality expected");
  std::vector<Volume> out;
  for (const Volume& v : maps) {
    if (!compareGeometry(v.geometry(), study.referenceGrid()).sameGrid())
      throw std::invalid_argument(std::string(what) + ": a map is not on the study's grid");
    out.push_back(resampled ? resampleLinear(v, grid, 0.0f, control) : v);
  }
  return out;
}

FaithfulnessCurves ExplanationSession::faithfulness(const std::vector<Volume>& maps, std::size_t region,
                                                    const FaithfulnessOptions& options, const TaskControl& control) {
  State& s = *state_;
  if (region >= s.regions.size())
    throw std::invalid_argument("faithfulness: no target region " + std::to_string(region));
  std::vector<torch::Tensor> channels;
  for (const Volume& v : s.onModelGrid(maps, "faithfulness", control)) channels.push_back(tensorFromVolume(v));
  AttributionContext context = s.context(control, false);
  return faithfulnessCurves(context, torch::stack(channels), region, options);
}

AttributionQuality ExplanationSession::attributionQuality(const std::vector<Volume>& maps, const LabelVolume& regions,
                                                          const PeakOptions& peaks, const TaskControl& control) {
  State& s = *state_;
  if (s.target.kind == TargetSpec::Kind::Roi || s.target.kind == TargetSpec::Kind::Voxel)
    throw std::invalid_argument("attribution quality needs a class or instance target (a prediction to preserve)");
  if (!compareGeometry(regions.geometry(), s.study.referenceGrid()).sameGrid())
    throw std::invalid_argument("attribution quality: the region labels are not on the study's grid");
  // PP and RE on the normalised model input, which the paper masks (its network input).
  const std::vector<Volume> unit = unitAttributionMask(s.onModelGrid(maps, "attribution quality", control));
  std::vector<Volume> input;
  std::vector<torch::Tensor> masks;
  for (std::size_t c = 0; c < unit.size(); ++c) {
    input.push_back(volumeFromTensor(s.input[0][std::int64_t(c)], s.grid));
    masks.push_back(tensorFromVolume(unit[c]));
  }
  const torch::Tensor masked = s.input * torch::stack(masks).unsqueeze(0);
  const torch::Tensor logits = predictLogits(s.package, masked, s.runtime, control)[0];
  const LabelVolume maskedLabels = labelsFromLogits(logits, s.package.manifest(), s.grid);

  AttributionQuality q;
  q.predictionPreserved = predictionPreserved(s.predictedModel, maskedLabels, std::uint16_t(s.target.label));
  q.relativeEntropy = relativeEntropy(input, unit);
  q.localisation = peakLocalisation(combinedUnitMask(s.resampled ? unitAttributionMask(maps) : unit), regions, peaks);
  q.score =
      attributionQualityScore(q.predictionPreserved, q.relativeEntropy, q.localisation.relativeForegroundAttribution,
                              q.localisation.externalPeakAttribution);
  return q;
}

Explanation explain(ModelPackage& package, const Study& study, ExplainRequest& request, const TaskControl& control) {
  const auto start = std::chrono::steady_clock::now();
  findMethod(request.method);
  ExplanationSession session(package, study, request, control);
  Explanation e = session.explain(request.method, request.params, control);
  e.record["timing_seconds"]["total"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return e;
}

}  // namespace voxplain
