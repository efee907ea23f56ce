#pragma once
// Explaining a prediction: the orchestration behind `voxplain-cli explain` and the app's jobs.
// Prediction on the model grid -> target regions -> the method -> one map per modality (and per
// instance) on the study grid, with a record of what was computed (method, parameters, target,
// model SHA-256, timing, device, completeness).

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "attribution/ParameterSet.h"
#include "attribution/Target.h"
#include "model/SegmentationRunner.h"

namespace voxplain {

struct ExplainRequest {
  std::string method;
  ParameterSet params;
  TargetSpec target;
  PredictOptions runtime;
  /// Custom baseline images (one per modality, like the study), or null (attribution/Baseline.h).
  std::shared_ptr<const Study> baseline;
};

struct RegionMaps {
  std::string suffix;                ///< "" for one region, "instance3" per instance
  std::size_t voxels = 0;            ///< target voxels on the model grid
  std::vector<Volume> perModality;   ///< in manifest input order, on the study grid
};

struct Explanation {
  std::vector<std::string> modalities;  ///< manifest input names
  std::vector<RegionMaps> regions;
  /// On the study grid: region r's voxels hold r + 1 (instances: the instance number), 0 elsewhere.
  LabelVolume regionIds;
  /// On the study grid: the scored class's probability, when the prediction ran (class/instance
  /// targets); empty otherwise.
  Volume probability;
  nlohmann::json record;                ///< written as attribution.json
};

/// Throws InputError (bad method/parameter/target), OperationCancelled.
Explanation explain(ModelPackage& package, const Study& study, ExplainRequest& request, const TaskControl& control = {});

}  // namespace voxplain
