#include "MainWindow.h"

#include "AnalysisPanel.h"

#include <QDateTime>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QStatusBar>
#include <QThreadPool>
#include <QTimer>
#include <QUrl>
#include <algorithm>
#include <cmath>
#include <utility>

#include <vtkGenericRenderWindowInteractor.h>
#include <vtkRenderer.h>

#include <QScrollArea>
#include <QSplitter>

#include "ExplainPanel.h"
#include "GeometryPanel.h"
#include "InputAssignmentDialog.h"
#include "InstanceTable.h"
#include "LabelLegend.h"
#include "LayerBrowser.h"
#include "LayerControls.h"
#include "NnunetChoiceDialog.h"
#include "RunHistory.h"
#include "SeriesBrowser.h"
#include "SlicePanel.h"
#include "SliceViewModel.h"
#include "VolumeScene.h"
#include "VtkView.h"
#include "model/NnunetFolder.h"

namespace voxplain::ui {
namespace {
// A run as the Analysis dock's comparison charts need it.
AnalysisPanel::RunCharts runChart(const ExplanationResult& run) {
  return {QObject::tr("run %1, %2").arg(run.jobId).arg(run.methodLabel), run.modalities, run.modalityShares,
          run.separableByModality, run.segments};
}
}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setObjectName("mainWindow");
  setWindowTitle(tr("Voxplain"));
  qRegisterMetaType<voxplain::ui::LoadedStudy>();

  qRegisterMetaType<voxplain::ui::LoadedOverlays>();
  qRegisterMetaType<std::shared_ptr<const voxplain::Study>>();
  qRegisterMetaType<std::vector<voxplain::StudyInput>>();
  qRegisterMetaType<std::shared_ptr<const voxplain::CohortSummary>>();
  qRegisterMetaType<std::shared_ptr<const voxplain::DicomCatalog>>();
  qRegisterMetaType<voxplain::Session>();
  qRegisterMetaType<voxplain::NnunetChoice>();
  qRegisterMetaType<std::vector<voxplain::ui::ExplanationResult>>();
  qRegisterMetaType<std::shared_ptr<const voxplain::LabelVolume>>();
  auto* splitter = new QSplitter(this);
  view_ = new render::VtkView(splitter);
  view_->setObjectName("view3d");
  sliceModel_ = new SliceViewModel(this);
  slicePanel_ = new SlicePanel(sliceModel_, splitter);
  slicePanel_->setObjectName("slicePanel");
  splitter->addWidget(view_);
  splitter->addWidget(slicePanel_);
  splitter->setStretchFactor(0, 2);
  splitter->setStretchFactor(1, 3);
  splitter->setSizes({520, 780});
  setCentralWidget(splitter);
  scene_ = std::make_unique<render::VolumeScene>();
  scene_->attach(view_->renderer(), view_->interactor());

