#pragma once
// The main window: a 3D view of the study beside linked slice panes (one column per modality)
// with label and attribution overlays, the layer controls, the geometry panel, the model and method
// panel with its jobs, progress with ETA and cancel. It builds and wires the views; the state they
// show (study, model, prediction, jobs, runs, sessions) and the workers are the Workspace's
// (Workspace.h), which it holds and which can be used and tested without any widget.

#include <QMainWindow>
#include <QStringList>
#include <map>
#include <memory>
#include <string>

#include "AnalysisJobs.h"
#include "ColorMaps.h"
#include "DicomExport.h"
#include "FigureExport.h"
#include "SessionRuns.h"
#include "StudyLoadWorker.h"
#include "Workspace.h"
#include "model/NnunetFolder.h"

class QAction;
class QDockWidget;
class QDragEnterEvent;
class QDropEvent;
class QMenu;
class QProgressBar;
class QPushButton;

namespace voxplain::render {
class VtkView;
class VolumeScene;
}  // namespace voxplain::render

namespace voxplain::ui {

class AnalysisPanel;
class ExplainPanel;
class GeometryPanel;
class InputAssignmentDialog;
class InstanceTable;
class LayerBrowser;
class LayerControls;
class PresentationMode;
class RunHistory;
class SeriesBrowser;
class SliceViewModel;
class SlicePanel;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  /// Starts loading `paths` (one modality each) in the worker thread; then, when given, a label map
  /// and one attribution map per modality (shown as overlays; colours from `labelColors`).
  void openStudy(const QStringList& paths, const QString& labels = {}, const QStringList& heatmaps = {});
  /// Starts loading a study given as inputs (a series of a folder each, or files; io/StudyReader.h).
  void openInputs(const std::vector<StudyInput>& inputs);
  /// Opens the series browser on `folder` (scanning starts at once); the ticked series open as the
  /// study. Returns the dialog (it deletes itself when closed).
  SeriesBrowser* browseDicomFolder(const QString& folder);
  /// The model's inputs for the study's volumes: proposed from names (model/InputAssignment.h) and
  /// applied at once when every input matched by name or description, else (or when `ask`) shown in
  /// a dialog for the user to confirm or change. A model whose file names no input (a bare
  /// TorchScript file) takes the study's volumes in order, with their names, when the counts agree.
  /// Returns the dialog when one was opened.
  InputAssignmentDialog* assignModelInputs(bool ask = false);
  /// Names of label values for the charts (e.g. from a model manifest).
  void setLabelNames(const std::map<int, std::string>& names) { workspace_->setLabelNames(names); }
  /// Opens a model package in the analysis worker (modelShown or modelFailed follow). An nnU-Net
  /// results folder asks which configuration, folds, checkpoint and mirroring (NnunetChoiceDialog)
  /// when `ask` or when it holds several configurations; else nnUNetv2_predict's defaults.
  void openModel(const QString& path, bool ask = false);
  /// The bundled demo model, offered in File > Open the demo model (hidden when empty or missing).
  void setDemoModel(const QString& path);
  /// Queues a prediction, or an explanation with the panel's method, parameters and class. Returns
  /// the job id (0 when no model or study is open).
  int queuePrediction();
  int queueExplanation();
  /// Queues an explanation of every predicted instance of the panel's class (the instance table).
  int queueInstances();
  /// Queues modality importance (with Shapley values) and Agg^2Exp over every predicted class with
  /// the panel's method.
  int queueCaseAnalysis();
  /// Queues a report folder (report/CaseReport.h) of the panel's method over every predicted class
  /// into `folder` (refused by the job when it holds files, unless `replace`); reportWritten follows.
  int queueReport(const QString& folder, bool keepPatientIdentity = false, bool replace = false);
  /// Queues the feature map of one channel of a layer (-1: mean |activation| over its channels).
  int queueActivation(const QString& layer, int channel);
  /// Shows two finished runs side by side in the slice panes (each run's modalities, each scaled to
  /// its own 99.5th percentile of |A|); showing any run leaves the comparison. False when either
  /// is not a finished explanation of the study shown.
  bool compareRuns(int first, int second);
  /// Queues an explanation of the panel's class score at one point, or over a box (LPS mm; the
  /// box's extent along `normalAxis` is its smaller in-plane side, centred on the corners' slice).
  int queuePointExplanation(const std::array<double, 3>& lps);
  int queueBoxExplanation(const std::array<double, 3>& fromLps, const std::array<double, 3>& toLps, int normalAxis);
  /// Reads a reference segmentation (non-zero = the class) for TP/FP in the instance table; once a
  /// study is open (referenceShown follows, or loadFailed).
  void openReference(const QString& path);
  InstanceTable* instanceTable() const { return instanceTable_; }
  /// Opens a label map, or one attribution map per modality, as overlays on the open study.
  void openLabels(const QString& path);
  void openMaps(const QStringList& paths);
  /// Reads a cohort result of `voxplain-cli merge` in the worker and shows it in the Analysis dock
  /// (cohortShown or loadFailed follow).
  void openCohort(const QString& path);
  /// Studies (each its inputs: a file, or a series of a folder, per modality) and models opened before, newest first
  /// (QSettings "recent/studies", "recent/models"; at most 8 each).
  static QList<std::vector<StudyInput>> recentStudies();
  static QStringList recentModels();
  /// Once a study and a model are open, explains with `method` (the demo's first view);
  /// everythingShown follows the explanation, loadFailed a failure.
  void explainWhenReady(const QString& method, const QString& parameters = {});
  /// Stops the running job and drops the queued ones.
  void cancelJobs();
  ExplainPanel* explainPanel() const { return explain_; }
  /// Shows run `id` of the jobs list again (its maps brought back from disk first when they were
  /// moved there: explanationShown follows); a run of another study is refused with a message.
  void showRun(int id);
  /// The last explanation shown (null before the first).
  const ExplanationResult* shownExplanation() const;
  /// The session's runs (tests: how many keep their maps in memory).
  const RunHistory* runHistory() const { return workspace_->runs(); }
  /// The application's state and workers.
  Workspace* workspace() const { return workspace_; }
  AnalysisPanel* analysisPanel() const { return analysis_; }
  /// View > Presentation mode (F5): the full-screen walk-through.
  PresentationMode* presentation() const { return presentation_; }
  SliceViewModel* sliceModel() const { return sliceModel_; }
  SlicePanel* slicePanel() const { return slicePanel_; }
  /// The label colours of the 3D view: the model's, with the classes hidden in the legend left out.
  std::vector<render::LabelColor> labelColors3d() const;
  /// The segmentation's legend for a figure of the views: each class shown in the panes (none when
  /// no labels are shown).
  std::vector<FigureLegendEntry> figureLegend() const;
  /// Runs of the open study not written to a session file yet (Quit asks about them).
  int unsavedRuns() const;
  /// Resizes the window to `wanted`, or less where the screen is smaller, and moves it onto the
  /// screen (a window never starts or comes back larger than the screen it is on).
  void fitToScreen(QSize wanted);
  /// The maps the 3D view and the panes show now (a run's, or one instance's own); null: none.
  const std::vector<Volume>* mapsShown() const { return maps3d_.get(); }
  /// The 3D scene (tests: which overlays it holds).
  const render::VolumeScene* scene() const { return scene_.get(); }
  /// What File > Export to DICOM offers now: the study's inputs, the prediction shown (labels) and
  /// the shown explanation's maps, the model's label names; the folder beside the first input.
  DicomExportRequest dicomExportProposal() const;
  /// Writes `request` on the thread pool; dicomExported follows (status bar and notes on success,
  /// a warning on failure).
  void exportDicom(DicomExportRequest request);
  /// Saves the session to `path` (.voxplain: study, model, prediction, every run with its maps in
  /// "<stem>_files/", the view) on the thread pool; sessionSaved follows. An existing file is
  /// replaced only when `replace` is true.
  void saveSession(const QString& path, bool replace = false);
  /// Reads a session in the loading worker, then opens its model, study, prediction and runs, shows
  /// its shown run and restores the view; sessionRestored (or loadFailed) follows.
  void openSession(const QString& path);
  /// The view as JSON (layer controls, cursor, centre, zoom) and back; unknown keys are ignored.
  nlohmann::json viewState() const;
  void applyViewState(const nlohmann::json& view);
  /// Window geometry and dock layout from QSettings (the app calls it; tests keep the default layout).
  void restoreLayout();
  /// What File > Export figure can draw now: "Whole window", "3D view", "<modality> <orientation>"
  /// per slice pane, and "Analysis charts" when charts are shown.
  QStringList figureSubjects() const;
  /// The caption proposed for figures: the run shown (model, method, parameters, target, device,
  /// time, study) and the maps' colour range with its percentile; "" before any run.
  QString figureCaption() const;
  /// Draws `subject` (one of figureSubjects) into `file` (FigureExport.h: PNG, SVG or PDF by suffix).
  /// Returns an empty string, or why it failed; never replaces a file unless `replace`.
  QString exportFigure(const QString& subject, const QString& file, const FigureOptions& options, bool replace = false);
  /// The model's prediction on the study shown (null: none yet).
  std::shared_ptr<const LabelVolume> prediction() const { return workspace_->prediction(); }
  /// The study currently shown (null before the first load).
  std::shared_ptr<const Study> study() const { return workspace_->study(); }

