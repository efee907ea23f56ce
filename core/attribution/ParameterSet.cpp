#include "attribution/ParameterSet.h"

#include "task/InputError.h"

namespace voxplain {

ParameterSet ParameterSet::parse(const std::vector<std::string>& items) {
  ParameterSet p;
  for (const std::string& item : items) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) throw InputError("--param " + item, "must be key=value");
    p.values_[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return p;
}

int ParameterSet::integer(const std::string& key, int fallback, int min, int max) {
  used_.insert(key);
  int v = fallback;
  if (values_.count(key)) {
    try {
      std::size_t n = 0;
      v = std::stoi(values_.at(key), &n);
      if (n != values_.at(key).size()) throw std::invalid_argument(key);
    } catch (const std::exception&) {
      throw InputError("--param " + key, "must be an integer in " + std::to_string(min) + ".." + std::to_string(max));
    }
  }
  if (v < min || v > max) throw InputError("--param " + key, "must be an integer in " + std::to_string(min) + ".." + std::to_string(max));
  resolved_[key] = v;
  return v;
}

double ParameterSet::number(const std::string& key, double fallback, double min, double max) {
  used_.insert(key);
  double v = fallback;
  if (values_.count(key)) {
    try {
      std::size_t n = 0;
      v = std::stod(values_.at(key), &n);
      if (n != values_.at(key).size()) throw std::invalid_argument(key);
    } catch (const std::exception&) {
      throw InputError("--param " + key, "must be a number in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
    }
  }
  if (!(v >= min && v <= max))
    throw InputError("--param " + key, "must be a number in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  resolved_[key] = v;
  return v;
}

std::string ParameterSet::choice(const std::string& key, const std::string& fallback, const std::vector<std::string>& choices) {
  used_.insert(key);
  const std::string v = values_.count(key) ? values_.at(key) : fallback;
  for (const std::string& c : choices)
    if (c == v) {
      resolved_[key] = v;
      return v;
    }
  std::string list;
  for (const std::string& c : choices) list += (list.empty() ? "" : ", ") + c;
  throw InputError("--param " + key + "=" + v, "must be one of " + list);
}

void ParameterSet::rejectUnused(const std::string& method) const {
  for (const auto& [key, value] : values_)
    if (!used_.count(key)) throw InputError("--param " + key, "is not a parameter of " + method);
}

}  // namespace voxplain
