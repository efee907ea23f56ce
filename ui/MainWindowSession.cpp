// MainWindow's sessions (.voxplain files) and layout: saving the study, model, prediction, runs and
// view on the thread pool; opening them back through the loading worker; the window geometry and
// dock layout in QSettings. The window itself is in MainWindow.cpp.
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QThreadPool>

#include "ExplainPanel.h"
#include "InstanceTable.h"
#include "LayerControls.h"
#include "MainWindow.h"
#include "PresentationMode.h"
#include "RunHistory.h"
#include "SliceViewModel.h"
#include "task/InputError.h"

#include <set>
#include <utility>

namespace voxplain::ui {

namespace {
nlohmann::json point(const std::array<double, 3>& p) {
  return {p[0], p[1], p[2]};
}

bool readPoint(const nlohmann::json& j, std::array<double, 3>& p) {
  if (!j.is_array() || j.size() != 3) return false;
  for (std::size_t i = 0; i < 3; ++i) {
    if (!j[i].is_number() || !std::isfinite(j[i].get<double>())) return false;
    p[i] = j[i].get<double>();
  }
  return true;
}
}  // namespace

nlohmann::json MainWindow::viewState() const {
  return {{"controls", layerControls_->state()},
          {"cursor", point(sliceModel_->cursor())},
          {"centre", point(sliceModel_->centre())},
          {"zoom", sliceModel_->zoom()}};
}

void MainWindow::applyViewState(const nlohmann::json& view) {
  if (!view.is_object()) return;
  if (view.contains("controls")) layerControls_->setState(view["controls"]);
  std::array<double, 3> p{};
  if (view.contains("centre") && readPoint(view["centre"], p)) sliceModel_->setCentre(p);
  if (view.contains("cursor") && readPoint(view["cursor"], p)) sliceModel_->setCursor(p);
  if (view.contains("zoom") && view["zoom"].is_number() && view["zoom"].get<double>() > 0)
    sliceModel_->setZoom(view["zoom"].get<double>());
}

void MainWindow::saveSession(const QString& path, bool replace) {
  if (!study_) {
    Q_EMIT sessionSaved(tr("Open a study first: a session starts with one"));
    return;
  }
  SessionSave save;
  save.file = path.toStdString();
  save.overwrite = replace ? Overwrite::Allow : Overwrite::Refuse;
  for (const StudyInput& in : studyInputs_) save.session.study.push_back({in.path.string(), in.series, in.name});
  // Modality names given by the model's inputs are those of the study shown.
  for (std::size_t c = 0; c < save.session.study.size() && c < study_->modalities().size(); ++c)
    save.session.study[c].name = study_->modalities()[c].name;
  save.session.model = modelOpen_ ? modelPath_.toStdString() : std::string();
  save.session.view = viewState();
  save.prediction = predicted_;
  std::set<int> saving;  // the runs this file holds once written
  for (const RunHistory::Snapshot& run : history_->snapshot()) {
    if (run.result.study != study_) continue;  // runs of studies no longer open
    if (run.result.jobId == shownRun_) save.session.shownRun = int(save.session.runs.size());
    save.session.runs.push_back(sessionRunOf(run.result));
    save.runVoxels.push_back(run.voxels);
    saving.insert(run.result.jobId);
  }
  statusBar()->showMessage(tr("Saving the session to %1...").arg(QFileInfo(path).fileName()));
  savePending_ = true;
  QThreadPool::globalInstance()->start([this, save = std::move(save), name = QFileInfo(path).fileName(), saving] {
    QString error;
    try {
      writeSessionFiles(save);
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    QMetaObject::invokeMethod(
        this,
        [this, error, name, runs = save.session.runs.size(), saving] {
          savePending_ = false;
          if (error.isEmpty()) {
            savedRuns_.insert(saving.begin(), saving.end());
            statusBar()->showMessage(tr("Session saved to %1 (%n run(s))", nullptr, int(runs)).arg(name), 10000);
          } else {
            closeAfterSave_ = false;
            warn(tr("Save session"), error);
          }
          Q_EMIT sessionSaved(error);
          if (std::exchange(closeAfterSave_, false)) close();
        },
        Qt::QueuedConnection);
  });
}

void MainWindow::chooseSessionToSave() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Save session"), lastFolder("session"),
                                                    tr("Voxplain sessions (*.voxplain)"));
  if (path.isEmpty()) return;
  rememberFolder("session", path);
  // The file dialog asked before replacing an existing file.
  saveSession(path.endsWith(".voxplain") ? path : path + ".voxplain", true);
}

