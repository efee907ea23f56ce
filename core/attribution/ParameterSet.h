#pragma once
// Method parameters from "--param key=value": validated, defaulted, and recorded with the result.
// An unknown key or a bad value is an InputError naming the parameter and its accepted range.

#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace voxplain {

class ParameterSet {
 public:
  ParameterSet() = default;
  /// Parses "key=value" items. Throws InputError on an item without '='.
  static ParameterSet parse(const std::vector<std::string>& items);
  void set(const std::string& key, const std::string& value) { values_[key] = value; }

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
  std::map<std::string, std::string> values_;
  std::set<std::string> used_;
  nlohmann::json resolved_ = nlohmann::json::object();
  nlohmann::json asked_ = nlohmann::json::object();
};

}  // namespace voxplain
