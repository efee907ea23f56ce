#include "StudyInputs.h"

#include <filesystem>
#include <iostream>

#include "attribution/AttributionMethod.h"
#include "io/ImageReader.h"
#include "task/InputError.h"

namespace voxplain::cli {

std::string stemOf(const std::string& path) {
  std::string name = std::filesystem::path(path).filename().string();
  if (name.empty()) name = std::filesystem::path(path).parent_path().filename().string();
  for (const char* ext : {".nii.gz", ".nii", ".hdr.gz", ".hdr", ".dcm"}) {
    const std::string e(ext);
    if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0) return name.substr(0, name.size() - e.size());
  }
  return name;
}

Study readStudy(const std::vector<std::string>& paths, const std::vector<std::string>& names, const TaskControl& control) {
  Study study;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    LoadedImage image = readImage(paths[i], {}, {}, control);
    const std::string name = i < names.size() ? names[i] : stemOf(paths[i]);
    for (const std::string& note : image.notes) std::cerr << "note: " << paths[i] << ": " << note << "\n";
    if (image.volumes.size() > 1) std::cerr << "note: " << paths[i] << ": 4D image, the first volume is used\n";
    const Modality& m = study.addModality(name, paths[i], std::move(image.volumes.front()), control);
    if (!m.resampledBecause.empty())
      std::cerr << "note: " << paths[i] << ": resampled onto the grid of " << paths.front() << " (" << m.resampledBecause << ")\n";
  }
  return study;
}

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
  for (const auto& p : inputs) stems.push_back(stemOf(p));
  ModelPackage package = ModelPackage::open(model, stems, verifySha);
  const ModelManifest& m = package.manifest();
  for (const std::string& note : m.notes) std::cerr << "note: " << note << "\n";
  if (inputs.size() != m.inputs.size())
    throw InputError("--input", "the model takes " + std::to_string(m.inputs.size()) + " input(s), " + std::to_string(inputs.size()) +
                                    " given");
  return package;
}

Study readModelStudy(const ModelPackage& package, const std::vector<std::string>& inputs, const TaskControl& control) {
  std::vector<std::string> names;
  for (const ModelInput& in : package.manifest().inputs) names.push_back(in.name);
  return readStudy(inputs, names, control);
}

PredictOptions predictOptions(const ModelRunOptions& o) {
  PredictOptions options;
  options.device = o.device;
  options.cpuThreads = o.threads;
  options.batchSize = o.batch;
  return options;
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
