#pragma once
// The catalogue of attribution methods as front ends see it: names, labels, families, what each
// map shows and every parameter with its kind, default and range. Free of LibTorch, so that a
// method panel or a help page lists the methods without compiling the engine's headers; the
// methods themselves are attribution/AttributionMethod.h.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "attribution/ParameterSet.h"

namespace voxplain {

class AttributionMethod;

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
