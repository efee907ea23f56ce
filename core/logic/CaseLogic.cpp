#include "logic/CaseLogic.h"

#include <torch/cuda.h>

#include <chrono>
#include <stdexcept>

#include "analysis/CaseAggregation.h"
#include "analysis/ModalityImportance.h"
#include "attribution/AttributionMethod.h"
#include "attribution/Explainer.h"
#include "model/ModelPackage.h"
#include "model/Preprocessing.h"
#include "model/SegmentationRunner.h"
#include "report/CaseReport.h"
#include "task/InputError.h"

namespace voxplain {
namespace {
// The record's "parameters" (every parameter with the value used) as typed values.
std::map<std::string, ParameterValue> typedParameters(const nlohmann::json& record) {
  std::map<std::string, ParameterValue> typed;
  const auto resolved = record.find("parameters");
  if (resolved == record.end() || !resolved->is_object()) return typed;
  for (auto it = resolved->begin(); it != resolved->end(); ++it) {
    if (it->is_number_integer())
      typed[it.key()] = it->get<int>();
    else if (it->is_number())
      typed[it.key()] = it->get<double>();
    else
      typed[it.key()] = it->is_string() ? it->get<std::string>() : it->dump();
  }
  return typed;
}

// For each volume of `study` (its order), the model channel it fed, or -1: as
// model/Preprocessing.h orderedInputs fed them.
std::vector<int> channelOfVolume(const Study& study, const ModelManifest& manifest) {
  const std::vector<const Modality*> fed = orderedInputs(study, manifest);
  std::vector<int> channelOf(study.modalities().size(), -1);
  for (std::size_t c = 0; c < fed.size(); ++c) channelOf[std::size_t(fed[c] - study.modalities().data())] = int(c);
  return channelOf;
}

// `byChannel` in the study's volume order; a volume that fed no channel gets absent().
template <class T, class Absent>
std::vector<T> inVolumeOrder(std::vector<T> byChannel, const std::vector<int>& channelOf, Absent absent) {
  bool same = byChannel.size() == channelOf.size();
  for (std::size_t v = 0; same && v < channelOf.size(); ++v) same = channelOf[v] == int(v);
  if (same) return byChannel;
  std::vector<T> out;
  for (int c : channelOf) out.push_back(c >= 0 ? std::move(byChannel[std::size_t(c)]) : absent());
  return out;
}

std::vector<Volume> mapsInVolumeOrder(std::vector<Volume> maps, const std::vector<int>& channelOf, const Study& study) {
  return inVolumeOrder(std::move(maps), channelOf, [&] { return Volume(study.referenceGrid()); });
}

std::vector<double> sharesInVolumeOrder(std::vector<double> shares, const std::vector<int>& channelOf) {
  return inVolumeOrder(std::move(shares), channelOf, [] { return 0.0; });
}

std::vector<std::string> volumeNames(const Study& study) {
  std::vector<std::string> names;
  for (const Modality& m : study.modalities()) names.push_back(m.name);
  return names;
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
}  // namespace

struct CaseLogic::State {
  std::unique_ptr<ModelPackage> package;
  std::shared_ptr<const Prediction> prediction;  ///< the last prediction
  std::shared_ptr<const Study> predictionStudy;  ///< what it was made for
  std::shared_ptr<const LabelVolume> labels;     ///< its labels, shared by every result

