// voxplain-cli methods [--json]: the attribution method registry (core/attribution/AttributionMethod.h)
// as people and scripts read it — each method's family, what it needs, and every parameter with its
// kind, default and range or choices. Needs no model.
#include <cmath>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>
#include "CliCommand.h"

#include "attribution/AttributionMethod.h"

namespace voxplain::cli {
namespace {

bool hasRange(const ParameterSpec& p) {
  return p.kind == ParameterSpec::Kind::Integer || p.kind == ParameterSpec::Kind::Number;
}

nlohmann::json parameterJson(const ParameterSpec& p) {
  nlohmann::json j{{"key", p.key}, {"kind", parameterKindName(p.kind)}, {"help", p.help}};
  j["default"] = p.defaultValue.empty() ? nlohmann::json() : nlohmann::json(p.defaultValue);
  if (hasRange(p)) j["range"] = {p.min, p.max};
  if (p.kind == ParameterSpec::Kind::Choice) j["choices"] = p.choices;
  return j;
}

nlohmann::json methodJson(const MethodInfo& m) {
  nlohmann::json parameters = nlohmann::json::array();
  for (const ParameterSpec& p : m.parameters) parameters.push_back(parameterJson(p));
  return {{"name", m.name},
          {"label", m.label},
          {"family", m.family},
          {"summary", m.summary},
          {"forward_only", m.forwardOnly},
          {"needs_layers", m.needsLayers},
          {"needs_relu", m.needsRelu},
          {"per_voxel", m.perVoxel},
          {"parameters", parameters}};
}

std::string number(double value) {
  if (value == std::floor(value) && std::abs(value) < 1e15) return std::to_string(static_cast<long long>(value));
  std::ostringstream text;
  text << value;
  return text.str();
}

void printMethod(const MethodInfo& m) {
  std::cout << m.name << "  (" << m.family << ")  " << m.label << "\n    " << m.summary << "\n";
  std::string needs;
  if (m.needsLayers) needs += " layers (--param layers=NAME[,NAME] or a manifest layer group)";
  if (m.needsRelu) needs += " ReLU units";
  if (m.forwardOnly) needs += " forward passes only";
  if (!needs.empty()) std::cout << "    needs:" << needs << "\n";
  for (const ParameterSpec& p : m.parameters) {
    std::cout << "    " << p.key << " (" << parameterKindName(p.kind);
    if (hasRange(p)) std::cout << " " << number(p.min) << ".." << number(p.max);
    if (p.kind == ParameterSpec::Kind::Choice) {
      std::cout << ":";
      for (std::size_t c = 0; c < p.choices.size(); ++c) std::cout << (c ? "|" : " ") << p.choices[c];
    }
    std::cout << ", default " << (p.defaultValue.empty() ? std::string("from the model") : p.defaultValue) << ")  "
              << p.help << "\n";
  }
}

}  // namespace

CommandRunner addMethodsCommand(CLI::App& app) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("methods", "List the attribution methods, their families and parameters");
  cmd->add_flag("--json", *json, "Print the registry as JSON");
  return [json]() {
    if (*json) {
      nlohmann::json all = nlohmann::json::array();
      for (const MethodInfo& m : methodRegistry()) all.push_back(methodJson(m));
      std::cout << nlohmann::json{{"methods", all}}.dump(1) << "\n";
      return kExitOk;
    }
    std::string family;
    for (const MethodInfo& m : methodRegistry()) {
      if (m.family != family) std::cout << (family.empty() ? "" : "\n") << "== " << (family = m.family) << "\n";
      printMethod(m);
    }
    return kExitOk;
  };
}

}  // namespace voxplain::cli
