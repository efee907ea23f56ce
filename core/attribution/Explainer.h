#pragma once
// Explaining a prediction: the orchestration behind `voxplain-cli explain` and the app's jobs.
// Prediction on the model grid -> target regions -> the method -> one map per modality (and per
// instance) on the study grid, with a record of what was computed (method, parameters, target,
// model SHA-256, timing, device, completeness).

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/AttributionQuality.h"
#include "attribution/CompletenessCheck.h"
#include "attribution/FaithfulnessCurves.h"
#include "attribution/ParameterSet.h"
#include "attribution/ShapleyValues.h"
#include "attribution/Target.h"
#include "model/SegmentationRunner.h"
#include "volume/Study.h"

namespace voxplain {

struct ExplainRequest {
  std::string method;
  ParameterSet params;
  TargetSpec target;
  PredictOptions runtime;
  /// Custom baseline images (one per modality, like the study), or null (attribution/Baseline.h).
  std::shared_ptr<const Study> baseline;
  /// A prediction of the same package on the same study (predict()), or null. When given, class and
  /// instance targets are built from its labels and the model is not run again.
  std::shared_ptr<const Prediction> prediction;
};

struct RegionMaps {
  std::string suffix;               ///< "" for one region, "instance3" per instance
  std::size_t voxels = 0;           ///< target voxels on the model grid
  std::vector<Volume> perModality;  ///< in manifest input order, on the study grid
};

struct Explanation {
  /// The manifest's input names; the names of the study volumes that fed them when the file names
  /// no input (ModelManifest::inputNamesGuessed).
  std::vector<std::string> modalities;
  std::vector<RegionMaps> regions;
  /// On the study grid: region r's voxels hold r + 1 (instances: the instance number), 0 elsewhere.
  LabelVolume regionIds;
  /// On the study grid: the scored class's probability, when the prediction ran (class/instance
  /// targets); empty otherwise.
  Volume probability;
  /// Per region, in `regions` order, from the methods that compute them (else empty).
  std::vector<ShapleyValues> shapley;
  std::vector<CompletenessCheck> completeness;
  nlohmann::json record;  ///< written as attribution.json (the typed results under "details")
};

/// The state that explaining one study needs before any method runs: the model input on the model
/// grid, the prediction and the target regions. Several methods (and faithfulness curves) then run
/// on one prediction — the evaluation suite explains each case with many methods.
class ExplanationSession {
 public:
  /// Predicts (class and instance targets only) and builds the regions of request.target.
  /// Throws InputError (bad target, empty target), OperationCancelled.
  ExplanationSession(ModelPackage& package, const Study& study, const ExplainRequest& request,
                     const TaskControl& control = {});
  ~ExplanationSession();
  ExplanationSession(const ExplanationSession&) = delete;
  ExplanationSession& operator=(const ExplanationSession&) = delete;

  /// Runs `method` with `params` (validated there). Throws InputError, OperationCancelled.
  Explanation explain(const std::string& method, ParameterSet& params, const TaskControl& control = {});
  /// Faithfulness of `maps` (one per modality, study grid, e.g. Explanation::regions[r].perModality)
  /// for target region `region`. Throws std::invalid_argument on a map count or grid mismatch.
  FaithfulnessCurves faithfulness(const std::vector<Volume>& maps, std::size_t region,
                                  const FaithfulnessOptions& options, const TaskControl& control = {});
  /// Attribution quality AQ of seed paper 000 (analysis/AttributionQuality.h) of `maps` (one per
  /// modality, study grid): PP and RE on the normalised model input masked by the maps (one more
  /// forward pass), RFA and EPA over `regions` (QualityRegion codes, study grid). PP is over the
  /// target's label. Throws std::invalid_argument on a count or grid mismatch or without a
  /// prediction (ROI and voxel targets), OperationCancelled.
  AttributionQuality attributionQuality(const std::vector<Volume>& maps, const LabelVolume& regions,
                                        const PeakOptions& peaks = {}, const TaskControl& control = {});
  /// Number of target regions (1, or one per instance).
  std::size_t regionCount() const;
  /// Predicted labels on the study grid (empty for ROI and voxel targets).
  const LabelVolume& predictedLabels() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// One method on one study: ExplanationSession(request).explain(request.method, request.params).
/// Throws InputError (bad method/parameter/target), OperationCancelled.
Explanation explain(ModelPackage& package, const Study& study, ExplainRequest& request,
                    const TaskControl& control = {});

}  // namespace voxplain
