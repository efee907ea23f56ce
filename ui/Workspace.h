#pragma once
// The application's state, without any widget (like ITK-SNAP's GlobalUIModel or Slicer's scene):
// the study and what it was read from, the open model, the prediction and the reference
// segmentation on that study, the jobs (a list model, JobQueue.h) and the runs they made
// (RunHistory.h), the session file, and the two workers that do the long work on their own threads
// (StudyLoadWorker for files, AnalysisWorker for the model). Views listen to its signals and call
// its functions; it shows nothing and asks nothing.
//
// Every request to the loading worker is kept as an explicit entry until its answer arrives (the
// worker answers in order, once per request), so what an answer is for (a study with overlays to
// follow, a reference, a session's runs) is never a flag to remember.

#include <QObject>
#include <QString>
#include <QStringList>
#include <QThread>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "AnalysisJobs.h"
#include "StudyLoadWorker.h"
#include "model/NnunetFolder.h"

namespace voxplain::ui {

class JobQueue;
class RunHistory;

class Workspace : public QObject {
  Q_OBJECT
 public:
  explicit Workspace(QObject* parent = nullptr);
  /// Cancels what runs and waits for both workers and the thread pool.
  ~Workspace() override;

  // --- The study ---------------------------------------------------------------------------------
  /// Reads `inputs` (one modality each) in the loading worker; then, when given, a label map and one
  /// attribution map per modality on it. studyOpened (then overlaysOpened), seriesChoiceNeeded
  /// (a folder of several series), loadCancelled or loadFailed follow.
  void openStudy(const std::vector<StudyInput>& inputs, const QString& labels = {}, const QStringList& heatmaps = {});
  /// Reads a label map and/or one attribution map per modality onto the open study (none open:
  /// nothing happens); overlaysOpened or loadFailed follow.
  void openOverlays(const QString& labels, const QStringList& heatmaps);
  /// Reads a reference segmentation (non-zero = the class) onto the study, once one is open;
  /// referenceOpened or loadFailed follow.
  void openReference(const QString& path);
  /// Reads a cohort result of `voxplain-cli merge`; cohortOpened or loadFailed follow.
  void openCohort(const QString& path);
  /// Gives the study's modalities the model's input names (volumeOfInput: per model input, the
  /// index of the study's volume); studyRenamed follows.
  void renameModalities(const std::vector<int>& volumeOfInput);
  std::shared_ptr<const Study> study() const { return study_; }
  /// What the study was read from (modality c: input c).
  const std::vector<StudyInput>& studyInputs() const { return studyInputs_; }
  /// The study prepared for the slice panes.
  std::shared_ptr<const DisplayStudy> display() const { return display_; }
  /// The loader's notes on the study (resampling, JPEG 2000, missing attributes).
  const QStringList& studyNotes() const { return studyNotes_; }
  /// The study's file names ("demo_flair.nii.gz + demo_t1.nii.gz"; never a machine's path).
  QString studyTitle() const;
  /// The loading worker (the series browser scans folders with it).
  StudyLoadWorker* loader() const { return loader_; }

  // --- The model ---------------------------------------------------------------------------------
  /// Opens a model package in the analysis worker; modelOpened or modelFailed follow.
  void openModel(const QString& path, const NnunetChoice& nnunet = {});
  bool modelOpen() const { return modelOpen_; }
  /// The open model as the analysis worker described it (empty before one is open).
  const ModelSummary& model() const { return model_; }
  /// "name version" of the open model (figure captions, DICOM exports).
  QString modelTitle() const;
  /// The label values' names (the model's; tests may set others).
  const std::map<int, std::string>& labelNames() const { return labelNames_; }
  void setLabelNames(const std::map<int, std::string>& names) { labelNames_ = names; }
  /// Names the inputs of a model whose file names none, in channel order (a refused name comes
  /// back through modelFailed).
  void nameModelInputs(const QStringList& names);

  // --- What was computed on the study ------------------------------------------------------------
  /// The prediction on the study (null: none yet).
  std::shared_ptr<const LabelVolume> prediction() const { return prediction_; }
  /// Sets the segmentation shown as the study's prediction (a run's, or a label map opened).
  void setPrediction(std::shared_ptr<const LabelVolume> labels) { prediction_ = std::move(labels); }
  /// The reference segmentation (null: none).
  std::shared_ptr<const LabelVolume> reference() const { return reference_; }

  // --- Jobs and runs -----------------------------------------------------------------------------
  /// Queues `request` on the open study (its id, study and title filled in here); 0 when no model
  /// or no study is open. jobStarted, jobProgress, then predicted / explained / reportWritten and
  /// the job's end (jobFailed, jobCancelled, or its state Done in jobs()) follow.
  int queue(JobRequest request);
  /// Stops the running job and drops the queued ones, and stops loading.
  void cancel();
  /// Stops the running job and drops the queued ones.
  void cancelJobs();
  JobQueue* jobs() const { return jobs_; }
  RunHistory* runs() const { return runs_; }
  /// The job running now (0: none).
  int runningJob() const { return runningJob_; }
  /// The run shown (0: none); pinned in runs() so that its maps stay in memory.
  int shownRun() const { return shownRun_; }
  void setShownRun(int id);
  /// The run whose instance table is shown (0: none).
  int instanceRun() const { return instanceRun_; }
  void setInstanceRun(int id) { instanceRun_ = id; }
  /// Runs of the open study not written to a session file yet.
  int unsavedRuns() const;
  /// True while a load or a job is outstanding (busyChanged follows every change).
  bool busy() const { return busy_; }