  // One dock per panel; object names let tests and saved layouts find them. A panel of forms or
  // charts scrolls inside its dock, so that no panel's content sets the window's minimum size (the
  // window fits a 1366x768 projector and never grows by itself when a chart or a table fills).
  auto addDock = [this](const QString& title, const char* name, QWidget* widget, Qt::DockWidgetArea area,
                        bool scrolls = true) {
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(name);
    if (scrolls) {
      auto* scroll = new QScrollArea(dock);
      scroll->setObjectName(QString(name) + "Scroll");
      scroll->setWidgetResizable(true);
      scroll->setFrameShape(QFrame::NoFrame);
      scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
      scroll->setWidget(widget);
      dock->setWidget(scroll);
    } else {
      dock->setWidget(widget);
    }
    addDockWidget(area, dock);
    return dock;
  };
  geometry_ = new GeometryPanel(this);
  addDock(tr("Study"), "studyDock", geometry_, Qt::LeftDockWidgetArea);
  layerControls_ = new LayerControls(
      sliceModel_, scene_.get(), view_, [this] { return study_; }, this);
  connect(layerControls_->legend(), &LabelLegend::classesChanged, this, [this] { show3dLabels(predicted_); });
  addDock(tr("Layers"), "layersDock", layerControls_, Qt::LeftDockWidgetArea);
  // The 3D view follows the chosen modality, colour range and threshold; its iso-surfaces are
  // rebuilt once the controls rest (a slider drag would rebuild them at every step).
  auto* restyle = new QTimer(this);
  restyle->setSingleShot(true);
  restyle->setInterval(200);
  connect(restyle, &QTimer::timeout, this, &MainWindow::update3dMap);
  connect(layerControls_, &LayerControls::mapStyleChanged, restyle, qOverload<>(&QTimer::start));
  analysis_ = new AnalysisPanel(this);
  analysis_->setObjectName("analysisPanel");
  QDockWidget* analysisDock = addDock(tr("Analysis"), "analysisDock", analysis_, Qt::RightDockWidgetArea);
  explain_ = new ExplainPanel(this);
  explain_->setObjectName("explainPanel");
  QDockWidget* explainDock = addDock(tr("Model and method"), "explainDock", explain_, Qt::RightDockWidgetArea);
  splitDockWidget(explainDock, analysisDock, Qt::Vertical);
  instanceTable_ = new InstanceTable(this);
  instanceDock_ = addDock(tr("Instances"), "instanceDock", instanceTable_, Qt::RightDockWidgetArea, false);
  tabifyDockWidget(analysisDock, instanceDock_);
  layerBrowser_ = new LayerBrowser(this);
  layerBrowser_->setObjectName("layerBrowser");
  tabifyDockWidget(instanceDock_,
                   addDock(tr("Layer activations"), "layerActivationsDock", layerBrowser_, Qt::RightDockWidgetArea));
  connect(layerBrowser_, &LayerBrowser::activationRequested, this, &MainWindow::queueActivation);
  analysisDock->raise();
  connect(instanceTable_, &InstanceTable::instanceActivated, this, &MainWindow::showInstance);
  connect(explain_, &ExplainPanel::instancesRequested, this, &MainWindow::queueInstances);
  connect(explain_, &ExplainPanel::caseAnalysisRequested, this, &MainWindow::queueCaseAnalysis);
  connect(explain_, &ExplainPanel::compareRequested, this, &MainWindow::compareRuns);
  connect(slicePanel_, &SlicePanel::pointTargetRequested, this, &MainWindow::queuePointExplanation);
  connect(slicePanel_, &SlicePanel::boxTargetRequested, this, &MainWindow::queueBoxExplanation);
  connect(explain_, &ExplainPanel::openModelRequested, this, &MainWindow::chooseModel);
  connect(explain_, &ExplainPanel::predictRequested, this, &MainWindow::queuePrediction);
  connect(explain_, &ExplainPanel::explainRequested, this, &MainWindow::queueExplanation);
  history_ = new RunHistory(3, this);
  connect(explain_, &ExplainPanel::jobActivated, this, &MainWindow::showRun);
  connect(history_, &RunHistory::ready, this, [this](int id) {
    const ExplanationResult* run = history_->find(id);
    if (id == pendingShow_ && run && run->study == study_) showExplanation(*run);
    if (id == pendingShow_) pendingShow_ = 0;
    if (id == instanceRun_ && pendingInstance_ > 0) {
      const int instance = std::exchange(pendingInstance_, 0);
      if (run && run->instances)
        for (const InstanceStats& s : run->instances->instances)
          if (s.id == instance) showInstance(instance, s.centroidMm);
    }
    if (pendingCompare_.first == id || pendingCompare_.second == id) {
      const auto [a, b] = pendingCompare_;
      if (history_->hasVoxels(a) && history_->hasVoxels(b)) {
        pendingCompare_ = {0, 0};
        compareRuns(a, b);
      }
    }
  });
  connect(history_, &RunHistory::failed, this,
          [this](int, const QString& message) { statusBar()->showMessage(message); });

  progress_ = new QProgressBar(this);
  progress_->setObjectName("progressBar");
  progress_->setRange(0, 1000);
  progress_->setMaximumWidth(240);
  cancel_ = new QPushButton(tr("Cancel"), this);
  cancel_->setObjectName("cancelButton");
  statusBar()->addPermanentWidget(progress_);
  statusBar()->addPermanentWidget(cancel_);
  setBusy(false);

  buildMenus();
  setAcceptDrops(true);

