#include "analysis/CaseAggregation.h"

#include <chrono>

#include "attribution/AttributionMethod.h"
#include "task/InputError.h"

namespace voxplain {

nlohmann::json CaseAggregation::toJson() const {
  nlohmann::json j = record;
  j["segment_importance"] = segments.toJson();
  j["modality_importance"] = modalities.toJson();
  j["skipped_targets"] = skippedTargets;
  return j;
}

CaseAggregation aggregateCase(ModelPackage& package, const Study& study, const std::string& method,
                              const ParameterSet& params, const PredictOptions& runtime, bool withShapley,
                              const TaskControl& control, std::shared_ptr<const Prediction> prediction) {
  const auto start = std::chrono::steady_clock::now();
  const MethodInfo& info = findMethod(method);
  const ModelManifest& m = package.manifest();
  std::vector<SegmentInfo> names;
  for (const LabelInfo& l : m.labels) names.push_back({l.value, l.name});
  std::vector<SegmentInfo> targets;
  for (const LabelInfo& l : m.labels)
    if (l.value != 0) targets.push_back({l.value, l.name});

  CaseAggregation out;
  std::vector<TargetClassMaps> maps;
  nlohmann::json resolved;
  const int defaultLabel = m.defaultTargetLabel();
  const double predictShare = prediction ? 0.0 : 0.1;
  if (!prediction)
    prediction = std::make_shared<const Prediction>(predict(package, study, runtime, control.range(0, predictShare)));
  const LabelVolume& predicted = prediction->labels;
  std::vector<bool> present(65536, false);
  for (std::size_t i = 0; i < predicted.voxelCount(); ++i) present[predicted.data()[i]] = true;
  const double share = (1.0 - predictShare) / double(targets.size() + (withShapley ? 1 : 0));
  for (std::size_t t = 0; t < targets.size(); ++t) {
    const TaskControl step = control.range(predictShare + double(t) * share, predictShare + double(t + 1) * share);
    if (targets[t].label < 0 || targets[t].label > 65535 ||
        !present[std::size_t(targets[t].label)]) {  // nothing predicted as this class in this case
      out.skippedTargets.push_back(targets[t].name);
      continue;
    }
    ExplainRequest request;
    request.method = info.name;
    request.params = params;  // a fresh copy per class: each run checks what it reads
    request.target.label = targets[t].label;
    request.runtime = runtime;
    request.prediction = prediction;
    auto session = std::make_unique<ExplanationSession>(package, study, request, step);
    Explanation e = session->explain(request.method, request.params, step);
    resolved = e.record["parameters"];
    if (targets[t].label == defaultLabel || out.modalities.absShare.empty()) {
      out.modalities.modalities = e.modalities;
      out.modalities.method = info.name;
      out.modalities.absShare = absShares(e.regions.front().perModality);
      if (withShapley && targets[t].label == defaultLabel) {
        ParameterSet none;
        const Explanation s = session->explain("modality_shapley", none, control.range(1.0 - share, 1.0));
        const ShapleyValues& phi = s.shapley.front();
        out.modalities.setShapley(phi.values, phi.sum());
      }
    }
    maps.push_back({targets[t], std::move(e.regions.front().perModality)});
    out.modalities.modalities = e.modalities;
  }
  if (maps.empty()) throw InputError(InputField::Model, "", "the model predicts none of its classes in this case");
  out.segments = segmentImportance(predicted, names, out.modalities.modalities, maps);
  out.maps = std::move(maps);
  out.record = {{"model", {{"name", m.name}, {"version", m.version}, {"sha256", package.sha256()}}},
                {"method", info.name},
                {"parameters", resolved},
                {"timing_seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()}};
  return out;
}

}  // namespace voxplain
