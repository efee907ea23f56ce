#pragma once
// Agg^2Exp for one case (analysis/SegmentImportance.h): every foreground class of the manifest
// that the model predicts is explained as a class target with `method`, giving the class x segment
// matrix; the modality importance of the default class (share of |A|, and the exact modality
// Shapley values when asked) comes with it. What `voxplain-cli aggregate` stores per case and the
// app's charts show.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/ModalityImportance.h"
#include "analysis/SegmentImportance.h"
#include "attribution/Explainer.h"

namespace voxplain {

struct CaseAggregation {
  SegmentImportance segments;
  ModalityImportance modalities;
  /// Each explained class's map (one volume per modality, study grid), in `segments.targets` order.
  std::vector<TargetClassMaps> maps;
  std::vector<std::string> skippedTargets;  ///< classes not predicted in this case
  nlohmann::json record;                    ///< model, method, parameters, timing
  /// {"model", "method", "parameters", "segment_importance", "modality_importance", "skipped_targets",
  /// "timing_seconds"}.
  nlohmann::json toJson() const;
};

/// The model runs once (or not at all when `prediction`, made by predict() with this package on this
/// study, is given); every class target and method reuses that prediction. A class absent from the
/// prediction is skipped (listed in skippedTargets); any other error propagates.
/// Throws InputError (bad method or parameters, nothing predicted for any class), OperationCancelled.
CaseAggregation aggregateCase(ModelPackage& package, const Study& study, const std::string& method,
                              const ParameterSet& params, const PredictOptions& runtime, bool withShapley,
                              const TaskControl& control = {}, std::shared_ptr<const Prediction> prediction = nullptr);

}  // namespace voxplain