  worker_ = new StudyLoadWorker;
  worker_->moveToThread(&workerThread_);
  connect(&workerThread_, &QThread::finished, worker_, &QObject::deleteLater);
  connect(this, &MainWindow::requestLoad, worker_, &StudyLoadWorker::load);
  connect(worker_, &StudyLoadWorker::loaded, this, &MainWindow::onLoaded);
  connect(this, &MainWindow::requestOverlays, worker_, &StudyLoadWorker::loadOverlays);
  connect(worker_, &StudyLoadWorker::overlaysLoaded, this, &MainWindow::onOverlays);
  connect(worker_, &StudyLoadWorker::failed, this, &MainWindow::onFailed);
  connect(this, &MainWindow::requestSession, worker_, &StudyLoadWorker::loadSession);
  connect(worker_, &StudyLoadWorker::sessionRead, this, &MainWindow::onSessionRead);
  connect(this, &MainWindow::requestSessionRuns, worker_, &StudyLoadWorker::loadSessionRuns);
  connect(worker_, &StudyLoadWorker::sessionRunsLoaded, this, &MainWindow::onSessionRuns);
  connect(this, &MainWindow::requestCohort, worker_, &StudyLoadWorker::loadCohort);
  connect(worker_, &StudyLoadWorker::cohortLoaded, this, [this](const std::shared_ptr<const CohortSummary>& cohort) {
    setBusy(false);
    analysis_->showCohort(*cohort);
    analysis_->setCaption(tr("Cohort of %n case(s)", nullptr, int(cohort->cases.size())) + "; " +
                          QString::fromStdString(cohort->provenance.dump()));
    findChild<QDockWidget*>("analysisDock")->raise();
    statusBar()->showMessage(tr("Cohort of %n case(s) shown in the Analysis panel", nullptr, int(cohort->cases.size())),
                             8000);
    Q_EMIT cohortShown();
  });
  connect(worker_, &StudyLoadWorker::seriesChoiceNeeded, this, [this](const QString& folder, const QString& message) {
    setBusy(false);
    statusBar()->showMessage(message, 8000);
    browseDicomFolder(folder);
  });
  connect(worker_, &StudyLoadWorker::progress, this, &MainWindow::onProgress);
  connect(worker_, &StudyLoadWorker::cancelled, this, [this] {
    setBusy(false);
    statusBar()->showMessage(tr("Loading cancelled"), 5000);
  });
  connect(cancel_, &QPushButton::clicked, this, [this] {
    worker_->cancel();
    cancelJobs();
  });
  workerThread_.start();

  qRegisterMetaType<voxplain::ui::ModelSummary>();
  qRegisterMetaType<voxplain::ui::JobRequest>();
  qRegisterMetaType<voxplain::ui::PredictionResult>();
  qRegisterMetaType<voxplain::ui::ExplanationResult>();
  analysisWorker_ = new AnalysisWorker;
  analysisWorker_->moveToThread(&analysisThread_);
  connect(&analysisThread_, &QThread::finished, analysisWorker_, &QObject::deleteLater);
  connect(&analysisThread_, &QThread::started, analysisWorker_, &AnalysisWorker::lowerPriority);
  connect(this, &MainWindow::requestModel, analysisWorker_, &AnalysisWorker::openModel);
  connect(this, &MainWindow::requestJob, analysisWorker_, &AnalysisWorker::run);
  connect(this, &MainWindow::requestInputNames, analysisWorker_, &AnalysisWorker::nameInputs);
  connect(analysisWorker_, &AnalysisWorker::modelOpened, this, &MainWindow::onModelOpened);
  connect(analysisWorker_, &AnalysisWorker::modelFailed, this, [this](const QString& message) {
    setBusy(false);
    statusBar()->showMessage(message);
    Q_EMIT modelFailed(message);
    if (autoJob_ == 0 && !autoMethod_.isEmpty()) Q_EMIT loadFailed(message);
    warn(tr("Cannot open the model"), message);
  });
  connect(analysisWorker_, &AnalysisWorker::jobStarted, this, [this](int id) {
    runningJob_ = id;
    jobStartedMs_ = QDateTime::currentMSecsSinceEpoch();
    progressSamples_.clear();
    setBusy(true);
    explain_->setJobState(id, tr("running"));
  });
  connect(analysisWorker_, &AnalysisWorker::progress, this, &MainWindow::onJobProgress);
  connect(analysisWorker_, &AnalysisWorker::predicted, this, &MainWindow::onPredicted);
  connect(analysisWorker_, &AnalysisWorker::explained, this, &MainWindow::onExplained);
  connect(analysisWorker_, &AnalysisWorker::reported, this,
          [this](int id, const QString& folder, const QStringList& files, const QStringList& notes) {
            statusBar()->showMessage(
                tr("Report written: %n file(s) in %1", nullptr, int(files.size())).arg(QFileInfo(folder).fileName()) +
                    (notes.isEmpty() ? QString() : " (" + notes.join("; ") + ")"),
                15000);
            Q_EMIT reportWritten(id, folder, files);
          });
  connect(analysisWorker_, &AnalysisWorker::jobFailed, this, [this](int id, const QString& message) {
    onJobEnded(id, tr("failed"));
    statusBar()->showMessage(message);
    Q_EMIT jobFailed(id, message);
    if (id == autoJob_)
      Q_EMIT loadFailed(message);
    else
      warn(tr("The job failed"), message);
  });
  connect(analysisWorker_, &AnalysisWorker::jobCancelled, this, [this](int id) {
    onJobEnded(id, tr("cancelled"));
    statusBar()->showMessage(tr("Cancelled: %1").arg(jobTitles_[id]), 5000);
    Q_EMIT jobCancelled(id);
    if (id == autoJob_) Q_EMIT loadFailed(tr("the demo explanation was cancelled"));
  });
  analysisThread_.start();
  fitToScreen(QSize(1600, 900));
}