  ModelPackage& model() const {
    if (!package) throw InputError("model", "open a model first");
    return *package;
  }
  void forgetPrediction() {
    prediction.reset();
    predictionStudy.reset();
    labels.reset();
  }
  std::shared_ptr<const Prediction> predictionFor(const std::shared_ptr<const Study>& study,
                                                  const PredictOptions& options, const TaskControl& control) {
    if (prediction && predictionStudy == study) return prediction;
    prediction = std::make_shared<const Prediction>(voxplain::predict(model(), *study, options, control));
    predictionStudy = study;
    labels = std::make_shared<const LabelVolume>(prediction->labels);
    return prediction;
  }
};

CaseLogic::CaseLogic() : state_(std::make_unique<State>()) {}
CaseLogic::~CaseLogic() = default;

ModelDescription CaseLogic::openModel(const std::filesystem::path& path, const NnunetChoice& nnunet) {
  auto package = std::make_unique<ModelPackage>(ModelPackage::open(path, {}, true, nnunet));
  ModelDescription d;
  d.path = path;
  d.manifest = package->manifest();
  d.devices = {"auto", "cpu"};
  if (torch::cuda::is_available())
    for (std::size_t i = 0; i < torch::cuda::device_count(); ++i) d.devices.push_back("cuda:" + std::to_string(i));
  // Layers and channel counts from one small dry run (the window the model was traced at, if any).
  try {
    const auto& w = package->dryRunWindow();
    const int edge = w[0] > 0 ? int(w[0]) : 32;
    for (const SubmoduleInfo& l :
         package->describeSubmodules({edge, w[1] > 0 ? int(w[1]) : edge, w[2] > 0 ? int(w[2]) : edge}))
      d.layers.push_back({l.name, l.type, l.outputShape.size() >= 2 ? int(l.outputShape[1]) : 0});
  } catch (const std::exception& e) {
    d.layersError = e.what();
  }
  adoptModel(std::move(package));
  return d;
}

void CaseLogic::adoptModel(std::unique_ptr<ModelPackage> package) {
  state_->package = std::move(package);
  state_->forgetPrediction();
}

bool CaseLogic::hasModel() const {
  return state_->package != nullptr;
}

const ModelManifest& CaseLogic::manifest() const {
  if (!state_->package) throw std::logic_error("CaseLogic::manifest: no model is open");
  return state_->package->manifest();
}

bool CaseLogic::nameInputs(const std::vector<std::string>& names) {
  ModelPackage& package = state_->model();
  std::vector<std::string> before;
  for (const ModelInput& in : package.manifest().inputs) before.push_back(in.name);
  if (before == names) return false;
  package.nameInputs(names);
  state_->forgetPrediction();  // made with the inputs fed in another order
  return true;
}

bool CaseLogic::hasPredictionFor(const std::shared_ptr<const Study>& study) const {
  return state_->prediction && state_->predictionStudy == study;
}

PredictionSummary CaseLogic::predict(const std::shared_ptr<const Study>& study, const PredictOptions& runtime,
                                     bool again, const TaskControl& control) {
  if (!study) throw InputError("study", "open a study first");
  state_->model();
  PredictionSummary s;
  if (again) state_->forgetPrediction();
  const std::shared_ptr<const Prediction> p = state_->predictionFor(study, runtime, control);
  s.labels = state_->labels;
  s.device = p->device;
  s.seconds = p->totalSeconds;
  for (std::size_t i = 0; i < p->labels.voxelCount(); ++i) s.labelledVoxels += p->labels.data()[i] != 0;
  return s;
}

CaseExplanation CaseLogic::explain(const std::shared_ptr<const Study>& study, const CaseExplainRequest& request,
                                   const TaskControl& control) {
  if (!study) throw InputError("study", "open a study first");
  ModelPackage& package = state_->model();
  const MethodInfo& info = findMethod(request.method);
  checkParameters(info, request.parameters);
  const double predictShare = hasPredictionFor(study) ? 0.0 : 0.3;
  const std::shared_ptr<const Prediction> prediction =
      state_->predictionFor(study, request.runtime, control.range(0.0, predictShare));
  ExplainRequest explain;
  explain.method = info.name;
  explain.params = request.parameters;
  explain.target = request.target;
  const bool instances = request.target.kind == TargetSpec::Kind::AllInstances;
  explain.runtime = request.runtime;
  explain.prediction = prediction;
  const TaskControl methodControl = control.range(predictShare, 0.95);
  ExplanationSession session(package, *study, explain, methodControl.range(0.0, 0.05));
  const auto start = std::chrono::steady_clock::now();
  Explanation e = session.explain(info.name, explain.params, methodControl.range(0.05, 1.0));
  explain.params.rejectUnused(info.name);

  control.step(0.96, "charts");
  CaseExplanation r;
  r.method = info.name;
  r.methodLabel = info.label;
  r.target = explain.target.describe();
  r.record = e.record;
  r.parameters = typedParameters(r.record);
  r.device = e.record.value("device", std::string());
  r.seconds = secondsSince(start);
  const std::vector<int> channelOf = channelOfVolume(*study, package.manifest());
  r.volumes = volumeNames(*study);
  r.predictedLabels = state_->labels;
  const std::vector<Volume>& maps = e.regions.front().perModality;
  r.modalityShares = sharesInVolumeOrder(absShares(maps), channelOf);
  std::vector<SegmentInfo> segments;
  for (const LabelInfo& l : package.manifest().labels) segments.push_back({l.value, l.name});
  SegmentInfo target{request.target.label, ""};
  for (const SegmentInfo& s : segments)
    if (s.label == request.target.label) target = s;
  r.segments = segmentImportance(prediction->labels, segments, e.modalities, {{target, maps}});
  if (instances) {
    std::vector<std::vector<Volume>> all;
    std::size_t largest = 0;
    for (std::size_t i = 0; i < e.regions.size(); ++i) {
      all.push_back(std::move(e.regions[i].perModality));  // `maps` is not read after this
      if (e.regions[i].voxels > e.regions[largest].voxels) largest = i;
    }
    control.step(0.98, "instance statistics");
    // The statistics of the model's inputs (a volume that fed none has no column); then each
    // instance's maps in the study's order.
    r.instances = instanceStatistics(e.regionIds, &e.probability, all, e.modalities, request.reference.get(),
                                     request.instanceOptions);
    for (std::vector<Volume>& instanceMaps : all)
      instanceMaps = mapsInVolumeOrder(std::move(instanceMaps), channelOf, *study);
    r.maps = all[largest];
    r.instanceMaps = std::move(all);
  } else {
    r.maps = mapsInVolumeOrder(std::move(e.regions.front().perModality), channelOf, *study);
  }
  control.step(1.0, "done");
  return r;
}

void CaseLogic::checkReportFolder(const CaseAnalysisRequest& request) {
  if (!request.reportFolder.empty())
    voxplain::checkReportFolder(request.reportFolder, request.replaceReport ? Overwrite::Allow : Overwrite::Refuse);
}

CaseExplanation CaseLogic::analyse(const std::shared_ptr<const Study>& study, const CaseAnalysisRequest& request,
                                   const TaskControl& control) {
  if (!study) throw InputError("study", "open a study first");
  ModelPackage& package = state_->model();
  const MethodInfo& info = findMethod(request.method);
  const bool report = !request.reportFolder.empty();
  const Overwrite overwrite = request.replaceReport ? Overwrite::Allow : Overwrite::Refuse;
  checkReportFolder(request);
  const double predictShare = hasPredictionFor(study) ? 0.0 : 0.3;
  const std::shared_ptr<const Prediction> prediction =
      state_->predictionFor(study, request.runtime, control.range(0.0, predictShare));
  const TaskControl rest = control.range(predictShare, 1.0);
  const auto start = std::chrono::steady_clock::now();
  CaseAggregation a = aggregateCase(package, *study, info.name, request.parameters, request.runtime, true,
                                    rest.range(0.0, report ? 0.9 : 0.98), prediction);
  CaseExplanation r;
  if (report) {
    CaseReportInput input;
    input.package = &package;
    input.inputs = request.inputs;
    input.study = study.get();
    input.prediction = prediction.get();
    input.aggregation = &a;
    input.softwareVersion = request.dicom.softwareVersion;
    const CaseReportFiles files =
        writeCaseReport(request.reportFolder, input, request.dicom, overwrite, rest.range(0.9, 0.98));
    r.reportFiles = files.files;
    r.reportSvgFigures = files.svgFigures;
    r.reportNotes = files.notes;
  }
  r.method = info.name;
  r.methodLabel = info.label;
  r.target = "every predicted class";
  r.record = a.record;
  r.parameters = typedParameters(r.record);
  r.device = prediction->device;
  r.seconds = secondsSince(start);
  const std::vector<int> channelOf = channelOfVolume(*study, package.manifest());
  r.volumes = volumeNames(*study);
  r.modalityShares = sharesInVolumeOrder(a.modalities.absShare, channelOf);
  if (!a.modalities.shapleyShare.empty()) r.shapleyShares = sharesInVolumeOrder(a.modalities.shapleyShare, channelOf);
  r.predictedLabels = state_->labels;
  // The maps returned: the requested class when it was explained, else the first class.
  const TargetClassMaps* shown = &a.maps.front();
  for (const TargetClassMaps& t : a.maps)
    if (t.target.label == request.shownLabel) shown = &t;
  r.maps = mapsInVolumeOrder(shown->perModality, channelOf, *study);
  r.segments = std::move(a.segments);
  return r;
}

}  // namespace voxplain
