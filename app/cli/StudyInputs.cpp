#include "StudyInputs.h"

#include <filesystem>
#include <iostream>

#include "attribution/AttributionMethod.h"
#include "io/StudyReader.h"
#include "task/InputError.h"

namespace voxplain::cli {

void addModelRunOptions(CLI::App& cmd, ModelRunOptions& o, bool withInputs) {
  cmd.add_option("--model", o.model, "Manifest (.json), TorchScript file or MONAI bundle folder")->required();
  if (withInputs)
    cmd.add_option("--input", o.inputs, "One image per model input, in the manifest's order (NIfTI, DICOM file or folder)")->required();
  cmd.add_option("--device", o.device, "auto, cpu, cuda or cuda:N");
  cmd.add_option("--threads", o.threads, "CPU threads (0: all cores)");
  cmd.add_option("--batch", o.batch, "Patches per forward pass (0: the manifest's)");
  cmd.add_flag("--no-sha-check", o.noSha, "Do not compare the model file with the manifest's SHA-256");
  cmd.add_flag("--force", o.force, "Overwrite existing outputs");
  cmd.add_flag("--progress", o.progress, "Show progress on stderr even when it is not a terminal");
  cmd.add_flag("--json", o.json, "Print the run's record as JSON");
}

ModelPackage openModelForInputs(const std::string& model, const std::vector<std::string>& inputs, bool verifySha) {
  std::vector<std::string> stems;
  for (const auto& p : inputs) stems.push_back(modalityNameOf(p));
  ModelPackage package = ModelPackage::open(model, stems, verifySha);
  const ModelManifest& m = package.manifest();
  for (const std::string& note : m.notes) std::cerr << "note: " << note << "\n";
  if (inputs.size() != m.inputs.size())
    throw InputError("--input", "the model takes " + std::to_string(m.inputs.size()) + " input(s), " + std::to_string(inputs.size()) +
                                    " given");
  return package;
}

Study readModelStudy(const ModelPackage& package, const std::vector<std::string>& inputs, const TaskControl& control) {
  std::vector<StudyInput> study;
  for (std::size_t i = 0; i < inputs.size(); ++i)
    study.push_back({inputs[i], {}, i < package.manifest().inputs.size() ? package.manifest().inputs[i].name : std::string()});
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

std::vector<DicomSource> dicomSources(const std::vector<std::string>& inputs, const Geometry& grid, const TaskControl& control) {
  std::vector<StudyInput> study;
  for (const std::string& input : inputs) study.push_back({input, {}, {}});
  return findStudyDicomSources(study, grid, control);
}

void addDicomExportOptions(CLI::App& cmd, DicomExportOptions& o) {
  cmd.add_flag("--keep-patient-identity", o.keepPatientIdentity,
               "Copy Patient's Name, ID and Birth Date into DICOM outputs (left empty by default)");
  o.softwareVersion = std::string("voxplain ") + VOXPLAIN_VERSION;
}

ExplainRequest explainRequest(const ModelRunOptions& o, const std::string& method, const std::vector<std::string>& params) {
  findMethod(method);
  ExplainRequest request;
  request.method = method;
  request.params = ParameterSet::parse(params);
  request.runtime = predictOptions(o);
  return request;
}

}  // namespace voxplain::cli