void MainWindow::fitToScreen(QSize wanted) {
  // The frame (title bar, borders) is added by the window manager: leave room for it.
  const QRect available = (screen() ? screen() : QGuiApplication::primaryScreen())->availableGeometry();
  const QSize room = available.size() - QSize(16, 48);
  resize(wanted.boundedTo(room).expandedTo(minimumSizeHint().boundedTo(room)));
  const QRect frame = frameGeometry();
  if (!available.contains(frame))
    move(std::clamp(frame.x(), available.left(), std::max(available.left(), available.right() - frame.width())),
         std::clamp(frame.y(), available.top(), std::max(available.top(), available.bottom() - frame.height())));
}

MainWindow::~MainWindow() {
  QThreadPool::globalInstance()->waitForDone();  // 3D meshes being built refer to this window
  worker_->cancel();
  analysisWorker_->cancelUpTo(nextJobId_);
  workerThread_.quit();
  analysisThread_.quit();
  workerThread_.wait();
  analysisThread_.wait();
}

void MainWindow::openStudy(const QStringList& paths, const QString& labels, const QStringList& heatmaps) {
  if (paths.isEmpty()) return;
  pendingLabels_ = labels;
  pendingHeatmaps_ = heatmaps;
  setBusy(true);
  statusBar()->showMessage(tr("Loading %1").arg(paths.join(", ")));
  std::vector<StudyInput> inputs;
  for (const QString& path : paths) inputs.push_back({path.toStdString(), {}, {}});
  Q_EMIT requestLoad(inputs);
}

void MainWindow::openInputs(const std::vector<StudyInput>& inputs) {
  if (inputs.empty()) return;
  setBusy(true);
  statusBar()->showMessage(tr("Loading %n image(s)", nullptr, int(inputs.size())));
  Q_EMIT requestLoad(inputs);
}

SeriesBrowser* MainWindow::browseDicomFolder(const QString& folder) {
  auto* browser = new SeriesBrowser(worker_, this);
  browser->setAttribute(Qt::WA_DeleteOnClose);
  connect(browser, &QDialog::accepted, this, [this, browser] { openInputs(browser->chosenInputs()); });
  browser->open();
  browser->scan(folder);
  return browser;
}

void MainWindow::onLoaded(const LoadedStudy& result) {
  setBusy(false);
  study_ = result.study;
  studyInputs_ = result.inputs;
  predicted_ = nullptr;
  display_ = result.display;
  comparing_ = false;
  view_->show();
  studyNotes_ = result.notes;
  geometry_->showStudy(*study_, result.notes);
  layerControls_->showVolume();
  sliceModel_->setStudy(study_, result.display);
  analysis_->clear();
  statusBar()->showMessage(tr("Loaded %1 modalities").arg(study_->modalities().size()), 5000);
  explain_->setReady(modelOpen_, true);
  layerBrowser_->setReady(modelOpen_);
  QStringList entries;  // "path" or "path<TAB>series UID<TAB>name" per modality
  for (const StudyInput& in : result.inputs)
    entries << (in.series.empty() ? QString::fromStdString(in.path.string())
                                  : QStringList{QString::fromStdString(in.path.string()),
                                                QString::fromStdString(in.series), QString::fromStdString(in.name)}
                                        .join('\t'));
  rememberRecent("recent/studies", entries.join('\n'));
  assignModelInputs();
  reference_.reset();
  instanceTable_->clear();
  instanceRun_ = 0;
  // Nothing of the previous study stays on screen: its 3D surfaces and shells go (3D meshes still
  // being built for it are dropped), its runs stay in the list, marked as another study's.
  ++labelsGeneration_;
  ++heatmapGeneration_;
  ++instanceGeneration_;
  shownRun_ = 0;
  maps3d_.reset();
  scene_->clearOverlays();
  for (int id : history_->ids())
    if (history_->find(id)->study != study_) explain_->markJobOfAnotherStudy(id);
  if (!pendingReference_.isEmpty()) {
    overlayIsReference_.push_back(true);
    Q_EMIT requestOverlays(study_, pendingReference_, {});
    pendingReference_.clear();
  }
  Q_EMIT studyShown();
  startPendingExplanation();
  if (pendingLabels_.isEmpty() && pendingHeatmaps_.isEmpty()) {
    if (pendingSession_) continueSessionRestore(nullptr);
    if (autoMethod_.isEmpty()) Q_EMIT everythingShown();  // else after the explanation
    return;
  }
  setBusy(true);
  overlayIsReference_.push_back(false);
  Q_EMIT requestOverlays(study_, pendingLabels_, pendingHeatmaps_);
  pendingLabels_.clear();
  pendingHeatmaps_.clear();
}

