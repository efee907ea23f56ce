#pragma once
// A method's parameters: typed values as a front end's controls give them (an integer, a number,
// text), or the command line's "key=value" text read as the method asks; validated against each
// parameter's kind and range when the method reads it, defaulted, and recorded with the result. An
// unknown key or a bad value is an InputError naming the parameter and its accepted range.

#include <map>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace voxplain {

/// One parameter's value: an integer, a number or text. Text is read as the method asks ("32" as an
/// integer, "0.5" as a number); an integer is accepted where a number is asked, a number never where
/// an integer is.
using ParameterValue = std::variant<int, double, std::string>;

class ParameterSet {
 public:
  ParameterSet() = default;
  /// Parses the command line's "key=value" items (values kept as text). Throws InputError on an
  /// item without '='.
  static ParameterSet parse(const std::vector<std::string>& items);
  void set(const std::string& key, int value) { values_[key] = value; }
  void set(const std::string& key, double value) { values_[key] = value; }
  void set(const std::string& key, const std::string& value) { values_[key] = value; }
  void set(const std::string& key, const char* value) { values_[key] = std::string(value); }
  /// The values given (not the defaults), by key.
  const std::map<std::string, ParameterValue>& values() const { return values_; }
  bool empty() const { return values_.empty(); }

  int integer(const std::string& key, int fallback, int min, int max);
  double number(const std::string& key, double fallback, double min, double max);
  std::string choice(const std::string& key, const std::string& fallback, const std::vector<std::string>& choices);
  /// Free text (e.g. a list of layer names); recorded as given.
  std::string text(const std::string& key, const std::string& fallback);

  /// Throws InputError for keys no method asked for (typos must not pass silently).
  void rejectUnused(const std::string& method) const;
  /// Every parameter with the value used (defaults included).
  const nlohmann::json& resolved() const { return resolved_; }
  /// How each parameter was asked for: {"key": {"kind": "integer"|"number"|"choice"|"text", "min",
  /// "max", "choices"}}. Tests hold this against the method registry's descriptions.
  const nlohmann::json& asked() const { return asked_; }

 private:
  std::map<std::string, ParameterValue> values_;
  std::set<std::string> used_;
  nlohmann::json resolved_ = nlohmann::json::object();
  nlohmann::json asked_ = nlohmann::json::object();
};

/// The command line's method-qualified parameters, "method.key=value" (e.g.
/// "integrated_gradients.steps=16"; evaluate and bench run several methods at once), split by
/// method. The one syntax for them everywhere. Throws InputError naming an item that is not
/// method.key=value.
std::map<std::string, ParameterSet> parseQualifiedParameters(const std::vector<std::string>& items);

}  // namespace voxplain
