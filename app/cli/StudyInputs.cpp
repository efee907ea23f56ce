#include "StudyInputs.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iostream>

#include "attribution/AttributionMethod.h"
#include "io/StudyReader.h"
#include "runtime/TextCase.h"
#include "task/InputError.h"

namespace voxplain::cli {

void addModelRunOptions(CLI::App& cmd, ModelRunOptions& o, bool withInputs) {
  cmd.add_option("--model", o.model, "Manifest (.json), TorchScript file, MONAI bundle or nnU-Net v2 results folder")
      ->required();
  if (withInputs)
    cmd.add_option("--input", o.inputs,
                   "One image per model input, in the manifest's order (NIfTI, DICOM file or folder); NAME=PATH names "
                   "it (a model input's name puts it in that place)")
        ->required();
  cmd.add_option("--device", o.device, "auto, cpu, cuda or cuda:N");
  cmd.add_option("--threads", o.threads, "CPU threads (0: all cores)");
  cmd.add_option("--batch", o.batch, "Patches per forward pass (0: the manifest's)");
  cmd.add_flag("--no-sha-check", o.noSha, "Do not compare the model file with the manifest's SHA-256");
  cmd.add_flag("--force", o.force, "Overwrite existing outputs");
  cmd.add_flag("--progress", o.progress, "Show progress on stderr even when it is not a terminal");
  cmd.add_flag("--json", o.json, "Print the run's record as JSON");
  cmd.add_option("--configuration", o.nnunet.configuration,
                 "nnU-Net folder: the configuration (3d_fullres, ...) when the folder holds several");
  cmd.add_option("--folds", o.nnunet.folds, "nnU-Net folder: the folds to ensemble (default: every trained fold)");
  cmd.add_option_function<std::string>(
         "--checkpoint", [&o](const std::string& which) { o.nnunet.checkpoint = "checkpoint_" + which + ".pth"; },
         "nnU-Net folder: final (default) or best")
      ->check(CLI::IsMember({"final", "best"}));
  cmd.add_flag_function(
      "--no-mirroring", [&o](std::int64_t) { o.nnunet.mirroring = false; },
      "nnU-Net folder: no test-time mirroring (nnUNetv2_predict's --disable_tta)");
}

std::vector<StudyInput> studyInputs(const std::vector<std::string>& arguments, const TaskControl& control) {
  std::vector<StudyInput> inputs;
  for (const std::string& argument : arguments) inputs.push_back(parseStudyInput(argument));
  nameStudyInputs(inputs, control);
  return inputs;
}

std::vector<StudyInput> unnamedStudyInputs(const std::vector<std::string>& paths) {
  std::vector<StudyInput> inputs;
  for (const std::string& path : paths) inputs.push_back({path, {}, {}});
  return inputs;
}

std::vector<std::string> inputPaths(const std::vector<StudyInput>& inputs) {
  std::vector<std::string> paths;
  for (const StudyInput& in : inputs) paths.push_back(in.path.string());
  return paths;
}

nlohmann::json inputRecord(const std::vector<StudyInput>& inputs, const ModelManifest& manifest) {
  nlohmann::json record = nlohmann::json::array();
  for (std::size_t i = 0; i < inputs.size(); ++i)
    record.push_back({{"name", i < manifest.inputs.size() ? manifest.inputs[i].name : inputs[i].name},
                      {"given", inputs[i].name},
                      {"path", inputs[i].path.string()}});
  return record;
}

namespace {

/// Puts the inputs named after the model's inputs in the model's order (the others keep their places).
void arrangeByModelNames(const ModelManifest& m, std::vector<StudyInput>& inputs) {
  std::vector<std::string> names;
  for (const ModelInput& in : m.inputs) names.push_back(lowerCase(in.name));
  std::vector<StudyInput> arranged(inputs.size());
  std::vector<bool> taken(inputs.size(), false), placed(inputs.size(), false);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].nameGiven) continue;
    const auto at = std::find(names.begin(), names.end(), lowerCase(inputs[i].name));
    if (at == names.end()) {
      std::string known;
      for (const ModelInput& in : m.inputs) known += (known.empty() ? "" : ", ") + in.name;
      throw InputError("--input " + inputs[i].name + "=" + inputs[i].path.string(),
                       "the model has no input named \"" + inputs[i].name + "\" (its inputs: " + known + ")");
    }
    const std::size_t slot = std::size_t(at - names.begin());
    if (slot >= arranged.size() || taken[slot]) continue;  // the count check or the name check reports it
    arranged[slot] = inputs[i];
    taken[slot] = placed[i] = true;
  }
  std::size_t next = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (placed[i]) continue;
    while (taken[next]) ++next;
    arranged[next] = inputs[i];
    taken[next] = true;
  }
  inputs = std::move(arranged);
}

}  // namespace

ModelPackage openModelForInputs(const ModelRunOptions& o, std::vector<StudyInput>& inputs) {
  std::vector<std::string> names;
  for (const StudyInput& in : inputs) names.push_back(in.name.empty() ? modalityNameOf(in.path) : in.name);
  ModelPackage package = ModelPackage::open(o.model, names, !o.noSha, o.nnunet);
  const ModelManifest& m = package.manifest();
  for (const std::string& note : m.notes) std::cerr << "note: " << note << "\n";
  if (inputs.size() != m.inputs.size())
    throw InputError("--input", "the model takes " + std::to_string(m.inputs.size()) + " input(s), " +
                                    std::to_string(inputs.size()) + " given");
  arrangeByModelNames(m, inputs);
  return package;
}

Study readModelStudy(const ModelPackage& package, const std::vector<StudyInput>& inputs, const TaskControl& control) {
  std::vector<StudyInput> study = inputs;
  for (std::size_t i = 0; i < study.size(); ++i)
    if (i < package.manifest().inputs.size()) study[i].name = package.manifest().inputs[i].name;
  StudyRead read = readStudy(study, control);
  for (const std::string& note : read.notes) std::cerr << "note: " << note << "\n";
  return std::move(read.study);
}

PredictOptions predictOptions(const ModelRunOptions& o) {
  PredictOptions options;
  options.device = o.device;
  options.cpuThreads = o.threads;
  options.batchSize = o.batch;
  return options;
}

std::vector<DicomSource> dicomSources(const std::vector<StudyInput>& inputs, const Geometry& grid,
                                      const TaskControl& control) {
  return findStudyDicomSources(inputs, grid, control);
}

void addDicomExportOptions(CLI::App& cmd, DicomExportOptions& o) {
  cmd.add_flag("--keep-patient-identity", o.keepPatientIdentity,
               "Copy Patient's Name, ID and Birth Date into DICOM outputs (left empty by default)");
  o.softwareVersion = std::string("voxplain ") + VOXPLAIN_VERSION;
}

ExplainRequest explainRequest(const ModelRunOptions& o, const std::string& method,
                              const std::vector<std::string>& params) {
  ExplainRequest request;
  request.method = method;
  request.params = ParameterSet::parse(params);
  checkParameters(findMethod(method), request.params);
  request.runtime = predictOptions(o);
  return request;
}

}  // namespace voxplain::cli