void MainWindow::onOverlays(const LoadedOverlays& result) {
  const bool reference = !overlayIsReference_.empty() && overlayIsReference_.front();
  if (!overlayIsReference_.empty()) overlayIsReference_.pop_front();
  if (reference) {
    reference_ = result.labels;
    statusBar()->showMessage(tr("Reference segmentation open: the instance table marks true and false positives"),
                             8000);
    Q_EMIT referenceShown();
    return;
  }
  setBusy(false);
  leaveComparison();
  if (result.labels) {
    sliceModel_->setLabels(result.displayLabels, labelColors_);
    show3dLabels(result.labels);
  }
  if (pendingSession_) continueSessionRestore(result.labels);
  if (result.heatmaps) {
    std::vector<std::string> names;
    for (const Modality& m : study_->modalities()) names.push_back(m.name);
    analysis_->showAnalysis(names, result.modalityShares, result.segments.get(), labelNames_, {});
    sliceModel_->setHeatmaps(result.displayHeatmaps, tr("attribution"));
    setMapsIn3d(result.heatmaps);
  }
  view_->requestRender();
  for (const QString& note : result.notes) statusBar()->showMessage(note, 8000);
  if (autoMethod_.isEmpty()) Q_EMIT everythingShown();  // else after the explanation
}

void MainWindow::onFailed(const QString& message) {
  setBusy(false);
  pendingSession_.reset();
  statusBar()->showMessage(message);
  Q_EMIT loadFailed(message);
  warn(tr("Cannot open the study"), message);
}

void MainWindow::warn(const QString& title, const QString& message) {
  if (!isVisible()) return;
  // Window-modal and opened, not exec()'d: no nested event loop runs inside the slot that failed.
  auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->setObjectName("warningBox");
  box->open();
}

void MainWindow::onProgress(double fraction, const QString& stage) {
  progress_->setValue(int(fraction * 1000));
  statusBar()->showMessage(stage);
}

void MainWindow::chooseFiles() {
  const QStringList files =
      QFileDialog::getOpenFileNames(this, tr("Open images (one per modality)"), lastFolder("images"),
                                    tr("Images (*.nii *.nii.gz *.hdr *.dcm);;All files (*)"));
  if (!files.isEmpty()) rememberFolder("images", files.front());
  openStudy(files);
}

void MainWindow::chooseDicomFolder() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a DICOM folder"), lastFolder("dicom"));
  if (dir.isEmpty()) return;
  rememberFolder("dicom", dir + "/");
  browseDicomFolder(dir);
}

void MainWindow::setBusy(bool busy) {
  progress_->setVisible(busy);
  cancel_->setVisible(busy);
  if (busy) progress_->setValue(0);
}

void MainWindow::chooseModel() {
  const QString file =
      QFileDialog::getOpenFileName(this, tr("Open a model (manifest, TorchScript, or a MONAI bundle's metadata)"),
                                   lastFolder("models"), tr("Models (*.json *.pt *.ts *.pth);;All files (*)"));
  if (file.isEmpty()) return;
  rememberFolder("models", file);
  openModel(file);
}

void MainWindow::setDemoModel(const QString& path) {
  demoModel_ = path;
  demoModelAction_->setVisible(!path.isEmpty() && QFileInfo::exists(path));
}

