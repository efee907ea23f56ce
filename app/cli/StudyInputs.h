#pragma once
// Reading the --input files of a command into a Study (one modality per input, in order).

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "attribution/Explainer.h"
#include "model/ModelPackage.h"
#include "task/TaskControl.h"
#include "volume/Study.h"

namespace voxplain::cli {

/// Modality name from a file or folder name: "FLAIR.nii.gz" -> "FLAIR".
std::string stemOf(const std::string& path);

/// Reads `paths` (NIfTI files, DICOM files or folders) into a study named `names[i]` (or the file
/// stem). The first input defines the grid; others are resampled onto it with a note on stderr.
Study readStudy(const std::vector<std::string>& paths, const std::vector<std::string>& names, const TaskControl& control);

/// The options of every command that runs a model on a study (predict, explain).
struct ModelRunOptions {
  std::string model;
  std::vector<std::string> inputs;
  std::string device = "auto";
  int threads = 0, batch = 0;
  bool noSha = false, force = false, progress = false, json = false;
};

/// Registers --model, --input (unless `withInputs` is false: commands that read cases from a
/// table), --device, --threads, --batch, --no-sha-check, --force, --progress, --json.
void addModelRunOptions(CLI::App& cmd, ModelRunOptions& o, bool withInputs = true);

/// Opens `model` for the given --input files (their stems name a bare model's channels), prints the
/// manifest's notes, and checks that the number of inputs matches. Throws InputError.
ModelPackage openModelForInputs(const std::string& model, const std::vector<std::string>& inputs, bool verifySha);

/// The runtime part of --device/--threads/--batch as PredictOptions (precision stays fp32).
PredictOptions predictOptions(const ModelRunOptions& o);

/// An explain request for `method` with its --param items and the run options; the method name is
/// checked first (a typo fails before any image is read). The target is left to the caller.
ExplainRequest explainRequest(const ModelRunOptions& o, const std::string& method, const std::vector<std::string>& params);

/// readStudy() with the modalities named as the model's inputs.
Study readModelStudy(const ModelPackage& package, const std::vector<std::string>& inputs, const TaskControl& control);

}  // namespace voxplain::cli
