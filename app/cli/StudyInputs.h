#pragma once
// Reading the --input files of a command into a Study (one modality per input, in order).

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "attribution/Explainer.h"
#include "io/DicomExportOptions.h"
#include "io/DicomSource.h"
#include "io/StudyReader.h"
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
  NnunetChoice nnunet;  ///< --configuration, --folds, --checkpoint, --no-mirroring (nnU-Net folders)
  bool noSha = false, force = false, progress = false, json = false;
};

/// Registers --model, --input (unless `withInputs` is false: commands that read cases from a
/// table), --device, --threads, --batch, --no-sha-check, --force, --progress, --json, and for
/// nnU-Net folders --configuration, --folds, --checkpoint, --no-mirroring.
void addModelRunOptions(CLI::App& cmd, ModelRunOptions& o, bool withInputs = true);

/// The --input arguments ("PATH" or "NAME=PATH") parsed and named (io/StudyReader.h,
/// nameStudyInputs: a DICOM input by its Series Description, then by its file or folder name).
/// Throws InputError for two inputs with one name.
std::vector<StudyInput> studyInputs(const std::vector<std::string>& arguments, const TaskControl& control = {});

/// Paths taken as they are (a cohort table's columns), named by the model's inputs later.
std::vector<StudyInput> unnamedStudyInputs(const std::vector<std::string>& paths);

/// The paths of `inputs`, for records.
std::vector<std::string> inputPaths(const std::vector<StudyInput>& inputs);

/// [{"name": model input, "given": the input's own name, "path": ...}] for records.
nlohmann::json inputRecord(const std::vector<StudyInput>& inputs, const ModelManifest& manifest);

/// Opens `model` for `inputs` (their names name a bare model's channels), prints the manifest's
/// notes, and checks that the number of inputs matches. Inputs named with NAME=PATH after the
/// model's inputs (case-insensitive) are put in the model's order; a given name that is none of a
/// manifest's inputs is refused with the model's names. Throws InputError.
ModelPackage openModelForInputs(const ModelRunOptions& o, std::vector<StudyInput>& inputs);

/// The runtime part of --device/--threads/--batch as PredictOptions (precision stays fp32).
PredictOptions predictOptions(const ModelRunOptions& o);

/// An explain request for `method` with its --param items and the run options; the method name is
/// checked first (a typo fails before any image is read). The target is left to the caller.
ExplainRequest explainRequest(const ModelRunOptions& o, const std::string& method,
                              const std::vector<std::string>& params);

/// The inputs as a study (io/StudyReader.h) with the modalities named as the model's inputs;
/// the reader's notes go to stderr.
Study readModelStudy(const ModelPackage& package, const std::vector<StudyInput>& inputs, const TaskControl& control);

/// The DICOM series of each --input (io/DicomSource.h, findStudyDicomSources).
std::vector<DicomSource> dicomSources(const std::vector<StudyInput>& inputs, const Geometry& grid,
                                      const TaskControl& control);

/// Registers --keep-patient-identity (for commands that write DICOM objects).
void addDicomExportOptions(CLI::App& cmd, DicomExportOptions& o);

}  // namespace voxplain::cli
