// voxplain-cli model-info MODEL [--json] [--dry-run-size N]
#include <iostream>

#include <nlohmann/json.hpp>

#include "CliCommand.h"
#include "model/ModelPackage.h"

namespace voxplain::cli {

CommandRunner addModelInfoCommand(CLI::App& app) {
  struct Options {
    std::string model;
    int size = 32;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd =
      app.add_subcommand("model-info", "Inputs, labels, patch size and every named submodule with its output shape");
  cmd->add_option("MODEL", o->model, "Manifest (.json), TorchScript file or MONAI bundle folder")->required();
  cmd->add_option("--dry-run-size", o->size, "Edge of the cubic dry-run input (voxels)");
  cmd->add_flag("--json", o->json, "Print JSON");
  return [o]() {
    ModelPackage package = ModelPackage::open(o->model, {}, true);
    const ModelManifest& m = package.manifest();
    const std::vector<SubmoduleInfo> modules = package.describeSubmodules({o->size, o->size, o->size});
    nlohmann::json j;
    j["name"] = m.name;
    j["version"] = m.version;
    j["model_file"] = m.modelFile.string();
    j["sha256"] = package.sha256();
    j["layout"] = m.layout;
    j["inputs"] = nlohmann::json::array();
    for (const ModelInput& in : m.inputs) j["inputs"].push_back(in.name);
    j["labels"] = nlohmann::json::array();
    for (const LabelInfo& l : m.labels)
      j["labels"].push_back({{"value", l.value}, {"name", l.name}, {"color", l.color}});
    j["patch_size"] = m.patchSize;
    j["overlap"] = m.overlap;
    const bool pad = m.windowFit == ModelManifest::WindowFit::PadToWindow;
    j["window"] = {{"fit", pad ? "pad" : "clip"},         {"blend", m.blend},
                   {"sigma_scale", m.gaussianSigmaScale}, {"importance_floor", m.importanceFloor},
                   {"divisible_by", m.divisibleBy},       {"max_batch", m.maxBatchSize}};
    j["activation"] = m.activation;
    if (m.spacing) j["spacing"] = *m.spacing;
    j["layer_groups"] = m.layerGroups;
    j["submodules"] = nlohmann::json::array();
    for (const SubmoduleInfo& s : modules)
      j["submodules"].push_back({{"name", s.name}, {"type", s.type}, {"output_shape", s.outputShape}});
    j["notes"] = m.notes;
    if (o->json) {
      std::cout << j.dump(1) << "\n";
      return kExitOk;
    }
    std::cout << m.name << (m.version.empty() ? "" : " " + m.version) << "\n  file " << m.modelFile.string()
              << "\n  inputs";
    for (const ModelInput& in : m.inputs) std::cout << " " << in.name;
    std::cout << "\n  labels";
    for (const LabelInfo& l : m.labels) std::cout << " " << l.value << "=" << l.name;
    std::cout << "\n  patch " << m.patchSize[0] << "x" << m.patchSize[1] << "x" << m.patchSize[2]
              << (pad ? " (smaller volumes padded to it)" : " (clipped to smaller volumes)") << ", overlap "
              << m.overlap << ", " << m.blend << " blending, " << m.activation << "\n  submodules (output shape for a "
              << o->size << "^3 input):\n";
    for (const SubmoduleInfo& s : modules) {
      std::cout << "    " << s.name << " (" << s.type << ")";
      if (!s.outputShape.empty()) {
        std::cout << " [";
        for (std::size_t i = 0; i < s.outputShape.size(); ++i) std::cout << (i ? ", " : "") << s.outputShape[i];
        std::cout << "]";
      }
      std::cout << "\n";
    }
    for (const std::string& note : m.notes) std::cout << "  note: " << note << "\n";
    return kExitOk;
  };
}

}  // namespace voxplain::cli