 Q_SIGNALS:
  void studyShown();
  void cohortShown();
  /// After the study and any requested overlays are on screen.
  void everythingShown();
  void loadFailed(const QString& message);
  void modelShown();
  /// A Report job wrote `folder` (files relative to it).
  void reportWritten(int jobId, const QString& folder, const QStringList& files);
  /// After saveSession: the error (empty on success).
  void sessionSaved(const QString& error);
  /// After openSession, once its runs are in the jobs list and its shown run and view are on screen.
  void sessionRestored();
  /// After exportDicom: the files written, and the error (empty on success).
  void dicomExported(const QStringList& files, const QString& error);
  void referenceShown();
  void modelFailed(const QString& message);
  void predictionShown(int jobId);
  void explanationShown(int jobId);
  void jobFailed(int jobId, const QString& message);
  void jobCancelled(int jobId);
  /// The running job's progress as the status bar shows it: `text` names the job, its stage, the
  /// percentage and the time left (presentation mode shows it while the status bar is hidden).
  void jobProgressShown(double fraction, const QString& text);

 private Q_SLOTS:
  void onStudyOpened(const voxplain::ui::LoadedStudy& result, bool overlaysFollow);
  void onOverlays(const voxplain::ui::LoadedOverlays& result);
  void onFailed(const QString& message);
  void chooseFiles();
  void chooseDicomFolder();
  void chooseModel();
  void chooseReference();
  void chooseDicomExport();
  void chooseFigureExport();
  void chooseSessionToSave();
  void chooseSessionToOpen();
  void onSessionSaved(const QString& path, const QString& error, int runs);
  void onSessionRestored(int shownRun, const nlohmann::json& view, const QStringList& notes, int runs);
  void showInstance(int id, const std::array<double, 3>& centroidMm);
  void onModelOpened(const voxplain::ui::ModelSummary& model);
  void onPredicted(const voxplain::ui::PredictionResult& result);
  void onExplained(const voxplain::ui::ExplanationResult& result);

