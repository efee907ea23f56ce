#pragma once
// One interface for every attribution method, and the registry that finds them by name.
// Each method lives in its own file and registers itself in MethodRegistry.cpp's list.

#include <torch/torch.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "attribution/CompletenessCheck.h"
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

/// One parameter of a method, for front ends (the app's method panel, CLI help). The method reads it
/// with the same key, default and range (ParameterSet); a test holds the two together.
struct ParameterSpec {
  enum class Kind { Integer, Number, Choice, Text };
  std::string key;
  Kind kind = Kind::Integer;
  /// The default as text ("32", "0.1", "riemann"); empty when it depends on the model or on other
  /// parameters (then `help` says how).
  std::string defaultValue;
  double min = 0.0, max = 0.0;       ///< Integer and Number: the accepted range, inclusive
  std::vector<std::string> choices;  ///< Choice
  std::string help;                  ///< one line
};

/// "integer", "number", "choice" or "text": the kind's name in front ends and JSON.
const char* parameterKindName(ParameterSpec::Kind kind);

struct MethodInfo {
  std::string name;          ///< registry name, e.g. "saliency"
  std::string label;         ///< for people, e.g. "Saliency (gradient)"
  std::string family;        ///< "gradient", "cam", "perturbation"
  bool forwardOnly = false;  ///< runs forward passes only (no gradients): KWC, activations, perturbations
  std::function<std::unique_ptr<AttributionMethod>()> create;
  std::string summary;       ///< one line: what the map shows
  bool needsLayers = false;  ///< works on named layers (a layer group of the manifest by default)
  bool needsRelu = false;    ///< changes the backward pass of ReLU units (model/ReluOverride.h)
  /// The map varies voxel by voxel; false: one value per modality spread over the volume
  /// (modality_shapley) — a modality-importance method, not a spatial explanation.
  bool perVoxel = true;
  std::vector<ParameterSpec> parameters;
};

const std::vector<MethodInfo>& methodRegistry();
/// The spec of `key` in `method`, or null.
const ParameterSpec* findParameter(const MethodInfo& method, const std::string& key);
/// Throws InputError listing the known names.
const MethodInfo& findMethod(const std::string& name);
/// Checks `params` against the method's registry entry as the method reads them (unknown keys,
/// numbers, ranges, choices), before any pass runs; combinations (layers= with group=) are checked
/// when the method runs. Throws InputError naming the parameter.
void checkParameters(const MethodInfo& method, ParameterSet params);

}  // namespace voxplain
