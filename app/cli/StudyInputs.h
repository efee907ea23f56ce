#pragma once
// Reading the --input files of a command into a Study (one modality per input, in order).

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "attribution/Explainer.h"
#include "io/DicomExportOptions.h"
#include "io/DicomSource.h"
#include "model/ModelPackage.h"
#include "task/TaskControl.h"
#include "volume/Study.h"

namespace voxplain::cli {

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

/// The --input files as a study (io/StudyReader.h) with the modalities named as the model's inputs;
/// the reader's notes go to stderr.
Study readModelStudy(const ModelPackage& package, const std::vector<std::string>& inputs, const TaskControl& control);

/// The DICOM series of each --input (io/DicomSource.h, findStudyDicomSources).
std::vector<DicomSource> dicomSources(const std::vector<std::string>& inputs, const Geometry& grid, const TaskControl& control);

/// Registers --keep-patient-identity (for commands that write DICOM objects).
void addDicomExportOptions(CLI::App& cmd, DicomExportOptions& o);

}  // namespace voxplain::cli
