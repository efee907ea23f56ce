#pragma once
// Checked reading of JSON fields for the files users hand us (model manifests, cohort summaries):
// every accessor checks presence and type and throws InputError(source, "<field>: <reason>") naming
// the file and the dotted field ("inputs[1].normalization.type: missing"), never a JSON exception.

#include <array>
#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "task/InputError.h"

namespace voxplain {

class FieldReader {
 public:
  /// `source` names the file in messages.
  explicit FieldReader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& field, const std::string& reason) const {
    throw InputError(source_, field + ": " + reason);
  }
  /// j[key]; `path` is the field's prefix ("inputs[0]." or "" at the top level).
  const nlohmann::json& require(const nlohmann::json& j, const char* key, const std::string& path) const {
    if (!j.is_object() || !j.contains(key)) fail(path + key, "missing");
    return j.at(key);
  }
  std::string string(const nlohmann::json& j, const std::string& field) const {
    if (!j.is_string()) fail(field, "must be a string");
    return j.get<std::string>();
  }
  double number(const nlohmann::json& j, const std::string& field) const {
    if (!j.is_number() || !std::isfinite(j.get<double>())) fail(field, "must be a number");
    return j.get<double>();
  }
  /// An integer that fits an int (a larger one is refused, never truncated).
  int integer(const nlohmann::json& j, const std::string& field) const {
    if (!j.is_number_integer()) fail(field, "must be an integer");
    if (j.is_number_unsigned() ? j.get<unsigned long long>() > 2147483647ull
                               : j.get<long long>() < -2147483648LL || j.get<long long>() > 2147483647LL)
      fail(field, "must be an integer between -2147483648 and 2147483647");
    return j.get<int>();
  }
  /// An integer from `low` to `high`.
  int integer(const nlohmann::json& j, const std::string& field, int low, int high) const {
    const int v = integer(j, field);
    if (v < low || v > high) fail(field, "must be from " + std::to_string(low) + " to " + std::to_string(high));
    return v;
  }
  /// A count: a non-negative integer (up to 10^12).
  std::size_t count(const nlohmann::json& j, const std::string& field) const {
    if (!j.is_number_integer() || j.get<long long>() < 0 || j.get<long long>() > 1000000000000LL)
      fail(field, "must be a count (a whole number, 0 or more)");
    return std::size_t(j.get<long long>());
  }
  const nlohmann::json& list(const nlohmann::json& j, const std::string& field) const {
    if (!j.is_array()) fail(field, "must be a list");
    return j;
  }
  std::vector<std::string> strings(const nlohmann::json& j, const std::string& field) const {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < list(j, field).size(); ++i)
      out.push_back(string(j[i], field + "[" + std::to_string(i) + "]"));
    return out;
  }
  template <std::size_t N>
  std::array<double, N> positives(const nlohmann::json& j, const std::string& field) const {
    if (!j.is_array() || j.size() != N) fail(field, "must be " + std::to_string(N) + " positive numbers");
    std::array<double, N> out{};
    for (std::size_t i = 0; i < N; ++i) {
      out[i] = number(j[i], field + "[" + std::to_string(i) + "]");
      if (out[i] <= 0) fail(field, "must be " + std::to_string(N) + " positive numbers");
    }
    return out;
  }

 private:
  std::string source_;
};

}  // namespace voxplain