void MainWindow::chooseSessionToOpen() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open session"), lastFolder("session"),
                                                    tr("Voxplain sessions (*.voxplain);;All files (*)"));
  if (path.isEmpty()) return;
  rememberFolder("session", path);
  openSession(path);
}

void MainWindow::openSession(const QString& path) {
  if (path.isEmpty()) return;
  setBusy(true);
  statusBar()->showMessage(tr("Opening the session %1").arg(QFileInfo(path).fileName()));
  Q_EMIT requestSession(path);
}

void MainWindow::onSessionRead(const Session& session) {
  setBusy(false);
  if (session.study.empty()) {
    onFailed(tr("The session names no study"));
    return;
  }
  pendingSession_ = session;
  if (!session.model.empty()) openModel(QString::fromStdString(session.model));
  std::vector<StudyInput> inputs;
  for (const SessionInput& in : session.study) inputs.push_back({in.path, in.series, in.name});
  pendingLabels_ = QString::fromStdString(session.prediction);
  pendingHeatmaps_.clear();
  openInputs(inputs);
}

void MainWindow::continueSessionRestore(const std::shared_ptr<const LabelVolume>& labels) {
  if (labels) predicted_ = labels;
  if (pendingSession_->runs.empty()) {
    onSessionRuns({}, {});
    return;
  }
  setBusy(true);
  Q_EMIT requestSessionRuns(study_, *pendingSession_, labels);
}

void MainWindow::onSessionRuns(const std::vector<ExplanationResult>& runs, const QStringList& notes) {
  setBusy(false);
  if (!pendingSession_) return;
  const Session session = std::move(*pendingSession_);
  pendingSession_.reset();
  int shown = 0;
  for (const ExplanationResult& restored : runs) {
    ExplanationResult run = restored;
    const int index = run.jobId;  // the run's place in the session file
    run.study = study_;           // the study as shown (its modality names may have been assigned since)
    run.jobId = nextJobId_++;
    const QString title = tr("%1 (%2) from the session").arg(run.methodLabel, run.target);
    jobTitles_[run.jobId] = title;
    explain_->addJob(run.jobId, title);
    explain_->setJobState(run.jobId, tr("done in %1 s on %2 (restored)").arg(run.seconds, 0, 'f', 1).arg(run.device));
    savedRuns_.insert(run.jobId);
    if (index == session.shownRun) shown = run.jobId;
    history_->add(std::move(run));
  }
  // The instance table of the session's newest instances run, whichever run is shown.
  for (int id : history_->ids())
    if (const ExplanationResult* run = history_->find(id); run->instances && run->study == study_ && id != shown) {
      instanceRun_ = id;
      instanceTable_->showReport(*run->instances, tr("Run %1, %2").arg(id).arg(run->methodLabel));
    }
  if (const ExplanationResult* run = history_->find(shown)) showExplanation(*run);
  applyViewState(session.view);
  if (!notes.isEmpty()) warn(tr("Open session"), notes.join("\n"));
  statusBar()->showMessage(tr("Session restored: %n run(s)", nullptr, int(runs.size())), 10000);
  Q_EMIT sessionRestored();
}

void MainWindow::restoreLayout() {
  QSettings settings;
  restoreGeometry(settings.value("window/geometry").toByteArray());
  restoreState(settings.value("window/state").toByteArray());
  // A layout saved on a larger screen (or grown by an older version) is brought back onto this one.
  if (!isMaximized() && !isFullScreen()) fitToScreen(size());
}

int MainWindow::unsavedRuns() const {
  int unsaved = 0;
  for (int id : history_->ids()) unsaved += history_->find(id)->study == study_ && !savedRuns_.count(id);
  return unsaved;
}

void MainWindow::closeEvent(QCloseEvent* event) {
  // Runs made since the last save are not lost without asking.
  if (const int unsaved = unsavedRuns(); unsaved > 0 && isVisible()) {
    const auto answer = QMessageBox::question(
        this, tr("Quit Voxplain"),
        tr("%n run(s) of this study are not saved in a session. Save the session before quitting?", nullptr, unsaved),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel) {
      event->ignore();
      return;
    }
    if (answer == QMessageBox::Save) {
      event->ignore();
      closeAfterSave_ = true;  // sessionSaved closes the window once the file is written
      chooseSessionToSave();
      if (!savePending_) closeAfterSave_ = false;  // the file dialog was cancelled
      return;
    }
  }
  // The layout remembered is the working one, never the presentation's (docks hidden, full screen).
  if (presentation_ && presentation_->active()) presentation_->stop();
  QSettings settings;
  settings.setValue("window/geometry", saveGeometry());
  settings.setValue("window/state", saveState());
  QMainWindow::closeEvent(event);
}

}  // namespace voxplain::ui
