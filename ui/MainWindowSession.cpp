// MainWindow's sessions (.voxplain files) and layout: saving the study, model, prediction, runs and
// view on the thread pool; opening them back through the loading worker; the window geometry and
// dock layout in QSettings. The window itself is in MainWindow.cpp.
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

#include "InstanceTable.h"
#include "LayerControls.h"
#include "MainWindow.h"
#include "PresentationMode.h"
#include "RunHistory.h"
#include "SliceViewModel.h"

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
  if (workspace_->study()) statusBar()->showMessage(tr("Saving the session to %1...").arg(QFileInfo(path).fileName()));
  workspace_->saveSession(path, replace, viewState());  // onSessionSaved follows
}

void MainWindow::onSessionSaved(const QString& path, const QString& error, int runs) {
  if (!error.isEmpty()) {
    closeAfterSave_ = false;
    if (workspace_->study()) warn(tr("Save session"), error);
  } else {
    statusBar()->showMessage(tr("Session saved to %1 (%n run(s))", nullptr, runs).arg(QFileInfo(path).fileName()),
                             10000);
  }
  Q_EMIT sessionSaved(error);
  if (error.isEmpty() && std::exchange(closeAfterSave_, false)) close();
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
  statusBar()->showMessage(tr("Opening the session %1").arg(QFileInfo(path).fileName()));
  workspace_->openSession(path);
}

void MainWindow::onSessionRestored(int shownRun, const nlohmann::json& view, const QStringList& notes, int runs) {
  // The instance table of the session's newest instances run, whichever run is shown.
  const RunHistory* history = workspace_->runs();
  for (int id : history->ids())
    if (const ExplanationResult* run = history->find(id);
        run->instances && run->study == workspace_->study() && id != shownRun) {
      workspace_->setInstanceRun(id);
      instanceTable_->showReport(*run->instances, tr("Run %1, %2").arg(id).arg(run->methodLabel));
    }
  if (const ExplanationResult* run = history->find(shownRun)) showExplanation(*run);
  applyViewState(view);
  if (!notes.isEmpty()) warn(tr("Open session"), notes.join("\n"));
  statusBar()->showMessage(tr("Session restored: %n run(s)", nullptr, runs), 10000);
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
  return workspace_->unsavedRuns();
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
      if (!workspace_->savingSession()) closeAfterSave_ = false;  // the file dialog was cancelled
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
