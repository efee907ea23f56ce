#pragma once
// One interface for every attribution method, and the registry that finds them by name.
// Each method lives in its own file and registers itself in MethodRegistry.cpp's list; front ends
// that only list methods and their parameters include attribution/MethodCatalog.h (no LibTorch).

#include <torch/torch.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "attribution/CompletenessCheck.h"
#include "attribution/MethodCatalog.h"
#include "attribution/ParameterSet.h"
#include "attribution/ShapleyValues.h"
#include "attribution/SlidingGradient.h"
#include "attribution/Target.h"
#include "model/ModelPackage.h"
#include "task/TaskControl.h"

namespace voxplain {

/// Everything a method needs, on the model grid.
struct AttributionContext {
  ModelPackage& package;
  torch::Tensor input;  ///< [1, C, X, Y, Z] normalised model input (CPU)
  const std::vector<TargetRegion>& regions;
  int channel = 1;  ///< output channel scored
  bool probability = false;
  SlidingWindowOptions window;
  torch::Device device{torch::kCPU};
  TaskControl control;
  torch::Tensor customBaseline;  ///< [1, C, X, Y, Z] like input, or undefined (Baseline.h)
};

struct AttributionOutput {
  std::vector<torch::Tensor> maps;  ///< one [C, X, Y, Z] map per region (CPU float32)
  /// Method-specific facts for the record (layers used, ReLU nodes overridden, features); the
  /// typed results below are added to it under "shapley" / "completeness" by the Explainer.
  nlohmann::json details = nlohmann::json::object();
  std::vector<ShapleyValues> shapley;           ///< one per region (modality_shapley, kernel_shap)
  std::vector<CompletenessCheck> completeness;  ///< one per region (integrated_gradients, deeplift)
  std::size_t passes = 0;                       ///< forward+backward (or forward) patch passes
};

class AttributionMethod {
 public:
  virtual ~AttributionMethod() = default;
  /// Reads its parameters from `params` (validated there), then computes the maps.
  virtual AttributionOutput run(AttributionContext& context, ParameterSet& params) = 0;
};

}  // namespace voxplain