void MainWindow::openModel(const QString& path, bool ask) {
  if (path.isEmpty()) return;
  QString model = path;
  NnunetChoice nnunet;
  if (isNnunetFolder(path.toStdString())) {
    const std::vector<NnunetTrainer> trainers = nnunetTrainers(path.toStdString());
    if (ask || trainers.size() > 1) {
      NnunetChoiceDialog dialog(trainers, this);
      if (dialog.exec() != QDialog::Accepted) return;
      model = dialog.trainerFolder();
      nnunet = dialog.choice();
    }
  }
  statusBar()->showMessage(tr("Opening the model %1").arg(QFileInfo(model).fileName()));
  Q_EMIT requestModel(model, nnunet);
}

void MainWindow::onModelOpened(const ModelSummary& model) {
  modelOpen_ = true;
  modelPath_ = model.path;
  labelColors_.clear();
  labelNames_.clear();
  // A model of several classes (a lesion among tissues): in 3D the class it explains by default is
  // solid and the others see-through, so that the outer tissue does not hide it.
  const bool severalClasses = model.labels.size() > 2;
  for (const LabelInfo& l : model.labels) {
    labelNames_[l.value] = l.name;
    if (l.value > 0)
      labelColors_.push_back({l.value,
                              {std::uint8_t(l.color[0]), std::uint8_t(l.color[1]), std::uint8_t(l.color[2])},
                              severalClasses && l.value != model.defaultTargetLabel ? 0.12 : 1.0});
  }
  std::vector<LegendClass> legend;
  for (const LabelInfo& l : model.labels)
    legend.push_back({l.value, l.name, {std::uint8_t(l.color[0]), std::uint8_t(l.color[1]), std::uint8_t(l.color[2])}});
  layerControls_->legend()->showClasses(legend, model.defaultTargetLabel);
  explain_->showModel(model);
  modelInputs_ = model.inputs;
  modelInputsGuessed_ = model.inputNamesGuessed;
  modelTitle_ = model.version.isEmpty() ? model.name : model.name + " " + model.version;
  statusBar()->showMessage(tr("Model %1 opened").arg(model.name), 5000);
  assignModelInputs();  // says how the inputs were assigned, when it did
  rememberRecent("recent/models", model.path);
  explain_->setReady(true, bool(study_));
  layerBrowser_->showModel(model);
  layerBrowser_->setReady(bool(study_));
  Q_EMIT modelShown();
  startPendingExplanation();
}

void MainWindow::openReference(const QString& path) {
  if (path.isEmpty()) return;
  if (!study_) {
    pendingReference_ = path;
    return;
  }
  overlayIsReference_.push_back(true);
  Q_EMIT requestOverlays(study_, path, {});
}

void MainWindow::chooseReference() {
  const QString file = QFileDialog::getOpenFileName(this, tr("Open a reference segmentation (non-zero = the class)"),
                                                    {}, tr("Images (*.nii *.nii.gz);;All files (*)"));
  openReference(file);
}

void MainWindow::showInstance(int id, const std::array<double, 3>& centroidMm) {
  // The instance belongs to the run of the table, whichever run is shown now: that run is shown
  // first (its maps brought back from disk when they were moved there), then the instance.
  const ExplanationResult* run = history_->find(instanceRun_);
  if (!run || run->study != study_) return;
  if (!history_->hasVoxels(instanceRun_)) {
    pendingInstance_ = id;
    pendingShow_ = instanceRun_;
    history_->restore(instanceRun_);
    return;
  }
  if (shownRun_ != instanceRun_) showExplanation(*run);
  if (!run->instanceMaps || id < 1 || std::size_t(id) > run->instanceMaps->size()) return;
  leaveComparison();
  sliceModel_->setCursor(centroidMm);
  // The instance's own maps are prepared for the panes on the thread pool (like every other layer,
  // off the GUI thread); a newer click or another run shown meanwhile wins.
  const std::shared_ptr<const std::vector<Volume>> maps(run->instanceMaps, &(*run->instanceMaps)[std::size_t(id - 1)]);
  newestOffThread(
      instanceGeneration_, [maps] { return std::make_shared<const DisplayHeatmaps>(prepareHeatmaps(*maps)); },
      [this, maps,
       units = run->methodLabel + tr(", instance %1").arg(id)](const std::shared_ptr<const DisplayHeatmaps>& display) {
        sliceModel_->setHeatmaps(display, units);
        setMapsIn3d(maps);
        view_->requestRender();
      });
  statusBar()->showMessage(tr("Instance %1: its own %2 map").arg(id).arg(run->methodLabel), 8000);
}

