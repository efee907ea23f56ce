#pragma once
// What the GUI tests do to the window over and over: open the test study and the demo model, pick a
// method in the panel and click Explain. Header-only, for the test programs of this folder.

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStringList>
#include <QTest>

#include "ExplainPanel.h"
#include "MainWindow.h"
#include "VtkView.h"

namespace voxplain::testing {

/// The study the job tests open (FLAIR, T1): the demo's sphere phantom, seed 7, at 64x64x48
/// (VOXPLAIN_GUI_TEST_STUDY, tests/gui/CMakeLists.txt), with its lesion mask lesions.nii.gz beside.
inline QStringList phantomStudy() {
  return {QDir(VOXPLAIN_GUI_TEST_STUDY).filePath("flair.nii.gz"), QDir(VOXPLAIN_GUI_TEST_STUDY).filePath("t1.nii.gz")};
}

/// Shows the window with the test study (phantomStudy) and the demo model open.
inline bool openStudyAndModel(ui::MainWindow& window) {
  window.show();
  QSignalSpy shown(&window, &ui::MainWindow::studyShown);
  QSignalSpy model(&window, &ui::MainWindow::modelShown);
  window.openModel(VOXPLAIN_DEMO_MODEL);
  window.openStudy(phantomStudy());
  return (shown.count() > 0 || shown.wait(60000)) && (model.count() > 0 || model.wait(60000));
}

/// Picks `method` with `parameters` in the panel and clicks Explain; false when the panel refuses
/// the parameters.
inline bool clickExplain(ui::MainWindow& window, const QString& method, const QString& parameters) {
  ui::ExplainPanel* panel = window.explainPanel();
  auto* combo = panel->findChild<QComboBox*>("methodCombo");
  combo->setCurrentIndex(combo->findData(method));
  if (!panel->setParameters(parameters)) return false;
  QTest::mouseClick(panel->findChild<QPushButton*>("explainButton"), Qt::LeftButton);
  return true;
}

/// Explains with `method` and `parameters` as clickExplain does and waits until the run is shown;
/// false when the panel refuses the parameters, the job fails or nothing is shown within `ms`.
inline bool explainAndWait(ui::MainWindow& window, const QString& method, const QString& parameters, int ms = 300000) {
  QSignalSpy explained(&window, &ui::MainWindow::explanationShown);
  QSignalSpy failed(&window, &ui::MainWindow::jobFailed);
  return clickExplain(window, method, parameters) && explained.wait(ms) && failed.isEmpty();
}

/// Clicks the panel's button `name` ("explainButton", "instancesButton", "importanceButton") and
/// waits until its run is shown; false on a failure or after `ms`.
inline bool clickAndWaitShown(ui::MainWindow& window, const char* name, int ms = 300000) {
  QSignalSpy explained(&window, &ui::MainWindow::explanationShown);
  QSignalSpy failed(&window, &ui::MainWindow::jobFailed);
  QTest::mouseClick(window.explainPanel()->findChild<QPushButton*>(name), Qt::LeftButton);
  return explained.wait(ms) && failed.isEmpty();
}

}  // namespace voxplain::testing

/// main() of a GUI test program: VTK's OpenGL surface format, the application, and QSettings of the
/// tests (not the user's).
#define VOXPLAIN_GUI_TEST_MAIN(TestClass)                 \
  int main(int argc, char** argv) {                       \
    voxplain::render::VtkView::setDefaultSurfaceFormat(); \
    QApplication app(argc, argv);                         \
    QStandardPaths::setTestModeEnabled(true);             \
    TestClass test;                                       \
    return QTest::qExec(&test, argc, argv);               \
  }