  // --- Sessions ----------------------------------------------------------------------------------
  /// Writes the session (study, model, prediction, every run of the study with its maps, `view`) to
  /// `path` on the thread pool; sessionSaved follows. An existing file is replaced only when
  /// `replace`. No study open: sessionSaved with the reason, at once.
  void saveSession(const QString& path, bool replace, const nlohmann::json& view);
  /// True while a session file is being written.
  bool savingSession() const { return savingSession_; }
  /// Reads a session, then opens its model, study, prediction and runs; sessionRestored (or
  /// loadFailed) follows.
  void openSession(const QString& path);

 Q_SIGNALS:
  /// A study is open (study() is it now); `overlaysFollow`: its label map or maps are being read
  /// (overlaysOpened follows).
  void studyOpened(const voxplain::ui::LoadedStudy& study, bool overlaysFollow);
  void studyRenamed();
  void overlaysOpened(const voxplain::ui::LoadedOverlays& overlays);
  void referenceOpened();
  void cohortOpened(std::shared_ptr<const voxplain::CohortSummary> cohort);
  void seriesChoiceNeeded(const QString& folder, const QString& message);
  void loadProgress(double fraction, const QString& stage);
  void loadCancelled();
  void loadFailed(const QString& message);
  void modelOpened(const voxplain::ui::ModelSummary& model);
  void modelFailed(const QString& message);
  void jobStarted(int id);
  /// The running job's progress: `text` names the job, its stage, the percentage and the time left
  /// (estimated from the last 10 s of progress).
  void jobProgress(int id, double fraction, const QString& text);
  /// A prediction on the study open now (the job, when a Predict job, is done).
  void predicted(const voxplain::ui::PredictionResult& result);
  /// A finished explanation, already in runs() (of the open study or not: compare result.study).
  void explained(const voxplain::ui::ExplanationResult& result);
  void reportWritten(int jobId, const QString& folder, const QStringList& files, const QStringList& notes);
  void jobFailed(int jobId, const QString& message);
  void jobCancelled(int jobId);
  void busyChanged(bool busy);
  /// After saveSession to `path`: the error (empty on success) and how many runs the file holds.
  void sessionSaved(const QString& path, const QString& error, int runs);
  /// After openSession: its runs are in runs() and jobs(); `shownRun` is the run it showed (0:
  /// none), `view` its view, `notes` what could not be restored.
  void sessionRestored(int shownRun, const nlohmann::json& view, const QStringList& notes, int runs);

  // Requests to the workers (queued connections to their threads).
  void requestLoad(const std::vector<voxplain::StudyInput>& inputs);
  void requestOverlays(std::shared_ptr<const voxplain::Study> study, const QString& labels,
                       const QStringList& heatmaps);
  void requestCohort(const QString& path);
  void requestSession(const QString& path);
  void requestSessionRuns(std::shared_ptr<const voxplain::Study> study, const voxplain::Session& session,
                          std::shared_ptr<const voxplain::LabelVolume> labels);
  void requestModel(const QString& path, const voxplain::NnunetChoice& nnunet);
  void requestJob(const voxplain::ui::JobRequest& request);
  void requestInputNames(const QStringList& names);

 private:
  /// One request to the loading worker, until its answer arrives.
  struct LoadRequest {
    enum class Kind { Study, Overlays, Reference, Cohort, Session, SessionRuns };
    Kind kind = Kind::Study;
    QString labels;        ///< Study: a label map to read once the study is open
    QStringList heatmaps;  ///< Study: maps to read once the study is open
  };
  void askLoader(LoadRequest request);
  /// The answered request (the oldest); a Study request when none is outstanding.
  LoadRequest answered();
  void onLoaded(const LoadedStudy& result);
  void onOverlays(const LoadedOverlays& result);
  void onLoadFailed(const QString& message);
  void onSessionRead(const Session& session);
  void continueSessionRestore(const std::shared_ptr<const LabelVolume>& labels);
  void finishSessionRestore(const std::vector<ExplanationResult>& runs, const QStringList& notes);
  void onJobStarted(int id);
  void onJobProgress(int id, double fraction, const QString& stage);
  void onPredicted(const PredictionResult& result);
  void onExplained(const ExplanationResult& result);
  void onJobEnded(int id);
  void updateBusy();

  QThread loaderThread_, analysisThread_;
  StudyLoadWorker* loader_ = nullptr;
  AnalysisWorker* analysis_ = nullptr;
  std::deque<LoadRequest> loads_;  ///< requests to the loader not answered yet, oldest first
  QString referenceAfterLoad_;     ///< a reference asked for before any study was open

  std::shared_ptr<const Study> study_;
  std::vector<StudyInput> studyInputs_;
  std::shared_ptr<const DisplayStudy> display_;
  QStringList studyNotes_;

  bool modelOpen_ = false;
  ModelSummary model_;
  std::map<int, std::string> labelNames_;

  std::shared_ptr<const LabelVolume> prediction_;
  std::shared_ptr<const LabelVolume> reference_;

  JobQueue* jobs_ = nullptr;
  RunHistory* runs_ = nullptr;
  int nextJobId_ = 1;
  int runningJob_ = 0;
  int shownRun_ = 0;
  int instanceRun_ = 0;
  qint64 jobStartedMs_ = 0;
  std::deque<std::pair<qint64, double>> progressSamples_;  ///< the running job's recent (ms, fraction)
  bool busy_ = false;

  std::optional<Session> restoring_;  ///< a session being opened
  std::set<int> savedRuns_;           ///< runs written to (or restored from) a session file
  bool savingSession_ = false;
};

}  // namespace voxplain::ui
