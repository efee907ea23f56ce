#pragma once
// The application logic of one case, shared by every front end (Slicer's Logic, ITK-SNAP's
// GlobalUIModel without the GUI): an open model, the last prediction and what it was made for,
// and the three things a user asks of a case — explain a target, explain every instance of a class
// with its statistics, analyse the case (modality importance and Agg²Exp over every predicted
// class, optionally written as a report folder). The app's worker thread and voxplain-cli's
// commands both call it, so the options they take and the numbers they give are the same.
//
// Results come back by value, in the study's volume order (the order of Study::modalities(), the
// app's panes), not the model's channel order; a volume that fed no model input gets a map of zeros
// and a share of 0. Free of LibTorch: front ends include this header without compiling the engine's.
//
// Not thread-safe: one thread at a time (the app keeps it in its worker thread).

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/InstanceStatistics.h"
#include "analysis/SegmentImportance.h"
#include "attribution/ParameterSet.h"
#include "attribution/Target.h"
#include "io/DicomExportOptions.h"
#include "io/StudyReader.h"
#include "model/ModelManifest.h"
#include "model/NnunetFolder.h"
#include "model/PredictOptions.h"
#include "task/TaskControl.h"
#include "volume/Study.h"

namespace voxplain {

class ModelPackage;
struct Prediction;

/// One named submodule of the model (ModelPackage::describeSubmodules).
struct ModelLayerInfo {
  std::string name;  ///< dotted path, e.g. "dec1.conv2"
  std::string type;  ///< e.g. "Conv3d"
  int channels = 0;  ///< output channels in a dry run; 0 when the forward pass does not reach it
};

/// What a front end shows of an opened model package.
struct ModelDescription {
  std::filesystem::path path;
  ModelManifest manifest;              ///< inputs, labels, layer groups, notes
  std::vector<ModelLayerInfo> layers;  ///< every named submodule, from one small dry run
  std::string layersError;             ///< why `layers` is empty, when the dry run failed
  std::vector<std::string> devices;    ///< "auto", "cpu", then "cuda:N" for each CUDA device found
};

/// The last prediction as a front end sees it (the logits stay in the logic).
struct PredictionSummary {
  std::shared_ptr<const LabelVolume> labels;  ///< study grid; shared by every result of this prediction
  std::string device;                         ///< where it finally ran, e.g. "cpu", "cuda:0"
  double seconds = 0.0;                       ///< including pre- and post-processing
  std::size_t labelledVoxels = 0;             ///< non-zero voxels of `labels`
};

/// Explain one target, or every instance of a class.
struct CaseExplainRequest {
  std::string method;       ///< a registry name (attribution/MethodCatalog.h)
  ParameterSet parameters;  ///< checked against the method's registry entry; unused keys are refused
  /// What is explained (attribution/Target.h: TargetSpec::ofClass, atVoxel, inBoxMm); every
  /// instance of a class (TargetSpec::allInstances) also gives the instance statistics.
  TargetSpec target;
  InstanceOptions instanceOptions;
  /// Instances: a reference segmentation on the study grid (non-zero = the class) for TP/FP/FN, or null.
  std::shared_ptr<const LabelVolume> reference;
  PredictOptions runtime;  ///< used when the case has no prediction yet, and by the method's passes
};

/// Modality importance and Agg²Exp over every predicted class (analysis/CaseAggregation.h), and
/// optionally the report folder (report/CaseReport.h).
struct CaseAnalysisRequest {
  std::string method;
  ParameterSet parameters;  ///< checked against the method's registry entry; unused keys are refused
  int shownLabel = 1;       ///< the class whose maps come back in CaseExplanation::maps (else the first)
  PredictOptions runtime;
  /// Report: written when not empty; `inputs` are what the study was read from (names in the README,
  /// DICOM objects for a DICOM series).
  std::filesystem::path reportFolder;
  std::vector<StudyInput> inputs;
  bool replaceReport = false;
  DicomExportOptions dicom;
};

/// One finished explanation or case analysis.
struct CaseExplanation {
  std::string method, methodLabel;
  std::string target;  ///< for people: "class 1 (sum of the logit …)", "every predicted class"
  /// Every parameter with the value used (defaults included), by key.
  std::map<std::string, ParameterValue> parameters;
  /// The explanation's record as written to JSON (model, target, parameters, timing, …).
  nlohmann::json record;
  std::string device;
  double seconds = 0.0;                                ///< the method (and, for a case analysis, the aggregation)
  std::vector<std::string> volumes;                    ///< the study's volume names, in its order
  std::vector<Volume> maps;                            ///< one per study volume; instances: the largest instance's
  std::vector<double> modalityShares;                  ///< share of |A| per study volume
  std::vector<double> shapleyShares;                   ///< case analysis: phi_m / sum |phi| per study volume
  SegmentImportance segments;                          ///< Agg²Exp over the model's own labels
  std::shared_ptr<const LabelVolume> predictedLabels;  ///< the segmentation explained (study grid)
  /// Instances: the statistics (over the model's inputs) and each instance's maps in the study's
  /// volume order ([instance id - 1][volume]).
  std::optional<InstanceReport> instances;
  std::vector<std::vector<Volume>> instanceMaps;
  /// Case analysis with a report folder: what was written (relative paths, SVG figures, notes).
  std::vector<std::string> reportFiles, reportSvgFigures, reportNotes;
};

class CaseLogic {
 public:
  CaseLogic();
  ~CaseLogic();
  CaseLogic(const CaseLogic&) = delete;
  CaseLogic& operator=(const CaseLogic&) = delete;

