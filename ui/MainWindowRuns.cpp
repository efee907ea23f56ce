// MainWindow's display of runs: a run shown again (its maps brought back from disk first when they
// were moved there), two runs side by side, one instance's own maps, the prediction, and the 3D
// view's label surfaces and map shells built on the thread pool. The window itself is in
// MainWindow.cpp; the runs are the Workspace's.
#include <QDockWidget>
#include <QStatusBar>
#include <QThreadPool>
#include <algorithm>
#include <utility>

#include "AnalysisPanel.h"
#include "InstanceTable.h"
#include "LayerControls.h"
#include "MainWindow.h"
#include "RunHistory.h"
#include "SliceViewModel.h"
#include "VolumeScene.h"
#include "VtkView.h"

namespace voxplain::ui {
namespace {
// A run as the Analysis dock's comparison charts need it.
AnalysisPanel::RunCharts runChart(const ExplanationResult& run) {
  return {QObject::tr("run %1, %2").arg(run.jobId).arg(run.methodLabel), run.modalities, run.modalityShares,
          run.separableByModality, run.segments};
}
}  // namespace

void MainWindow::onPredicted(const PredictionResult& result) {
  sliceModel_->setLabels(result.displayLabels, labelColors_);
  show3dLabels(result.labels);
  view_->requestRender();
  statusBar()->showMessage(tr("Prediction: %1").arg(result.summary), 8000);
  Q_EMIT predictionShown(result.jobId);
}

void MainWindow::onExplained(const ExplanationResult& result) {
  if (result.study == workspace_->study()) showExplanation(result);
  if (result.jobId == autoJob_) Q_EMIT everythingShown();
}

void MainWindow::showRun(int id) {
  if (const ExplanationResult* run = workspace_->runs()->find(id); run && run->study != workspace_->study()) {
    statusBar()->showMessage(
        tr("Run %1 was made on another study, no longer open: open that study again to show it").arg(id), 10000);
    return;
  }
  showAfterRestore_ = id;
  workspace_->runs()->restore(id);  // ready() follows (at once when its maps are in memory)
}

void MainWindow::onRunReady(int id) {
  RunHistory* runs = workspace_->runs();
  const ExplanationResult* run = runs->find(id);
  if (id == showAfterRestore_ && run && run->study == workspace_->study()) showExplanation(*run);
  if (id == showAfterRestore_) showAfterRestore_ = 0;
  if (id == workspace_->instanceRun() && instanceAfterRestore_ > 0) {
    const int instance = std::exchange(instanceAfterRestore_, 0);
    if (run && run->instances)
      for (const InstanceStats& s : run->instances->instances)
        if (s.id == instance) showInstance(instance, s.centroidMm);
  }
  if (compareAfterRestore_.first == id || compareAfterRestore_.second == id) {
    const auto [a, b] = compareAfterRestore_;
    if (runs->hasVoxels(a) && runs->hasVoxels(b)) {
      compareAfterRestore_ = {0, 0};
      compareRuns(a, b);
    }
  }
}

const ExplanationResult* MainWindow::shownExplanation() const {
  return workspace_->runs()->find(workspace_->shownRun());
}

void MainWindow::showExplanation(const ExplanationResult& result) {
  leaveComparison();
  ++instanceGeneration_;  // an instance map still being prepared is no longer wanted
  workspace_->setShownRun(result.jobId);
  workspace_->setPrediction(result.predictedLabels);
  sliceModel_->setLabels(result.displayLabels, labelColors_);
  show3dLabels(result.predictedLabels);
  sliceModel_->setHeatmaps(result.displayMaps, result.methodLabel);
  setMapsIn3d(result.maps);
  // The method by its registry name in the charts' titles, as in reports and the CLI's figures.
  analysis_->showAnalysis(result.modalities, result.modalityShares, result.segments.get(), workspace_->labelNames(),
                          result.method.toStdString(), result.shapleyShares.empty() ? nullptr : &result.shapleyShares,
                          result.separableByModality);
  analysis_->setCaption(tr("%1; %2 (%3); target %4; %5, %6 s; study %7")
                            .arg(workspace_->modelTitle(), result.methodLabel,
                                 result.parameters.isEmpty() ? tr("default parameters") : result.parameters,
                                 result.target, result.device)
                            .arg(result.seconds, 0, 'f', 1)
                            .arg(workspace_->studyTitle()));
  if (result.instances && workspace_->instanceRun() != result.jobId) {
    workspace_->setInstanceRun(result.jobId);
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

void MainWindow::showInstance(int id, const std::array<double, 3>& centroidMm) {
  // The instance belongs to the run of the table, whichever run is shown now: that run is shown
  // first (its maps brought back from disk when they were moved there), then the instance.
  RunHistory* runs = workspace_->runs();
  const int tableRun = workspace_->instanceRun();
  const ExplanationResult* run = runs->find(tableRun);
  if (!run || run->study != workspace_->study()) return;
  if (!runs->hasVoxels(tableRun)) {
    instanceAfterRestore_ = id;
    showAfterRestore_ = tableRun;
    runs->restore(tableRun);
    return;
  }
  if (workspace_->shownRun() != tableRun) showExplanation(*run);
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

void MainWindow::leaveComparison() {
  if (!comparing_) return;
  comparing_ = false;
  view_->show();
  sliceModel_->setPanes(*workspace_->display(), modalityNames(*workspace_->study()), true);
}

bool MainWindow::compareRuns(int first, int second) {
  RunHistory* runs = workspace_->runs();
  const ExplanationResult* a = runs->find(first);
  const ExplanationResult* b = runs->find(second);
  if (!a || !b || a->study != workspace_->study() || b->study != workspace_->study()) {
    statusBar()->showMessage(tr("Compare two finished explanations of the study shown"), 5000);
    return false;
  }
  if (!runs->hasVoxels(first) || !runs->hasVoxels(second)) {
    // Older runs keep their maps on disk: bring them back, then compare (onRunReady).
    compareAfterRestore_ = {first, second};
    runs->restore(first);
    runs->restore(second);
    statusBar()->showMessage(tr("Reading the maps of runs %1 and %2 back...").arg(first).arg(second));
    return true;
  }
  const double percentile = 99.5;
  auto [panes, maps] = sideBySide(*workspace_->display(), *a->displayMaps, *b->displayMaps, percentile);
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
    for (std::size_t m = 0; m < run->modalities.size(); ++m) paneSigned.push_back(run->displayMaps->range.signedMap);
  sliceModel_->setPaneSigned(std::move(paneSigned));
  analysis_->showComparison(runChart(*a), runChart(*b), workspace_->labelNames());
  statusBar()->showMessage(
      tr("Side by side: run %1 (%2) and run %3 (%4), each scaled to its own 99.5th percentile of |A|")
          .arg(first)
          .arg(a->methodLabel)
          .arg(second)
          .arg(b->methodLabel),
      10000);
  return true;
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

std::vector<render::LabelColor> MainWindow::labelColors3d() const {
  // A class hidden in the legend is hidden in 3D too.
  std::vector<render::LabelColor> colors = labelColors_;
  for (render::LabelColor& c : colors)
    if (sliceModel_->labelStyle(c.value) == LabelStyle::Hidden) c.surfaceOpacity = 0.0;
  return colors;
}

}  // namespace voxplain::ui