template <class Build, class Show>
void MainWindow::newestOffThread(int& generation, Build build, Show show) {
  const int mine = ++generation;
  QThreadPool::globalInstance()->start([this, &generation, mine, build = std::move(build), show = std::move(show)] {
    auto result = build();
    // `generation` is a member of this window, read on its thread only; the call is dropped with
    // the window (and the destructor waits for the pool first).
    QMetaObject::invokeMethod(
        this,
        [&generation, mine, show, result = std::move(result)] {
          if (mine == generation) show(result);
        },
        Qt::QueuedConnection);
  });
}

void MainWindow::setMapsIn3d(std::shared_ptr<const std::vector<Volume>> maps) {
  maps3d_ = std::move(maps);
  update3dMap();
}

void MainWindow::update3dMap() {
  if (!maps3d_ || maps3d_->empty()) return;
  const std::size_t m = std::min(std::size_t(std::max(0, layerControls_->mapModality())), maps3d_->size() - 1);
  newestOffThread(
      heatmapGeneration_,
      [maps = maps3d_, m, style = sliceModel_->heatmapStyle()] {
        return render::buildHeatmapShells((*maps)[m], style);
      },
      [this](const std::vector<render::HeatmapShell>& shells) {
        scene_->setHeatmapShells(shells);
        view_->requestRender();
      });
}

void MainWindow::show3dLabels(const std::shared_ptr<const LabelVolume>& labels) {
  if (!labels) return;
  newestOffThread(
      labelsGeneration_, [labels, colors = labelColors3d()] { return render::buildLabelMesh(*labels, colors); },
      [this, colors = labelColors3d()](const render::LabelMesh& mesh) {
        scene_->setLabelMesh(mesh, colors);
        view_->requestRender();
      });
}

void MainWindow::showRun(int id) {
  if (const ExplanationResult* run = history_->find(id); run && run->study != study_) {
    statusBar()->showMessage(
        tr("Run %1 was made on another study, no longer open: open that study again to show it").arg(id), 10000);
    return;
  }
  pendingShow_ = id;
  history_->restore(id);  // ready() follows (at once when its maps are in memory)
}

std::vector<render::LabelColor> MainWindow::labelColors3d() const {
  // A class hidden in the legend is hidden in 3D too.
  std::vector<render::LabelColor> colors = labelColors_;
  for (render::LabelColor& c : colors)
    if (sliceModel_->labelStyle(c.value) == LabelStyle::Hidden) c.surfaceOpacity = 0.0;
  return colors;
}

void MainWindow::leaveComparison() {
  if (!comparing_) return;
  comparing_ = false;
  view_->show();
  sliceModel_->setPanes(*display_, modalityNames(*study_), true);
}

bool MainWindow::compareRuns(int first, int second) {
  const ExplanationResult* a = history_->find(first);
  const ExplanationResult* b = history_->find(second);
  if (!a || !b || a->study != study_ || b->study != study_) {
    statusBar()->showMessage(tr("Compare two finished explanations of the study shown"), 5000);
    return false;
  }
  if (!history_->hasVoxels(first) || !history_->hasVoxels(second)) {
    // Older runs keep their maps on disk: bring them back, then compare (RunHistory::ready).
    pendingCompare_ = {first, second};
    history_->restore(first);
    history_->restore(second);
    statusBar()->showMessage(tr("Reading the maps of runs %1 and %2 back...").arg(first).arg(second));
    return true;
  }
  const double percentile = 99.5;
  auto [panes, maps] = sideBySide(*display_, *a->displayMaps, *b->displayMaps, percentile);
  QStringList names;
  for (const ExplanationResult* run : {a, b})
    for (const std::string& m : run->modalities)
      names << QString("%1 %2: %3").arg(run->jobId).arg(run->method, QString::fromStdString(m));
  comparing_ = true;
  view_->hide();  // the comparison is of slices: its panes take the 3D view's room
  sliceModel_->setPanes(panes, names, true);
  sliceModel_->setHeatmaps(std::make_shared<const DisplayHeatmaps>(std::move(maps)),
                           tr("A / the run's 99.5th percentile of |A|"));
  // Each run in its own colour map: a signed run in blue-white-red, a non-negative one (Grad-CAM) in
  // a magnitude map, not washed out in the upper half of blue-white-red.
  std::vector<bool> paneSigned;
  for (const ExplanationResult* run : {a, b})
    for (std::size_t m = 0; m < run->modalities.size(); ++m) paneSigned.push_back(run->displayMaps->signedMap);
  sliceModel_->setPaneSigned(std::move(paneSigned));
  analysis_->showComparison(runChart(*a), runChart(*b), labelNames_);
  statusBar()->showMessage(
      tr("Side by side: run %1 (%2) and run %3 (%4), each scaled to its own 99.5th percentile of |A|")
          .arg(first)
          .arg(a->methodLabel)
          .arg(second)
          .arg(b->methodLabel),
      10000);
  return true;
}

