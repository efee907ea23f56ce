// The application as a presenter uses it in front of clinicians, on a 1366x768 projector screen
// (Xvfb at that size): the window fits and never grows by itself, presentation mode shows what each
// step names and gives the window back as it was, a new study leaves nothing of the old one on
// screen, a session keeps its instance table, text is readable at normal size, and a CAM map is not
// read as a modality finding. Screenshots of the first screen, Compare and presentation step 4 are
// written for the docs and the note.
#include <QtTest>

#include <QApplication>
#include <QDockWidget>
#include <QLabel>
#include <QListView>
#include <QMessageBox>
#include <QProgressBar>
#include <QScreen>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>

#include <vtkImageData.h>

#include "AnalysisPanel.h"
#include "ChartView.h"
#include "DemoWindow.h"
#include "InstanceTable.h"
#include "LabelLegend.h"
#include "PresentationMode.h"
#include "RunHistory.h"
#include "SlicePanel.h"
#include "SliceView.h"
#include "SliceViewModel.h"
#include "VolumeScene.h"
#include "VtkView.h"

using voxplain::testing::clickAndWaitShown;
using voxplain::testing::explainAndWait;
using voxplain::testing::openStudyAndModel;
using voxplain::ui::MainWindow;

namespace {
const QString kShots = QString(VOXPLAIN_SCREENSHOT_DIR);

// Empty when the window fits its screen and every dock shown is inside it and usable; else what
// does not.
QString layoutProblems(const MainWindow& window, const QString& when) {
  QStringList problems;
  const QRect screen = window.screen()->availableGeometry();
  if (!screen.contains(window.frameGeometry()))
    problems << QString("the window (%1x%2 at %3,%4) leaves the %5x%6 screen")
                    .arg(window.frameGeometry().width())
                    .arg(window.frameGeometry().height())
                    .arg(window.frameGeometry().x())
                    .arg(window.frameGeometry().y())
                    .arg(screen.width())
                    .arg(screen.height());
  const QSize minimum = window.minimumSizeHint().expandedTo(window.minimumSize());
  if (minimum.height() > screen.height() || minimum.width() > screen.width())
    problems << QString("its minimum size is %1x%2").arg(minimum.width()).arg(minimum.height());
  for (const QDockWidget* dock : window.findChildren<QDockWidget*>()) {
    if (!dock->isVisible() || dock->visibleRegion().isEmpty()) continue;  // hidden, or a tab behind another
    const QRect inWindow(dock->mapTo(&window, QPoint(0, 0)), dock->size());
    if (!window.rect().contains(inWindow)) problems << dock->objectName() + " is partly outside the window";
    if (dock->height() < 60) problems << dock->objectName() + QString(" is %1 px tall").arg(dock->height());
  }
  const QWidget* view3d = window.findChild<QWidget*>("view3d");
  if (view3d->isVisible() && view3d->height() < 150)
    problems << QString("the 3D view is %1 px tall").arg(view3d->height());
  // Every slice pane is whole on screen (none clipped by its neighbours below its minimum size).
  for (const voxplain::render::SliceView* pane : window.slicePanel()->views())
    if (pane->isVisible() && pane->visibleRegion().boundingRect() != pane->rect())
      problems << pane->objectName() + " is partly hidden";
  return problems.isEmpty() ? QString() : when + ": " + problems.join("; ");
}

// The tallest run of consecutive rows holding text pixels (the colour bar's yellow labels) in
// `area` of `image`: the height of its digits.
int textHeight(const QImage& image, const QRect& area) {
  int tallest = 0, run = 0;
  for (int y = area.top(); y <= area.bottom(); ++y) {
    bool text = false;
    for (int x = area.left(); x <= area.right() && !text; ++x) {
      const QColor c = image.pixelColor(x, y);
      text = c.red() > 170 && c.green() > 130 && c.blue() < 110 && c.red() - c.blue() > 90;
    }
    run = text ? run + 1 : 0;
    tallest = std::max(tallest, run);
  }
  return tallest;
}

// The instances run of the window's history (the newest), or null.
const voxplain::ui::ExplanationResult* instancesRun(const MainWindow& window) {
  int found = 0;
  for (int id : window.runHistory()->ids())
    if (window.runHistory()->find(id)->instances) found = id;
  return window.runHistory()->find(found);
}

// The id of the largest instance of `run`.
int largestInstance(const voxplain::ui::ExplanationResult& run) {
  const auto& all = run.instances->instances;
  return std::max_element(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.voxels < b.voxels; })->id;
}
}  // namespace

