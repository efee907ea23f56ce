#pragma once
// The app's long work on a model: opening a package, predicting, explaining. One AnalysisWorker
// lives on its own QThread and holds the ModelPackage (LibTorch modules are used from that thread
// only); requests arrive as queued calls, so jobs run one after another in the order asked (the
// queue), and results travel back by value (shared immutable core types) over queued signals.
// Progress and cancel go through core's TaskControl: cancel() may be called from any thread.

#include <QObject>
#include <QString>
#include <QStringList>
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "DisplayLayers.h"
#include "analysis/InstanceStatistics.h"
#include "analysis/SegmentImportance.h"
#include "attribution/ParameterSet.h"
#include "io/StudyReader.h"
#include "logic/CaseLogic.h"
#include "model/ModelManifest.h"
#include "model/NnunetFolder.h"
#include "task/TaskControl.h"
#include "volume/Study.h"

namespace voxplain::ui {

/// One named submodule of the model (model/ModelPackage.h, SubmoduleInfo).
struct ModelLayer {
  QString name;      ///< dotted path, e.g. "dec1.conv2"
  QString type;      ///< e.g. "Conv3d"
  int channels = 0;  ///< output channels in a dry run; 0 when the forward pass does not reach it
};

/// What the app shows of an opened model package (copied out of the worker; core's ModelDescription
/// in Qt's types).
struct ModelSummary {
  QString path;
  QString name;
  QString version;
  QStringList inputs;              ///< manifest input names, in channel order
  bool inputNamesGuessed = false;  ///< `inputs` are placeholders (ModelManifest::inputNamesGuessed)
  std::vector<LabelInfo> labels;   ///< one per output channel
  QStringList layerGroups;         ///< "decoder: dec1, dec2"
  std::vector<ModelLayer> layers;  ///< every named submodule (the layer-activation browser)
  QStringList devices;             ///< "auto", "cpu", then "cuda:N" for each CUDA device found
  QStringList notes;               ///< how the manifest was obtained (defaults, MONAI mapping)
  int defaultTargetLabel = 1;
};

/// One unit of work for the worker.
struct JobRequest {
  /// Instances: every predicted instance of the class explained on its own (target instance=all),
  /// with its statistics (analysis/InstanceStatistics.h). CaseAnalysis: modality importance (share
  /// of |A| and exact Shapley values) and Agg^2Exp over every predicted class
  /// (analysis/CaseAggregation.h). Report: a CaseAnalysis whose results are also written as a
  /// report folder (report/CaseReport.h).
  enum class Kind { Predict, Explain, Instances, CaseAnalysis, Report };
  int id = 0;  ///< increasing, given by the caller
  Kind kind = Kind::Explain;
  std::shared_ptr<const Study> study;
  std::string device = "auto";
  std::string method;       ///< Explain: a registry name (attribution/AttributionMethod.h)
  ParameterSet parameters;  ///< typed values, checked against the method's registry entry by the job
  /// Explain: what is explained (attribution/Target.h: TargetSpec::ofClass, atVoxel, inBoxMm);
  /// Instances: every instance of its class; CaseAnalysis and Report: the class whose maps are shown.
  TargetSpec target;
  /// Instances: a reference segmentation on the study grid (non-zero = the class) for TP/FP, or null.
  std::shared_ptr<const LabelVolume> reference;
  /// Report: the folder, the study's inputs (their file names go in the README; DICOM inputs give
  /// DICOM objects), whether the patient's identity goes into those, and whether the folder may
  /// already hold files.
  std::string reportFolder;
  std::vector<StudyInput> inputs;
  bool keepPatientIdentity = false, replaceReport = false;
  /// What the jobs list shows, e.g. "Grad-CAM, class 1 (lesion)".
  QString title() const;
};

/// A finished prediction on the study it was made for.
struct PredictionResult {
  int jobId = 0;
  std::shared_ptr<const Study> study;
  std::shared_ptr<const LabelVolume> labels;           ///< the prediction's labels (study grid)
  std::shared_ptr<const DisplayLabels> displayLabels;  ///< prepared for the slice panes
  bool endsJob = false;  ///< true for a Predict job (an explanation's prediction is one step of it)
  QString summary;       ///< "cpu, 2.1 s, 1 234 voxels labelled"
};

/// A finished explanation, ready to display (all numbers from core, computed in the worker).
struct ExplanationResult {
  int jobId = 0;
  std::shared_ptr<const Study> study;
  QString method;       ///< registry name
  QString methodLabel;  ///< for people
  QString target;       ///< "class=1"
  QString parameters;   ///< every parameter with the value used, "steps=32, rule=riemann"
  QString device;
  double seconds = 0.0;  ///< the method alone
  std::vector<std::string> modalities;
  /// One map per modality (study grid), for the target region.
  std::shared_ptr<const std::vector<Volume>> maps;
  std::vector<double> modalityShares;  ///< share of |A| per modality (analysis/ModalityImportance.h)
  /// False when every modality's map is the same (CAM methods: one map for all sequences), so the
  /// shares say nothing about the modalities; set with the maps, kept when they go to disk.
  bool separableByModality = true;
  /// CaseAnalysis jobs: phi_m / sum |phi| of the exact modality Shapley values (else empty).
  std::vector<double> shapleyShares;
  /// Share of |A| in each predicted segment (Agg^2Exp over the model's own labels: for this one
  /// target, or for every predicted class in CaseAnalysis jobs).
  std::shared_ptr<const SegmentImportance> segments;
  std::shared_ptr<const LabelVolume> predictedLabels;  ///< the segmentation explained (study grid)
  /// `maps` and `predictedLabels` prepared for the slice panes (DisplayLayers.h).
  std::shared_ptr<const DisplayHeatmaps> displayMaps;
  std::shared_ptr<const DisplayLabels> displayLabels;
  /// Instances jobs: the statistics, and each instance's own maps ([instance id - 1][modality]);
  /// `maps` then holds the largest instance's maps.
  std::shared_ptr<const InstanceReport> instances;
  std::shared_ptr<const std::vector<std::vector<Volume>>> instanceMaps;
};

/// A run's voxels, as kept in memory or read back from disk (RunHistory) for saving a session.
struct RunVoxels {
  std::shared_ptr<const std::vector<Volume>> maps;                       ///< null: unreadable
  std::shared_ptr<const std::vector<std::vector<Volume>>> instanceMaps;  ///< null: not an instances run
};

class AnalysisWorker : public QObject {
  Q_OBJECT
 public:
  AnalysisWorker();
  ~AnalysisWorker() override;
  /// Stops the running job at its next checkpoint. Thread-safe.
  void cancelCurrent() { token_.cancel(); }
  /// Stops the running job and drops every queued job with an id below `firstKept`. Thread-safe.
  void cancelUpTo(int firstKept) {
    dropBelow_.store(firstKept);
    token_.cancel();
  }