 protected:
  /// Remembers the window geometry and dock layout (QSettings) when the window closes.
  void closeEvent(QCloseEvent* event) override;
  /// Files or folders dropped on the window: a model file (.json, .pt, .ts) opens as the model, the
  /// rest as a study (one per modality).
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  /// The docks and the status bar's progress and cancel (MainWindow.cpp).
  void buildDocks();
  /// What the Workspace says, shown (MainWindow.cpp).
  void connectWorkspace();
  /// File and View menus (MainWindowMenus.cpp).
  void buildMenus();
  void rememberRecent(const QString& key, const QString& entry);
  /// A slice pane's name in File > Export figure: "<modality> <orientation>".
  QString paneSubject(int modality, int orientation) const;
  /// The folder a file dialog of `kind` ("images", "dicom", "models", "session") last used, and
  /// remembering it from a chosen path (QSettings "folders/<kind>").
  static QString lastFolder(const char* kind);
  static void rememberFolder(const char* kind, const QString& chosenPath);
  void fillRecentMenu();
  void setBusy(bool busy);
  /// A warning for the user (only when the window is shown), without blocking.
  void warn(const QString& title, const QString& message);
  /// Gives the study's modalities the model's input names (volumeOfInput: per input, a modality).
  void applyInputAssignment(const std::vector<int>& volumeOfInput);
  /// Gives a model whose file names no input the names of the volumes assigned to its inputs.
  void nameModelInputs(const std::vector<int>& volumeOfInput);
  int queueJob(JobRequest request);
  /// A request of `kind` with the panel's method, parameters and class.
  JobRequest panelRequest(JobRequest::Kind kind) const;
  /// Shows a run: its maps, its prediction, its charts and caption (MainWindowRuns.cpp).
  void showExplanation(const ExplanationResult& result);
  /// A run whose maps came back from disk (RunHistory::ready): shown, compared or its instance shown.
  void onRunReady(int id);
  /// Back from compareRuns() to one pane per modality (cursor and zoom kept).
  void leaveComparison();
  /// The maps whose chosen modality the 3D view shows (LayerControls::mapModality), with the
  /// slice panes' colour range and threshold.
  void setMapsIn3d(std::shared_ptr<const std::vector<Volume>> maps);
  void update3dMap();
  /// Runs `build()` on the thread pool and `show(result)` on this thread, unless a newer request
  /// with the same counter was made meanwhile (the newest wins; older results are dropped).
  template <class Build, class Show>
  void newestOffThread(int& generation, Build build, Show show);
  /// Label surfaces for the 3D view, built on the thread pool (the newest request wins).
  void show3dLabels(const std::shared_ptr<const LabelVolume>& labels);
  void startPendingExplanation();