class TestInFrontOfClinicians : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    const QRect screen = QGuiApplication::primaryScreen()->availableGeometry();
    QVERIFY2(screen.width() == 1366 && screen.height() == 768,
             qPrintable(QString("run under xvfb-run -s '-screen 0 1366x768x24', not %1x%2")
                            .arg(screen.width())
                            .arg(screen.height())));
    QDir().mkpath(kShots);
  }

  // The window starts inside a 1366x768 screen and stays there through the demo: a job, Instances,
  // Importance, Compare, presentation mode and back.
  void windowFitsA1366x768ScreenThroughTheDemo() {
    MainWindow window;
    QVERIFY(openStudyAndModel(window));
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(layoutProblems(window, "opened"), QString());
    QVERIFY(explainAndWait(window, "saliency", ""));
    QCOMPARE(layoutProblems(window, "after Explain"), QString());
    window.grab().save(kShots + "/first_screen_1366x768.png");
    QVERIFY(clickAndWaitShown(window, "instancesButton"));
    QCOMPARE(layoutProblems(window, "after Instances"), QString());
    QVERIFY(clickAndWaitShown(window, "importanceButton"));
    QCOMPARE(layoutProblems(window, "after Importance"), QString());
    const std::vector<voxplain::ui::RunHistory::Snapshot> runs = window.runHistory()->snapshot();
    QVERIFY(window.compareRuns(runs.front().result.jobId, runs.back().result.jobId));
    QTest::qWait(500);
    QCOMPARE(layoutProblems(window, "comparing"), QString());
    window.grab().save(kShots + "/compare_1366x768.png");
    const QRect before = window.geometry();
    window.presentation()->start();
    QTest::qWait(300);
    window.presentation()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(window.geometry(), before, 5000);
    QCOMPARE(layoutProblems(window, "after presentation mode"), QString());
  }

  // Step 4 shows the largest instance's own map even when the run shown last is another one (here
  // Importance, after Instances), with the job's progress on the bar while it waits for one.
  void presentationStep4ShowsTheLargestInstancesOwnMap() {
    MainWindow window;
    QVERIFY(openStudyAndModel(window));
    QVERIFY(window.explainPanel()->selectMethod("saliency"));
    QVERIFY(clickAndWaitShown(window, "explainButton"));
    QVERIFY(clickAndWaitShown(window, "instancesButton"));
    QVERIFY(clickAndWaitShown(window, "importanceButton"));
    const voxplain::ui::ExplanationResult* run = instancesRun(window);
    QVERIFY(run);
    QVERIFY(window.shownExplanation() != run);
    const int largest = largestInstance(*run);
    voxplain::ui::PresentationMode* presentation = window.presentation();
    presentation->start();
    for (int step = 2; step <= 4; ++step) QTest::keyClick(&window, Qt::Key_Right);
    QCOMPARE(presentation->step(), 4);
    QVERIFY2(presentation->caption().contains("One lesion on its own"), qPrintable(presentation->caption()));
    const std::string units = ", instance " + std::to_string(largest);
    QTRY_VERIFY_WITH_TIMEOUT(window.sliceModel()->heatmapStyle().units.find(units) != std::string::npos, 10000);
    const std::vector<voxplain::Volume>& own = (*run->instanceMaps)[std::size_t(largest - 1)];
    QTRY_VERIFY_WITH_TIMEOUT(window.mapsShown() && window.mapsShown()->size() == own.size(), 10000);
    for (std::size_t m = 0; m < own.size(); ++m)
      QVERIFY2((*window.mapsShown())[m].voxels() == own[m].voxels(),
               "step 4 shows another map than the instance's own");
    window.grab().save(kShots + "/presentation_step4_1366x768.png");
    // Back to step 3: the class map again, not the instance's.
    QTest::keyClick(&window, Qt::Key_Left);
    QCOMPARE(presentation->step(), 3);
    QTRY_VERIFY_WITH_TIMEOUT(window.shownExplanation() && !window.shownExplanation()->instances, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(window.sliceModel()->heatmapStyle().units.find(", instance") == std::string::npos, 10000);
    presentation->stop();
  }

  // Presentation mode runs Instances itself when there are none: the bar shows the job's progress.
  void presentationShowsTheProgressOfTheJobItWaitsFor() {
    MainWindow window;
    QVERIFY(openStudyAndModel(window));
    QVERIFY(window.explainPanel()->selectMethod("saliency"));
    QVERIFY(clickAndWaitShown(window, "explainButton"));
    voxplain::ui::PresentationMode* presentation = window.presentation();
    presentation->start();
    QSignalSpy progress(&window, &MainWindow::jobProgressShown);
    for (int step = 2; step <= 4; ++step) QTest::keyClick(&window, Qt::Key_Right);
    QVERIFY2(presentation->caption().contains("Explaining each lesion"), qPrintable(presentation->caption()));
    QVERIFY(progress.wait(120000));
    auto* bar = window.findChild<QProgressBar*>("presentationProgress");
    QVERIFY(bar);
    QTRY_VERIFY_WITH_TIMEOUT(bar->isVisible(), 2000);
    QTRY_VERIFY_WITH_TIMEOUT(presentation->caption().contains("One lesion on its own"), 300000);
    QTRY_VERIFY_WITH_TIMEOUT(!bar->isVisible(), 2000);  // the tool bar lays itself out on its next pass
    presentation->stop();
  }

  // A new study: no surface or shell of the old one stays in 3D (not even one still being built),
  // the new volume is drawn, and the old runs are marked as another study's and say so when clicked.
  void studySwitchLeavesNothingOfThePreviousStudy() {
    MainWindow window;
    QVERIFY(openStudyAndModel(window));
    QVERIFY(explainAndWait(window, "saliency", ""));
    QTRY_VERIFY_WITH_TIMEOUT(window.scene()->overlayActorCount() > 0, 10000);
    QSignalSpy shown(&window, &MainWindow::studyShown);
    window.openStudy({QDir(VOXPLAIN_BRAIN_DEMO_DIR).filePath("demo_flair.nii.gz"),
                      QDir(VOXPLAIN_BRAIN_DEMO_DIR).filePath("demo_t1.nii.gz")});
    QVERIFY(shown.wait(60000));
    QTest::qWait(1500);  // meshes of the old study still being built arrive (and must be dropped)
    QCOMPARE(window.scene()->overlayActorCount(), 0);
    QVERIFY(window.scene()->hasVolume());
    QVERIFY(window.mapsShown() == nullptr);
    QVERIFY(window.sliceModel()->heatmap(0) == nullptr);
    auto* jobs = window.explainPanel()->findChild<QListView*>("jobsList");
    QCOMPARE(jobs->model()->rowCount(), 1);
    QVERIFY2(jobs->model()->index(0, 0).data().toString().contains("[another study]"),
             qPrintable(jobs->model()->index(0, 0).data().toString()));
    QTest::mouseClick(jobs->viewport(), Qt::LeftButton, {}, jobs->visualRect(jobs->model()->index(0, 0)).center());
    QVERIFY2(window.statusBar()->currentMessage().contains("another study"),
             qPrintable(window.statusBar()->currentMessage()));
    QVERIFY(window.mapsShown() == nullptr);
    window.grab().save(kShots + "/study_switch_1366x768.png");
    QCOMPARE(layoutProblems(window, "after the study switch"), QString());
    auto* view = window.findChild<voxplain::render::VtkView*>("view3d");
    const QImage image = view->grabImage();
    image.save(kShots + "/study_switch_3d.png");
    int lit = 0;
    for (int y = 0; y < image.height(); y += 2)
      for (int x = 0; x < image.width(); x += 2)
        lit += image.pixelColor(x, y).red() > image.pixelColor(x, y).blue() + 25;
    QVERIFY2(lit > 300, qPrintable(QString("the new study's volume is not drawn in 3D (%1 lit pixels)").arg(lit)));
  }

  // A session saved after Instances (and another run shown last) reopens with the instance table,
  // each run's label with its time, and a row click showing that instance's own map.
  void sessionRoundTripKeepsTheInstanceTable() {
    QTemporaryDir dir;
    const QString file = dir.filePath("case.voxplain");
    QStringList rows;
    {
      MainWindow window;
      QVERIFY(openStudyAndModel(window));
      QVERIFY(window.explainPanel()->selectMethod("saliency"));
      QVERIFY(clickAndWaitShown(window, "instancesButton"));
      QVERIFY(clickAndWaitShown(window, "explainButton"));
      voxplain::ui::InstanceTable* table = window.instanceTable();
      QVERIFY(table->rowCount() >= 2);
      for (int row = 0; row < table->rowCount(); ++row)
        rows << table->cell(row, "id") + " " + table->cell(row, "volume_mm3") + " " + table->cell(row, "FLAIR peak");
      QSignalSpy saved(&window, &MainWindow::sessionSaved);
      window.saveSession(file);
      QVERIFY(saved.wait(60000));
      QVERIFY2(saved.first().at(0).toString().isEmpty(), qPrintable(saved.first().at(0).toString()));
      QCOMPARE(window.unsavedRuns(), 0);
    }
    MainWindow window;
    window.show();
    QSignalSpy restored(&window, &MainWindow::sessionRestored);
    window.openSession(file);
    QVERIFY(restored.wait(120000));
    voxplain::ui::InstanceTable* table = window.instanceTable();
    QStringList reopened;
    for (int row = 0; row < table->rowCount(); ++row)
      reopened << table->cell(row, "id") + " " + table->cell(row, "volume_mm3") + " " + table->cell(row, "FLAIR peak");
    QCOMPARE(reopened, rows);
    auto* jobs = window.explainPanel()->findChild<QListView*>("jobsList");
    QCOMPARE(jobs->model()->rowCount(), 2);
    for (int row = 0; row < jobs->model()->rowCount(); ++row)
      QVERIFY2(jobs->model()->index(row, 0).data().toString().contains(" done in "),
               qPrintable(jobs->model()->index(row, 0).data().toString()));
    auto* grid = table->findChild<QTableWidget*>("instanceTable");
    QTest::mouseClick(grid->viewport(), Qt::LeftButton, {}, grid->visualItemRect(grid->item(0, 0)).center());
    const std::string units = ", instance " + table->cell(0, "id").toStdString();
    QTRY_VERIFY_WITH_TIMEOUT(window.sliceModel()->heatmapStyle().units.find(units) != std::string::npos, 10000);
  }

  // At normal size (96 dpi), the colour bar's labels and the Analysis dock's chart text are at
  // least 9 pt: 12 px for the text, digits at least 8 px tall on screen.
  void colourBarAndChartTextIsAtLeastNinePoints() {
    MainWindow window;
    QVERIFY(openStudyAndModel(window));
    QVERIFY(explainAndWait(window, "integrated_gradients", "steps=4"));
    QTest::qWait(300);
    for (voxplain::render::SliceView* view : window.slicePanel()->views()) {
      const QImage image = view->grabImage();
      const QRect labels = view->colorBarLabelsRect();
      QVERIFY2(!labels.isEmpty(), qPrintable(view->objectName() + ": no colour bar"));
      const int digits = textHeight(image, labels);
      if (digits < 8) image.save(kShots + "/" + view->objectName() + "_colour_bar.png");
      QVERIFY2(digits >= 8,
               qPrintable(QString("%1: colour-bar digits %2 px tall").arg(view->objectName()).arg(digits)));
    }
    for (const char* name : {"modalityChart", "segmentChart"}) {
      auto* chart = window.findChild<voxplain::ui::ChartView*>(name);
      QVERIFY(chart);
      if (!chart->isVisible()) continue;
      QVERIFY2(chart->textPointSize() >= 9.0 - 1e-9,
               qPrintable(QString("%1: chart text %2 pt").arg(name).arg(chart->textPointSize())));
    }
  }

  // Grad-CAM gives every sequence the same map: no modality shares of |A| (0.50 / 0.50 by
  // construction) are charted, and the panel says why.
  void camMapsAreNotSplitIntoModalityShares() {
    MainWindow window;
    QVERIFY(openStudyAndModel(window));
    QVERIFY(explainAndWait(window, "gradcam", ""));
    QVERIFY(window.analysisPanel()->modalitySummary().isEmpty());
    QVERIFY(!window.findChild<voxplain::ui::ChartView*>("modalityChart")->isVisible());
    bool said = false;
    for (const QLabel* label : window.analysisPanel()->findChildren<QLabel*>())
      said |= label->isVisible() && label->text().contains("not separable by this method");
    QVERIFY(said);
  }

  // The Layers panel names every class of the model with its colour; the explained class is filled
  // and the others outlined; unticking a class takes it out of the panes.
  void labelLegendNamesTheClassesAndHidesOnRequest() {
    MainWindow window;
    QVERIFY(openStudyAndModel(window));
    voxplain::ui::LabelLegend* legend = window.findChild<voxplain::ui::LabelLegend*>();
    QVERIFY(legend && legend->isVisibleTo(&window));
    const std::vector<voxplain::ui::LabelLegend::Row> rows = legend->rows();
    QVERIFY(!rows.empty());
    for (const auto& row : rows) {
      QVERIFY2(!row.name.isEmpty() && row.visible, qPrintable(row.name));
      QCOMPARE(row.filled, row.value == 1);  // the demo model explains class 1 by default
    }
    QSignalSpy predicted(&window, &MainWindow::predictionShown);
    QVERIFY(window.queuePrediction() > 0);
    QVERIFY(predicted.wait(120000));
    auto count = [&window](int value) {
      vtkImageData* image = window.sliceModel()->labels(2);
      if (!image) return 0;
      const auto* v = static_cast<const std::uint16_t*>(image->GetScalarPointer());
      return int(std::count(v, v + image->GetNumberOfPoints(), std::uint16_t(value)));
    };
    QVERIFY(count(1) > 0);
    legend->setClassVisible(1, false);
    QCOMPARE(window.sliceModel()->labelStyle(1), voxplain::ui::LabelStyle::Hidden);
    QCOMPARE(count(1), 0);
    legend->setClassVisible(1, true);
    QVERIFY(count(1) > 0);
  }

  // Quit with runs not saved in a session asks first; Cancel keeps the window, Discard closes it.
  void quitAsksAboutUnsavedRuns() {
    MainWindow window;
    QVERIFY(openStudyAndModel(window));
    QVERIFY(explainAndWait(window, "saliency", ""));
    QCOMPARE(window.unsavedRuns(), 1);
    for (const QMessageBox::StandardButton answer : {QMessageBox::Cancel, QMessageBox::Discard}) {
      QString question;
      QTimer::singleShot(300, [&question, answer] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (!box) return;
        question = box->text();
        box->button(answer)->click();
      });
      window.close();
      QVERIFY2(question.contains("not saved in a session"), qPrintable(question));
      QCOMPARE(window.isVisible(), answer == QMessageBox::Cancel);
    }
  }
};

VOXPLAIN_GUI_TEST_MAIN(TestInFrontOfClinicians)
#include "test_in_front_of_clinicians.moc"
