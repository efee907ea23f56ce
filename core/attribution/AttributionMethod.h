#pragma once
// One interface for every attribution method, and the registry that finds them by name.
// Each method lives in its own file and registers itself in MethodRegistry.cpp's list.

#include <torch/torch.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "attribution/ParameterSet.h"
#include "attribution/SlidingGradient.h"
#include "attribution/Target.h"
#include "model/ModelPackage.h"
#include "task/TaskControl.h"

namespace voxplain {

/// Everything a method needs, on the model grid.
struct AttributionContext {
  ModelPackage& package;
  torch::Tensor input;                    ///< [1, C, X, Y, Z] normalised model input (CPU)
  const std::vector<TargetRegion>& regions;
  int channel = 1;                        ///< output channel scored
  bool probability = false;
  SlidingWindowOptions window;
  torch::Device device{torch::kCPU};
  TaskControl control;
  torch::Tensor customBaseline;           ///< [1, C, X, Y, Z] like input, or undefined (Baseline.h)
};

struct AttributionOutput {
  std::vector<torch::Tensor> maps;  ///< one [C, X, Y, Z] map per region (CPU float32)
  nlohmann::json details = nlohmann::json::object();  ///< e.g. completeness gap
  std::size_t passes = 0;           ///< forward+backward (or forward) patch passes
};

class AttributionMethod {
 public:
  virtual ~AttributionMethod() = default;
  /// Reads its parameters from `params` (validated there), then computes the maps.
  virtual AttributionOutput run(AttributionContext& context, ParameterSet& params) = 0;
};

struct MethodInfo {
  std::string name;    ///< CLI name, e.g. "saliency"
  std::string label;   ///< for people, e.g. "Saliency (gradient)"
  std::string family;  ///< "gradient", "cam", "perturbation"
  bool forwardOnly = false;  ///< runs forward passes only (no gradients): KWC, activations, perturbations
  std::function<std::unique_ptr<AttributionMethod>()> create;
};

const std::vector<MethodInfo>& methodRegistry();
/// Throws InputError listing the known names.
const MethodInfo& findMethod(const std::string& name);

}  // namespace voxplain