  /// The niceness of the analysis thread: `VOXPLAIN_JOB_NICE` (0 to 19; 0 keeps the GUI's own
  /// priority), 10 when unset or not a number. Nice 10 keeps the window responsive on a desktop but
  /// lets every other busy process on the machine go first: with three busy processes beside it a
  /// job ran 9x slower than alone (ctest runs the GUI tests with 0 for that reason).
  static int jobNiceness();

 public Q_SLOTS:
  /// Lowers the calling thread's scheduling priority (jobNiceness(), nice 10 by default, on Linux),
  /// and with it that of the compute threads LibTorch starts from it: the GUI thread then wins the
  /// CPU whenever it needs it, and the jobs use every cycle it leaves. Call first, in the worker's
  /// thread.
  void lowerPriority();
  /// Opens a manifest, a bare TorchScript file, a MONAI bundle or an nnU-Net folder with `nnunet`'s
  /// choices (model/ModelPackage.h).
  void openModel(const QString& path, const voxplain::NnunetChoice& nnunet = {});
  /// Names the open model's inputs when its file names none (ModelPackage::nameInputs); a refused
  /// name is reported through modelFailed.
  void nameInputs(const QStringList& names);
  void run(const voxplain::ui::JobRequest& request);

 Q_SIGNALS:
  void modelOpened(const voxplain::ui::ModelSummary& summary);
  void modelFailed(const QString& message);
  void jobStarted(int id);
  /// fraction in [0, 1] of the running job.
  void progress(int id, double fraction, const QString& stage);
  void predicted(const voxplain::ui::PredictionResult& result);
  void explained(const voxplain::ui::ExplanationResult& result);
  void jobFailed(int id, const QString& message);
  void jobCancelled(int id);
  /// A Report job wrote its folder: the files (relative to it) and notes for the user.
  void reported(int id, const QString& folder, const QStringList& files, const QStringList& notes);

 private:
  /// Runs the model unless the logic's last prediction serves `request` (a Predict job always
  /// predicts anew) and emits predicted() when it ran.
  void predictFor(const JobRequest& request, const TaskControl& control);
  /// Explain and Instances jobs after their prediction.
  void runExplanation(const JobRequest& request, const TaskControl& control);
  /// CaseAnalysis and Report jobs after their prediction: shares, Shapley shares, the class x
  /// segment matrix and the report folder.
  void runCaseAnalysis(const JobRequest& request, const TaskControl& control);
  /// The app's result of core's: Qt strings, shared volumes, and the maps and labels prepared for
  /// the slice panes (DisplayLayers.h) in this thread.
  /// The core request of a CaseAnalysis or Report job.
  static CaseAnalysisRequest caseAnalysisRequest(const JobRequest& request);
  ExplanationResult resultOf(const JobRequest& request, CaseExplanation&& e);
  /// The labels prepared for the panes, once per prediction.
  std::shared_ptr<const DisplayLabels> displayLabelsOf(const std::shared_ptr<const LabelVolume>& labels);
  CaseLogic logic_;
  std::shared_ptr<const LabelVolume> displayedLabels_;  ///< what displayLabels_ was prepared from
  std::shared_ptr<const DisplayLabels> displayLabels_;
  CancellationToken token_;
  std::atomic<int> dropBelow_{0};
};

}  // namespace voxplain::ui

Q_DECLARE_METATYPE(voxplain::ui::ModelSummary)
Q_DECLARE_METATYPE(voxplain::ui::JobRequest)
Q_DECLARE_METATYPE(voxplain::ui::PredictionResult)
Q_DECLARE_METATYPE(voxplain::ui::ExplanationResult)
