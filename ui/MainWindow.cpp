#include "MainWindow.h"

#include <QDockWidget>
#include <QFileInfo>
#include <QGuiApplication>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QThreadPool>
#include <QTimer>
#include <algorithm>

#include <vtkGenericRenderWindowInteractor.h>
#include <vtkRenderer.h>

#include "AnalysisPanel.h"
#include "ExplainPanel.h"
#include "GeometryPanel.h"
#include "InstanceTable.h"
#include "JobQueue.h"
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

namespace voxplain::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setObjectName("mainWindow");
  setWindowTitle(tr("Voxplain"));
  workspace_ = new Workspace(this);
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
  buildDocks();
  buildMenus();
  setAcceptDrops(true);
  connectWorkspace();
  fitToScreen(QSize(1600, 900));
}

MainWindow::~MainWindow() {
  QThreadPool::globalInstance()->waitForDone();  // 3D meshes being built refer to this window
}

void MainWindow::buildDocks() {
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
      sliceModel_, scene_.get(), view_, [this] { return workspace_->display(); }, this);
  connect(layerControls_->legend(), &LabelLegend::classesChanged, this,
          [this] { show3dLabels(workspace_->prediction()); });
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
  explain_->setJobs(workspace_->jobs());
  QDockWidget* explainDock = addDock(tr("Model and method"), "explainDock", explain_, Qt::RightDockWidgetArea);
  splitDockWidget(explainDock, analysisDock, Qt::Vertical);
  instanceTable_ = new InstanceTable(this);
  instanceDock_ = addDock(tr("Instances"), "instanceDock", instanceTable_, Qt::RightDockWidgetArea, false);
  tabifyDockWidget(analysisDock, instanceDock_);
  layerBrowser_ = new LayerBrowser(this);
  layerBrowser_->setObjectName("layerBrowser");
  tabifyDockWidget(instanceDock_,
                   addDock(tr("Layer activations"), "layerActivationsDock", layerBrowser_, Qt::RightDockWidgetArea));
  analysisDock->raise();
  connect(layerBrowser_, &LayerBrowser::activationRequested, this, &MainWindow::queueActivation);
  connect(instanceTable_, &InstanceTable::instanceActivated, this, &MainWindow::showInstance);
  connect(explain_, &ExplainPanel::instancesRequested, this, &MainWindow::queueInstances);
  connect(explain_, &ExplainPanel::caseAnalysisRequested, this, &MainWindow::queueCaseAnalysis);
  connect(explain_, &ExplainPanel::compareRequested, this, &MainWindow::compareRuns);
  connect(explain_, &ExplainPanel::openModelRequested, this, &MainWindow::chooseModel);
  connect(explain_, &ExplainPanel::predictRequested, this, &MainWindow::queuePrediction);
  connect(explain_, &ExplainPanel::explainRequested, this, &MainWindow::queueExplanation);
  connect(explain_, &ExplainPanel::jobActivated, this, &MainWindow::showRun);
  connect(slicePanel_, &SlicePanel::pointTargetRequested, this, &MainWindow::queuePointExplanation);
  connect(slicePanel_, &SlicePanel::boxTargetRequested, this, &MainWindow::queueBoxExplanation);

  progress_ = new QProgressBar(this);
  progress_->setObjectName("progressBar");
  progress_->setRange(0, 1000);
  progress_->setMaximumWidth(240);
  cancel_ = new QPushButton(tr("Cancel"), this);
  cancel_->setObjectName("cancelButton");
  statusBar()->addPermanentWidget(progress_);
  statusBar()->addPermanentWidget(cancel_);
  setBusy(false);
  connect(cancel_, &QPushButton::clicked, workspace_, &Workspace::cancel);
}