  /// Opens a manifest, a bare TorchScript file, a MONAI bundle or an nnU-Net folder
  /// (model/ModelPackage.h) and replaces the open model; the cached prediction is dropped. Throws
  /// InputError naming the file; the previous model stays open then.
  ModelDescription openModel(const std::filesystem::path& path, const NnunetChoice& nnunet = {});
  /// Takes a package the caller opened (voxplain-cli checks it against the inputs first).
  void adoptModel(std::unique_ptr<ModelPackage> package);
  bool hasModel() const;
  /// Throws std::logic_error when no model is open.
  const ModelManifest& manifest() const;
  /// Names the inputs of a model whose file names none (ModelPackage::nameInputs); drops the cached
  /// prediction when the order changes. Returns whether anything changed. Throws InputError.
  bool nameInputs(const std::vector<std::string>& names);

  /// Whether the cached prediction was made for `study` (the same object).
  bool hasPredictionFor(const std::shared_ptr<const Study>& study) const;
  /// Runs the model on `study` as `runtime` asks and caches the result (again = true ignores the
  /// cache). Throws InputError (no model, device), OperationCancelled.
  PredictionSummary predict(const std::shared_ptr<const Study>& study, const PredictOptions& runtime, bool again,
                            const TaskControl& control = {});
  /// Explains `request` on `study`, predicting first unless the cached prediction serves it. The
  /// method and its parameters are checked before any pass runs. Throws InputError (method, parameters, target,
  /// device), OperationCancelled.
  CaseExplanation explain(const std::shared_ptr<const Study>& study, const CaseExplainRequest& request,
                          const TaskControl& control = {});
  /// Throws InputError naming the request's report folder when it holds files and the request does
  /// not replace them (what analyse() checks first; front ends ask before they predict).
  static void checkReportFolder(const CaseAnalysisRequest& request);
  /// Analyses the case, predicting first unless the cached prediction serves it; writes the report
  /// when the request names a folder (checked before any pass runs). Throws InputError,
  /// OperationCancelled.
  CaseExplanation analyse(const std::shared_ptr<const Study>& study, const CaseAnalysisRequest& request,
                          const TaskControl& control = {});

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace voxplain