  Workspace* workspace_ = nullptr;
  render::VtkView* view_ = nullptr;
  std::unique_ptr<render::VolumeScene> scene_;
  GeometryPanel* geometry_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QPushButton* cancel_ = nullptr;
  bool comparing_ = false;                             ///< the panes show two runs side by side
  std::shared_ptr<const std::vector<Volume>> maps3d_;  ///< the maps of the run shown
  LayerControls* layerControls_ = nullptr;
  int heatmapGeneration_ = 0, labelsGeneration_ = 0;  ///< the newest 3D mesh requests
  int instanceGeneration_ = 0;                        ///< the newest instance map asked for
  QString demoModel_;
  QAction* demoModelAction_ = nullptr;
  SliceViewModel* sliceModel_ = nullptr;
  SlicePanel* slicePanel_ = nullptr;
  AnalysisPanel* analysis_ = nullptr;
  InstanceTable* instanceTable_ = nullptr;
  LayerBrowser* layerBrowser_ = nullptr;
  QDockWidget* instanceDock_ = nullptr;
  QMenu* recentMenu_ = nullptr;
  PresentationMode* presentation_ = nullptr;
  ExplainPanel* explain_ = nullptr;
  /// What waits for a run's maps to come back from disk (RunHistory::restore): the run to show,
  /// an instance of the instance table's run to show, two runs to compare (0: nothing waits).
  int showAfterRestore_ = 0;
  int instanceAfterRestore_ = 0;
  std::pair<int, int> compareAfterRestore_{0, 0};
  bool closeAfterSave_ = false;  ///< Quit asked to save first: close once it is written
  /// The demo's first explanation: asked for (method, parameters) and queued once a study and a
  /// model are open (its job id; 0 before).
  QString autoMethod_, autoParameters_;
  int autoJob_ = 0;
  std::vector<render::LabelColor> labelColors_{
      {1, {230, 70, 50}}, {2, {60, 180, 75}}, {3, {0, 130, 200}}, {4, {245, 130, 48}}};
};

}  // namespace voxplain::ui