void MainWindow::connectWorkspace() {
  Workspace* w = workspace_;
  connect(w, &Workspace::busyChanged, this, &MainWindow::setBusy);
  connect(w, &Workspace::studyOpened, this, &MainWindow::onStudyOpened);
  connect(w, &Workspace::studyRenamed, this, [this] {
    geometry_->showStudy(*workspace_->study(), workspace_->studyNotes());
    sliceModel_->setRenamedStudy(workspace_->study());
  });
  connect(w, &Workspace::overlaysOpened, this, &MainWindow::onOverlays);
  connect(w, &Workspace::referenceOpened, this, [this] {
    statusBar()->showMessage(tr("Reference segmentation open: the instance table marks true and false positives"),
                             8000);
    Q_EMIT referenceShown();
  });
  connect(w, &Workspace::loadFailed, this, &MainWindow::onFailed);
  connect(w, &Workspace::loadProgress, this, [this](double fraction, const QString& stage) {
    progress_->setValue(int(fraction * 1000));
    statusBar()->showMessage(stage);
  });
  connect(w, &Workspace::loadCancelled, this, [this] { statusBar()->showMessage(tr("Loading cancelled"), 5000); });
  connect(w, &Workspace::seriesChoiceNeeded, this, [this](const QString& folder, const QString& message) {
    statusBar()->showMessage(message, 8000);
    browseDicomFolder(folder);
  });
  connect(w, &Workspace::cohortOpened, this, [this](const std::shared_ptr<const CohortSummary>& cohort) {
    analysis_->showCohort(*cohort);
    analysis_->setCaption(tr("Cohort of %n case(s)", nullptr, int(cohort->cases.size())) + "; " +
                          QString::fromStdString(cohort->provenance.dump()));
    findChild<QDockWidget*>("analysisDock")->raise();
    statusBar()->showMessage(tr("Cohort of %n case(s) shown in the Analysis panel", nullptr, int(cohort->cases.size())),
                             8000);
    Q_EMIT cohortShown();
  });
  connect(w, &Workspace::modelOpened, this, &MainWindow::onModelOpened);
  connect(w, &Workspace::modelFailed, this, [this](const QString& message) {
    statusBar()->showMessage(message);
    Q_EMIT modelFailed(message);
    if (autoJob_ == 0 && !autoMethod_.isEmpty()) Q_EMIT loadFailed(message);
    warn(tr("Cannot open the model"), message);
  });
  connect(w, &Workspace::jobProgress, this, [this](int, double fraction, const QString& text) {
    progress_->setValue(int(fraction * 1000));
    statusBar()->showMessage(text);
    Q_EMIT jobProgressShown(fraction, text);
  });
  connect(w, &Workspace::predicted, this, &MainWindow::onPredicted);
  connect(w, &Workspace::explained, this, &MainWindow::onExplained);
  connect(w, &Workspace::reportWritten, this,
          [this](int id, const QString& folder, const QStringList& files, const QStringList& notes) {
            statusBar()->showMessage(
                tr("Report written: %n file(s) in %1", nullptr, int(files.size())).arg(QFileInfo(folder).fileName()) +
                    (notes.isEmpty() ? QString() : " (" + notes.join("; ") + ")"),
                15000);
            Q_EMIT reportWritten(id, folder, files);
          });
  connect(w, &Workspace::jobFailed, this, [this](int id, const QString& message) {
    statusBar()->showMessage(message);
    Q_EMIT jobFailed(id, message);
    if (id == autoJob_)
      Q_EMIT loadFailed(message);
    else
      warn(tr("The job failed"), message);
  });
  connect(w, &Workspace::jobCancelled, this, [this](int id) {
    statusBar()->showMessage(tr("Cancelled: %1").arg(workspace_->jobs()->title(id)), 5000);
    Q_EMIT jobCancelled(id);
    if (id == autoJob_) Q_EMIT loadFailed(tr("the demo explanation was cancelled"));
  });
  connect(w, &Workspace::sessionSaved, this, &MainWindow::onSessionSaved);
  connect(w, &Workspace::sessionRestored, this, &MainWindow::onSessionRestored);
  connect(w->runs(), &RunHistory::ready, this, &MainWindow::onRunReady);
  connect(w->runs(), &RunHistory::failed, this,
          [this](int, const QString& message) { statusBar()->showMessage(message); });
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

void MainWindow::openStudy(const QStringList& paths, const QString& labels, const QStringList& heatmaps) {
  if (paths.isEmpty()) return;
  statusBar()->showMessage(tr("Loading %1").arg(paths.join(", ")));
  std::vector<StudyInput> inputs;
  for (const QString& path : paths) inputs.push_back({path.toStdString(), {}, {}});
  workspace_->openStudy(inputs, labels, heatmaps);
}

void MainWindow::openInputs(const std::vector<StudyInput>& inputs) {
  if (inputs.empty()) return;
  statusBar()->showMessage(tr("Loading %n image(s)", nullptr, int(inputs.size())));
  workspace_->openStudy(inputs);
}

SeriesBrowser* MainWindow::browseDicomFolder(const QString& folder) {
  auto* browser = new SeriesBrowser(workspace_->loader(), this);
  browser->setAttribute(Qt::WA_DeleteOnClose);
  connect(browser, &QDialog::accepted, this, [this, browser] { openInputs(browser->chosenInputs()); });
  browser->open();
  browser->scan(folder);
  return browser;
}

void MainWindow::onStudyOpened(const LoadedStudy& result, bool overlaysFollow) {
  const std::shared_ptr<const Study>& study = result.study;
  comparing_ = false;
  view_->show();
  geometry_->showStudy(*study, result.notes);
  layerControls_->showVolume();
  sliceModel_->setStudy(study, result.display);
  analysis_->clear();
  statusBar()->showMessage(tr("Loaded %1 modalities").arg(study->modalities().size()), 5000);
  explain_->setReady(workspace_->modelOpen(), true);
  layerBrowser_->setReady(workspace_->modelOpen());
  QStringList entries;  // "path" or "path<TAB>series UID<TAB>name" per modality
  for (const StudyInput& in : result.inputs)
    entries << (in.series.empty() ? QString::fromStdString(in.path.string())
                                  : QStringList{QString::fromStdString(in.path.string()),
                                                QString::fromStdString(in.series), QString::fromStdString(in.name)}
                                        .join('\t'));
  rememberRecent("recent/studies", entries.join('\n'));
  assignModelInputs();
  instanceTable_->clear();
  // Nothing of the previous study stays on screen: its 3D surfaces and shells go (3D meshes still
  // being built for it are dropped), its runs stay in the list, marked as another study's.
  ++labelsGeneration_;
  ++heatmapGeneration_;
  ++instanceGeneration_;
  maps3d_.reset();
  scene_->clearOverlays();
  Q_EMIT studyShown();
  startPendingExplanation();
  if (!overlaysFollow && autoMethod_.isEmpty()) Q_EMIT everythingShown();  // else after them or the explanation
}

void MainWindow::onOverlays(const LoadedOverlays& result) {
  leaveComparison();
  if (result.labels) {
    sliceModel_->setLabels(result.displayLabels, labelColors_);
    show3dLabels(result.labels);
  }
  if (result.heatmaps) {
    std::vector<std::string> names;
    for (const Modality& m : workspace_->study()->modalities()) names.push_back(m.name);
    analysis_->showAnalysis(names, result.modalityShares, result.segments.get(), workspace_->labelNames(), {});
    sliceModel_->setHeatmaps(result.displayHeatmaps, tr("attribution"));
    setMapsIn3d(result.heatmaps);
  }
  view_->requestRender();
  for (const QString& note : result.notes) statusBar()->showMessage(note, 8000);
  if (autoMethod_.isEmpty()) Q_EMIT everythingShown();  // else after the explanation
}

void MainWindow::onFailed(const QString& message) {
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

void MainWindow::setBusy(bool busy) {
  progress_->setVisible(busy);
  cancel_->setVisible(busy);
  if (busy) progress_->setValue(0);
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
  workspace_->openModel(model, nnunet);
}

void MainWindow::onModelOpened(const ModelSummary& model) {
  labelColors_.clear();
  // A model of several classes (a lesion among tissues): in 3D the class it explains by default is
  // solid and the others see-through, so that the outer tissue does not hide it.
  const bool severalClasses = model.labels.size() > 2;
  std::vector<LegendClass> legend;
  for (const LabelInfo& l : model.labels) {
    const std::array<unsigned char, 3> color{std::uint8_t(l.color[0]), std::uint8_t(l.color[1]),
                                             std::uint8_t(l.color[2])};
    if (l.value > 0)
      labelColors_.push_back({l.value, color, severalClasses && l.value != model.defaultTargetLabel ? 0.12 : 1.0});
    legend.push_back({l.value, l.name, color});
  }
  layerControls_->legend()->showClasses(legend, model.defaultTargetLabel);
  explain_->showModel(model);
  statusBar()->showMessage(tr("Model %1 opened").arg(model.name), 5000);
  assignModelInputs();  // says how the inputs were assigned, when it did
  rememberRecent("recent/models", model.path);
  explain_->setReady(true, bool(workspace_->study()));
  layerBrowser_->showModel(model);
  layerBrowser_->setReady(bool(workspace_->study()));
  Q_EMIT modelShown();
  startPendingExplanation();
}

void MainWindow::openReference(const QString& path) {
  workspace_->openReference(path);
}

void MainWindow::openLabels(const QString& path) {
  workspace_->openOverlays(path, {});
}

void MainWindow::openMaps(const QStringList& paths) {
  workspace_->openOverlays({}, paths);
}

void MainWindow::openCohort(const QString& path) {
  workspace_->openCohort(path);
}

}  // namespace voxplain::ui