void MainWindow::showExplanation(const ExplanationResult& result) {
  leaveComparison();
  ++instanceGeneration_;  // an instance map still being prepared is no longer wanted
  shownRun_ = result.jobId;
  history_->pin(result.jobId);
  sliceModel_->setLabels(result.displayLabels, labelColors_);
  predicted_ = result.predictedLabels;
  show3dLabels(result.predictedLabels);
  sliceModel_->setHeatmaps(result.displayMaps, result.methodLabel);
  setMapsIn3d(result.maps);
  // The method by its registry name in the charts' titles, as in reports and the CLI's figures.
  analysis_->showAnalysis(result.modalities, result.modalityShares, result.segments.get(), labelNames_,
                          result.method.toStdString(), result.shapleyShares.empty() ? nullptr : &result.shapleyShares,
                          result.separableByModality);
  analysis_->setCaption(tr("%1; %2 (%3); target %4; %5, %6 s; study %7")
                            .arg(modelTitle_, result.methodLabel,
                                 result.parameters.isEmpty() ? tr("default parameters") : result.parameters,
                                 result.target, result.device)
                            .arg(result.seconds, 0, 'f', 1)
                            .arg(studyTitle()));
  if (result.instances && instanceRun_ != result.jobId) {
    instanceRun_ = result.jobId;
    instanceTable_->showReport(*result.instances, tr("Run %1, %2").arg(result.jobId).arg(result.methodLabel));
    instanceDock_->raise();
  }
  view_->requestRender();
  statusBar()->showMessage(result.parameters.isEmpty()
                               ? tr("%1 (%2)").arg(result.methodLabel, result.target)
                               : tr("%1 (%2; %3)").arg(result.methodLabel, result.target, result.parameters),
                           10000);
  Q_EMIT explanationShown(result.jobId);
}

const ExplanationResult* MainWindow::shownExplanation() const {
  return history_->find(shownRun_);
}

void MainWindow::openLabels(const QString& path) {
  if (path.isEmpty() || !study_) return;
  setBusy(true);
  overlayIsReference_.push_back(false);
  Q_EMIT requestOverlays(study_, path, {});
}

QString MainWindow::studyTitle() const {
  if (!study_) return {};
  QStringList names;
  for (const Modality& m : study_->modalities()) names << QFileInfo(QString::fromStdString(m.source)).fileName();
  return names.join(" + ");
}

void MainWindow::openCohort(const QString& path) {
  if (path.isEmpty()) return;
  setBusy(true);
  Q_EMIT requestCohort(path);
}

void MainWindow::openMaps(const QStringList& paths) {
  if (paths.isEmpty() || !study_) return;
  setBusy(true);
  overlayIsReference_.push_back(false);
  Q_EMIT requestOverlays(study_, {}, paths);
}

namespace {
bool isModelFile(const QString& path) {
  for (const char* ext : {".json", ".pt", ".ts", ".pth"})
    if (path.endsWith(ext, Qt::CaseInsensitive)) return true;
  // Folders that are models: an nnU-Net v2 results folder, a MONAI bundle.
  return isNnunetFolder(path.toStdString()) || QFileInfo(path + "/configs/metadata.json").isFile();
}
}  // namespace

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  for (const QUrl& url : event->mimeData()->urls())
    if (url.isLocalFile()) {
      event->acceptProposedAction();
      return;
    }
}

void MainWindow::dropEvent(QDropEvent* event) {
  QStringList study;
  for (const QUrl& url : event->mimeData()->urls()) {
    if (!url.isLocalFile()) continue;
    const QString path = url.toLocalFile();
    if (isModelFile(path))
      openModel(path, true);
    else
      study << path;
  }
  if (!study.isEmpty()) openStudy(study);
  event->acceptProposedAction();
}

}  // namespace voxplain::ui
