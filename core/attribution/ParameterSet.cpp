#include "attribution/ParameterSet.h"

#include <type_traits>

#include "task/InputError.h"

namespace voxplain {

ParameterSet ParameterSet::parse(const std::vector<std::string>& items) {
  ParameterSet p;
  for (const std::string& item : items) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) throw InputError(InputField::Parameter, item, "must be key=value");
    p.values_[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return p;
}

namespace {
// The whole text must be a number of type T in [min, max]; `range` is the text for the error.
template <class T>
T parseNumber(const std::string& key, const std::string& text, T min, T max, const std::string& range) {
  T v{};
  try {
    std::size_t used = 0;
    if constexpr (std::is_integral_v<T>)
      v = T(std::stoi(text, &used));
    else
      v = T(std::stod(text, &used));
    if (used != text.size()) throw std::invalid_argument(key);
  } catch (const std::exception&) {
    throw InputError(InputField::Parameter, key, "must be " + range);
  }
  if (!(v >= min && v <= max)) throw InputError(InputField::Parameter, key, "must be " + range);
  return v;
}

// A value given as text (the command line) is parsed; a typed one is taken as it is, an integer
// also where a number is asked.
template <class T>
T numberOf(const std::string& key, const ParameterValue& value, T min, T max, const std::string& range) {
  if (const auto* text = std::get_if<std::string>(&value)) return parseNumber<T>(key, *text, min, max, range);
  if (std::is_integral_v<T> && !std::holds_alternative<int>(value))
    throw InputError(InputField::Parameter, key, "must be " + range);
  return std::holds_alternative<int>(value) ? T(std::get<int>(value)) : T(std::get<double>(value));
}

std::string textOf(const std::string& key, const ParameterValue& value, const std::string& what) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  throw InputError(InputField::Parameter, key, "must be " + what);
}
}  // namespace

int ParameterSet::integer(const std::string& key, int fallback, int min, int max) {
  used_.insert(key);
  asked_[key] = {{"kind", "integer"}, {"min", min}, {"max", max}};
  const std::string range = "an integer in " + std::to_string(min) + ".." + std::to_string(max);
  const int v = values_.count(key) ? numberOf<int>(key, values_.at(key), min, max, range) : fallback;
  if (v < min || v > max) throw InputError(InputField::Parameter, key, "must be " + range);
  resolved_[key] = v;
  return v;
}

double ParameterSet::number(const std::string& key, double fallback, double min, double max) {
  used_.insert(key);
  asked_[key] = {{"kind", "number"}, {"min", min}, {"max", max}};
  const std::string range = "a number in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
  const double v = values_.count(key) ? numberOf<double>(key, values_.at(key), min, max, range) : fallback;
  if (!(v >= min && v <= max)) throw InputError(InputField::Parameter, key, "must be " + range);
  resolved_[key] = v;
  return v;
}

std::string ParameterSet::choice(const std::string& key, const std::string& fallback,
                                 const std::vector<std::string>& choices) {
  used_.insert(key);
  asked_[key] = {{"kind", "choice"}, {"choices", choices}};
  std::string list;
  for (const std::string& c : choices) list += (list.empty() ? "" : ", ") + c;
  std::string v = values_.count(key) ? textOf(key, values_.at(key), "one of " + list) : fallback;
  for (const std::string& c : choices)
    if (c == v) {
      resolved_[key] = v;
      return v;
    }
  throw InputError(InputField::Parameter, key + "=" + v, "must be one of " + list);
}

std::string ParameterSet::text(const std::string& key, const std::string& fallback) {
  used_.insert(key);
  asked_[key] = {{"kind", "text"}};
  std::string v = values_.count(key) ? textOf(key, values_.at(key), "text") : fallback;
  if (!v.empty()) resolved_[key] = v;
  return v;
}

void ParameterSet::rejectUnused(const std::string& method) const {
  for (const auto& [key, value] : values_)
    if (!used_.count(key)) throw InputError(InputField::Parameter, key, "is not a parameter of " + method);
}

std::map<std::string, ParameterSet> parseQualifiedParameters(const std::vector<std::string>& items) {
  std::map<std::string, ParameterSet> byMethod;
  for (const std::string& item : items) {
    const auto eq = item.find('=');
    const auto dot = item.find('.');
    if (eq == std::string::npos || dot == std::string::npos || dot == 0 || dot + 1 >= eq)
      throw InputError(InputField::Parameter, item, "must be method.key=value (e.g. integrated_gradients.steps=16)");
    byMethod[item.substr(0, dot)].set(item.substr(dot + 1, eq - dot - 1), item.substr(eq + 1));
  }
  return byMethod;
}

}  // namespace voxplain
