// The app runs the model: the real window under Xvfb opens the test phantom study and the demo model (in the
// worker), runs methods chosen in the method panel, shows their maps in every pane, cancels a run,
// and keeps its event loop responsive while jobs run (the longest stall is printed).
#include <QtTest>

#include <QApplication>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QListView>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>

#include <vtkImageData.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>

#include "../io/DicomFixtureWriter.h"
#include "AnalysisPanel.h"
#include "DemoWindow.h"
#include "DicomExportDialog.h"
#include "ExplainPanel.h"
#include "InputAssignmentDialog.h"
#include "InstanceScatter.h"
#include "InstanceTable.h"
#include "LayerBrowser.h"
#include "LayerControls.h"
#include "MainWindow.h"
#include "PresentationMode.h"
#include "RunHistory.h"
#include "SlicePanel.h"
#include "SliceView.h"
#include "SliceViewModel.h"
#include "VtkView.h"
#include "analysis/ModalityImportance.h"
#include "attribution/MethodCatalog.h"
#include "io/DicomParametricMap.h"
#include "io/DicomSegmentation.h"
#include "io/NiftiIO.h"
#include "io/StudyReader.h"

using voxplain::testing::clickExplain;
using voxplain::testing::explainAndWait;
using voxplain::testing::openStudyAndModel;
using voxplain::ui::AnalysisPanel;
using voxplain::ui::ExplainPanel;
using voxplain::ui::InputAssignmentDialog;
using voxplain::ui::LayerBrowser;
using voxplain::ui::MainWindow;

namespace {
const QStringList kStudy = voxplain::testing::phantomStudy();

// Measures how long the GUI thread takes to handle an event: a thread posts a call to the GUI
// thread every 10 ms and each call notes how late it ran. The longest delay is the longest time the
// window could not respond (a user's click waits as long).
class StallMeter {
 public:
  StallMeter()
      : thread_([this] {
          while (!stop_.load()) {
            const qint64 posted = clock_.nsecsElapsed() / 1000000;
            QMetaObject::invokeMethod(
                qApp,
                [this, posted] {
                  const qint64 late = clock_.nsecsElapsed() / 1000000 - posted;
                  if (late > longest_.load()) longest_.store(late);
                },
                Qt::QueuedConnection);
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
          }
        }) {
    clock_.start();
  }
  ~StallMeter() {
    stop_.store(true);
    thread_.join();
    QCoreApplication::processEvents();  // the calls still queued refer to this object
  }
  qint64 longestMs() const { return longest_.load(); }

 private:
  QElapsedTimer clock_;
  std::atomic<qint64> longest_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// Shows the window with the demo model open (no study yet).
bool sameVoxels(const voxplain::Volume& a, const voxplain::Volume& b) {
  return a.size() == b.size() && a.voxels() == b.voxels();
}

bool openDemoModel(MainWindow& window) {
  window.show();
  QSignalSpy model(&window, &MainWindow::modelShown);
  window.openModel(VOXPLAIN_DEMO_MODEL);
  return model.wait(60000);
}

// The test study written as two DICOM series (FLAIR, T1; 16-bit with a slope) on the NIfTI grid.
std::vector<voxplain::StudyInput> writeDemoAsDicom(const std::filesystem::path& folder) {
  std::vector<voxplain::StudyInput> inputs;
  int number = 1;
  for (const auto& [name, file] : {std::pair<std::string, QString>{"FLAIR", kStudy[0]}, {"T1", kStudy[1]}}) {
    const voxplain::Volume volume = voxplain::readNifti(file.toStdString()).volumes.front();
    const voxplain::Geometry& grid = volume.geometry();
    voxplain::testing::SeriesSpec spec;
    spec.folder = (folder / name).string();
    spec.modality = "MR";
    spec.description = name;
    spec.seriesNumber = number++;
    spec.rows = unsigned(grid.size[1]);
    spec.columns = unsigned(grid.size[0]);
    spec.rowSpacing = grid.spacing[1];
    spec.columnSpacing = grid.spacing[0];
    spec.rowCosine = grid.axis(0);
    spec.columnCosine = grid.axis(1);
    for (std::size_t k = 0; k < grid.size[2]; ++k)
      spec.positions.push_back(grid.indexToPhysical({0.0, 0.0, double(k)}));
    const auto [low, high] = voxplain::valueRange(volume);
    spec.slope = std::max(std::abs(low), std::abs(high)) / 30000.0;
    spec.intercept = 0.0;
    spec.value = [&volume, &grid](const voxplain::Vec3& p) {
      const voxplain::Vec3 index = grid.physicalToIndex(p);
      return double(volume.at(std::size_t(std::lround(index[0])), std::size_t(std::lround(index[1])),
                              std::size_t(std::lround(index[2]))));
    };
    voxplain::testing::writeSeries(spec);
    inputs.push_back({folder / name, {}, name});
  }
  return inputs;
}

std::string attribute(const std::string& file, const DcmTagKey& tag) {
  DcmFileFormat ff;
  if (ff.loadFile(file.c_str()).bad()) return "<unreadable>";
  OFString value;
  ff.getDataset()->findAndGetOFString(tag, value);
  return value.c_str();
}

// Clicks Predict, then explains with `method` (default parameters); true once both are shown.
bool predictThenExplain(MainWindow& window, const QString& method) {
  QSignalSpy predicted(&window, &MainWindow::predictionShown);
  QTest::mouseClick(window.explainPanel()->findChild<QPushButton*>("predictButton"), Qt::LeftButton);
  if (!predicted.wait(120000)) return false;
  QSignalSpy explained(&window, &MainWindow::explanationShown);
  ExplainPanel* panel = window.explainPanel();
  auto* combo = panel->findChild<QComboBox*>("methodCombo");
  combo->setCurrentIndex(combo->findData(method));
  QTest::mouseClick(panel->findChild<QPushButton*>("explainButton"), Qt::LeftButton);
  return explained.wait(120000);
}

// Coloured (overlay) pixels in a slice view: red/blue of the maps or the label colours.
int colouredPixels(const QImage& image) {
  int coloured = 0;
  for (int y = 0; y < image.height(); y += 2)
    for (int x = 0; x < image.width(); x += 2) {
      const QColor c = image.pixelColor(x, y);
      coloured += std::abs(c.red() - c.blue()) > 60 && c.green() < 160;
    }
  return coloured;
}
}  // namespace

class TestAnalysisJobs : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void panelMethodsRunAndShowMapsInEveryPane() {
    MainWindow window;
    QVERIFY(openStudyAndModel(window));
    StallMeter stall;
    QSignalSpy explained(&window, &MainWindow::explanationShown);
    QSignalSpy failed(&window, &MainWindow::jobFailed);
    QVERIFY(clickExplain(window, "gradcam", ""));
    QVERIFY(clickExplain(window, "smoothgrad", "samples=4"));  // queued behind Grad-CAM
    while (explained.count() < 2 && failed.isEmpty()) QVERIFY(explained.wait(300000) || !failed.isEmpty());
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(1).toString()));
    qInfo("longest event-loop stall while Grad-CAM and SmoothGrad ran: %lld ms", stall.longestMs());
    const voxplain::ui::ExplanationResult* shown = window.shownExplanation();
    QVERIFY(shown);
    QCOMPARE(shown->method, QString("smoothgrad"));  // the later job is shown last
    QCOMPARE(shown->parameters.contains("samples=4"), true);
    // Both runs are in the jobs list, done.
    auto* jobs = window.explainPanel()->findChild<QListView*>("jobsList");
    QCOMPARE(jobs->model()->rowCount(), 2);
    for (int row = 0; row < 2; ++row)
      QVERIFY2(jobs->model()->index(row, 0).data().toString().contains("done"),
               qPrintable(jobs->model()->index(row, 0).data().toString()));
    // Every pane shows the maps; the charts show core's numbers for these maps.
    QDir().mkpath(VOXPLAIN_SCREENSHOT_DIR);
    window.grab().save(QString(VOXPLAIN_SCREENSHOT_DIR) + "/test_analysis_jobs_smoothgrad.png");
    for (voxplain::render::SliceView* v : window.slicePanel()->views())
      QVERIFY2(colouredPixels(v->grabImage()) > 20, qPrintable(v->objectName() + " shows no map"));
    const std::vector<double> shares = voxplain::absShares(*shown->maps);
    const QString expected = QString("FLAIR %1, T1 %2").arg(shares[0], 0, 'f', 2).arg(shares[1], 0, 'f', 2);
    QCOMPARE(window.analysisPanel()->modalitySummary(), expected);
    QVERIFY(window.analysisPanel()->segmentRows() >= 2);  // background and lesion of the prediction
    // Clicking the first run shows Grad-CAM again.
    QTest::mouseClick(jobs->viewport(), Qt::LeftButton, {}, jobs->visualRect(jobs->model()->index(1, 0)).center());
    QCOMPARE(window.shownExplanation()->method, QString("gradcam"));
  }
  void explanationCoversThePredictedSegmentation() {
    MainWindow window;
    QVERIFY(openStudyAndModel(window));
    QVERIFY(predictThenExplain(window, "saliency"));
    // The explained segmentation is the model's own (not the ground truth), and it is not empty.
    const voxplain::LabelVolume& labels = *window.shownExplanation()->predictedLabels;
    QVERIFY(std::count(labels.data(), labels.data() + labels.voxelCount(), 1) > 100);
  }
  // File > Export to DICOM on a DICOM study: the prediction as DICOM SEG and the shown explanation's
  // maps as Parametric Maps, read back equal, no patient identity unless asked.
  void dicomExportWritesTheShownResults() {
    QTemporaryDir dir;
    const std::filesystem::path root = dir.path().toStdString();
    MainWindow window;
    QVERIFY(openDemoModel(window));
    QSignalSpy shown(&window, &MainWindow::studyShown);
    window.openInputs(writeDemoAsDicom(root / "dicom"));
    QVERIFY(shown.wait(60000));
    QVERIFY(predictThenExplain(window, "saliency"));

    voxplain::ui::DicomExportDialog dialog(window.dicomExportProposal());
    dialog.choose("voxplain_dicom", true, true, false);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.grab().save(QString(VOXPLAIN_SCREENSHOT_DIR) + "/test_dicom_export_dialog.png");
    dialog.choose(QString::fromStdString((root / "out").string()), true, true, false);
    const voxplain::ui::DicomExportRequest request = dialog.request();
    QVERIFY(request.labels && request.maps);
    QCOMPARE(request.files().size(), std::size_t(3));
    QSignalSpy exported(&window, &MainWindow::dicomExported);
    window.exportDicom(request);
    QVERIFY(exported.wait(60000));
    QVERIFY2(exported.first().at(1).toString().isEmpty(), qPrintable(exported.first().at(1).toString()));
    QCOMPARE(exported.first().at(0).toStringList().size(), 3);

    const voxplain::DicomSegmentationRead seg = voxplain::readDicomSegmentation(root / "out" / "segmentation.dcm");
    QVERIFY(seg.labels.voxels() == request.labels->voxels());  // label 1 (lesion) is segment 1
    QCOMPARE(seg.segments.front().name, std::string("lesion"));
    const voxplain::ui::ExplanationResult* run = window.shownExplanation();
    for (std::size_t c = 0; c < run->modalities.size(); ++c) {
      const std::filesystem::path file = root / "out" / ("saliency_" + run->modalities[c] + ".dcm");
      QVERIFY((*run->maps)[c].voxels() == voxplain::readDicomParametricMap(file).map.voxels());
    }
    QCOMPARE(attribute((root / "out" / "segmentation.dcm").string(), DCM_PatientName), std::string());
    QCOMPARE(attribute((root / "out" / "saliency_FLAIR.dcm").string(), DCM_PatientID), std::string());

    // Unticked parts are not written; the identity is kept when asked; existing files are refused.
    dialog.choose(QString::fromStdString((root / "out").string()), true, false, true);
    QVERIFY(!dialog.request().maps && dialog.request().options.keepPatientIdentity);
    window.exportDicom(dialog.request());
    QVERIFY(exported.wait(60000));
    QVERIFY2(exported.last().at(1).toString().contains("exists"), qPrintable(exported.last().at(1).toString()));
  }

  void cancelStopsARunningJob() {
    MainWindow window;
    QVERIFY(openStudyAndModel(window));
    QSignalSpy cancelled(&window, &MainWindow::jobCancelled);
    QSignalSpy explained(&window, &MainWindow::explanationShown);
    StallMeter stall;
    QVERIFY(clickExplain(window, "smoothgrad", "samples=400"));
    // Let the job get going (prediction done, samples running), then press Cancel in the status bar.
    QTest::qWait(4000);
    QVERIFY2(explained.isEmpty(), "400 SmoothGrad samples finished in 4 s: the cancel test needs a longer job");
    auto* cancel = window.findChild<QPushButton*>("cancelButton");
    QVERIFY(cancel->isVisible());
    QElapsedTimer clock;
    clock.start();
    QTest::mouseClick(cancel, Qt::LeftButton);
    QVERIFY(cancelled.wait(60000));
    qInfo("cancel took %lld ms (click to the job's end); longest stall %lld ms", clock.elapsed(), stall.longestMs());
    QVERIFY(explained.isEmpty());
    auto* jobs = window.explainPanel()->findChild<QListView*>("jobsList");
    QVERIFY2(jobs->model()->index(0, 0).data().toString().contains("cancelled"),
             qPrintable(jobs->model()->index(0, 0).data().toString()));
    QTRY_VERIFY(!cancel->isVisible());
  }
  void instanceTableEqualsTheCliAndCentresOnAClick() {
    MainWindow window;
    const QString lesions = QDir(VOXPLAIN_GUI_TEST_STUDY).filePath("lesions.nii.gz");
    QSignalSpy reference(&window, &MainWindow::referenceShown);
    window.openReference(lesions);
    QVERIFY(openStudyAndModel(window));
    QVERIFY(reference.count() > 0 || reference.wait(30000));
    QVERIFY(window.explainPanel()->selectMethod("saliency"));
    QSignalSpy explained(&window, &MainWindow::explanationShown);
    QTest::mouseClick(window.explainPanel()->findChild<QPushButton*>("instancesButton"), Qt::LeftButton);
    QVERIFY(explained.wait(300000));
    // The same instances from voxplain-cli on the same files.
    QTemporaryDir out;
    QProcess cli;
    cli.start(VOXPLAIN_CLI, {"instances", "--model", VOXPLAIN_DEMO_MODEL, "--input", kStudy[0], "--input", kStudy[1],
                             "--method", "saliency", "--reference", lesions, "--out", out.path(), "--json"});
    QVERIFY(cli.waitForFinished(300000));
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
    const QJsonArray instances = QJsonDocument::fromJson(cli.readAllStandardOutput()).object()["instances"].toArray();
    voxplain::ui::InstanceTable* table = window.instanceTable();
    QVERIFY(instances.size() >= 2);
    QCOMPARE(table->rowCount(), int(instances.size()));
    for (int row = 0; row < table->rowCount(); ++row) {
      const int id = table->cell(row, "id").toInt();
      QJsonObject expected;
      for (const QJsonValue& v : instances)
        if (v.toObject()["id"].toInt() == id) expected = v.toObject();
      QVERIFY2(!expected.isEmpty(), qPrintable(QString("instance %1 is not in the CLI's output").arg(id)));
      QCOMPARE(table->cell(row, "volume_mm3").toDouble(), std::round(expected["volume_mm3"].toDouble() * 10) / 10);
      QCOMPARE(table->cell(row, "match"), expected["match"].toString());
      for (const QString m : {"FLAIR", "T1"}) {
        const double peak = expected["modalities"].toObject()[m].toObject()["peak"].toDouble();
        QVERIFY2(std::abs(table->cell(row, m + " peak").toDouble() - peak) <= 1e-4 + 1e-3 * std::abs(peak),
                 qPrintable(QString("instance %1 %2 peak: app %3, CLI %4")
                                .arg(id)
                                .arg(m, table->cell(row, m + " peak"))
                                .arg(peak)));
      }
    }
    // The scatter plots the same instances: TP/FP counts and each point's peak |A| as the CLI says.
    const voxplain::ui::InstanceScatter* scatter = table->scatter();
    int tp = 0, fp = 0;
    for (const QJsonValue& v : instances) {
      const QJsonObject o = v.toObject();
      (o["match"].toString() == "TP" ? tp : fp) += 1;
      double peak = 0;
      for (const QString m : {"FLAIR", "T1"})
        peak = std::max(peak, std::abs(o["modalities"].toObject()[m].toObject()["peak"].toDouble()));
      const QPointF point = scatter->pointOf(o["id"].toInt());
      QVERIFY2(std::abs(point.y() - peak) <= 1e-4 + 1e-3 * peak,
               qPrintable(QString("instance %1: scatter %2, CLI %3").arg(o["id"].toInt()).arg(point.y()).arg(peak)));
      QVERIFY(std::abs(point.x() - o["volume_mm3"].toDouble()) <= 1e-6 * o["volume_mm3"].toDouble());
    }
    QCOMPARE(scatter->pointCount("TP"), tp);
    QCOMPARE(scatter->pointCount("FP"), fp);
    // A click centres the views on the instance.
    auto* grid = table->findChild<QTableWidget*>("instanceTable");
    QTest::mouseClick(grid->viewport(), Qt::LeftButton, {}, grid->visualItemRect(grid->item(1, 0)).center());
    const int id = table->cell(1, "id").toInt();
    QJsonArray centroid;
    for (const QJsonValue& v : instances)
      if (v.toObject()["id"].toInt() == id) centroid = v.toObject()["centroid_lps_mm"].toArray();
    for (int a = 0; a < 3; ++a)
      QVERIFY(std::abs(window.sliceModel()->cursor()[std::size_t(a)] - centroid[a].toDouble()) < 1e-6);
    // ... and shows that instance's own map (prepared off the GUI thread).
    const std::string expectedUnits = ", instance " + std::to_string(id);
    QTRY_VERIFY_WITH_TIMEOUT(window.sliceModel()->heatmapStyle().units.find(expectedUnits) != std::string::npos, 10000);
    QDir().mkpath(VOXPLAIN_SCREENSHOT_DIR);
    window.grab().save(QString(VOXPLAIN_SCREENSHOT_DIR) + "/test_analysis_jobs_instances.png");
  }
  void ctrlClickExplainsAPointAndShiftDragABox() {
    MainWindow window;
    QVERIFY(openStudyAndModel(window));
    QVERIFY(window.explainPanel()->selectMethod("saliency"));
    QSignalSpy explained(&window, &MainWindow::explanationShown);
    voxplain::render::SliceView* axial = window.slicePanel()->views()[0];
    const QPoint centre = axial->rect().center();
    QTest::mouseClick(axial, Qt::LeftButton, Qt::ControlModifier, centre);
    QVERIFY(explained.wait(120000));
    QVERIFY2(window.shownExplanation()->target.startsWith("voxel"), qPrintable(window.shownExplanation()->target));
    QTest::mousePress(axial, Qt::LeftButton, Qt::ShiftModifier, centre - QPoint(30, 30));
    QTest::mouseMove(axial, centre + QPoint(30, 30));
    QTest::mouseRelease(axial, Qt::LeftButton, Qt::ShiftModifier, centre + QPoint(30, 30));
    QVERIFY(explained.wait(120000));
    QVERIFY2(window.shownExplanation()->target.startsWith("roi"), qPrintable(window.shownExplanation()->target));
  }
  void parameterFormsComeFromTheRegistry() {
    MainWindow window;
    ExplainPanel* panel = window.explainPanel();
    QVERIFY(panel->selectMethod("integrated_gradients"));
    auto* steps = panel->findChild<QWidget*>("params_integrated_gradients")->findChild<QSpinBox*>("param_steps");
    QVERIFY(steps);
    const voxplain::ParameterSpec* spec =
        voxplain::findParameter(voxplain::findMethod("integrated_gradients"), "steps");
    QCOMPARE(steps->value(), QString::fromStdString(spec->defaultValue).toInt());
    QCOMPARE(steps->maximum(), int(spec->max));
    QVERIFY(steps->toolTip().contains(QString::fromStdString(spec->help)));
    QVERIFY(panel->parameters().empty());  // defaults are not spelled out
    steps->setValue(3);
    // Typed as the spin box holds it: an integer, not text for core to parse back.
    const std::map<std::string, voxplain::ParameterValue> typed{{"steps", 3}};
    QVERIFY(panel->parameters().values() == typed);
    QVERIFY(!panel->setParameters("nosuch=1"));
  }
  // The Analysis dock's importance numbers equal voxplain-cli aggregate's for the same case, method
  // and model (two front ends, one engine).
  void importanceChartsEqualTheCli() {
    MainWindow window;
    QVERIFY(openStudyAndModel(window));
    QVERIFY(window.explainPanel()->selectMethod("saliency"));
    QSignalSpy explained(&window, &MainWindow::explanationShown);
    QTest::mouseClick(window.explainPanel()->findChild<QPushButton*>("importanceButton"), Qt::LeftButton);
    QVERIFY(explained.wait(300000));
    // The same analysis by voxplain-cli aggregate, on the same files.
    QTemporaryDir out;
    QFile cases(out.filePath("cases.csv"));
    QVERIFY(cases.open(QIODevice::WriteOnly));
    cases.write(QString("case,FLAIR,T1\ncase1,%1,%2\n").arg(kStudy[0], kStudy[1]).toUtf8());
    cases.close();
    QProcess cli;
    cli.start(VOXPLAIN_CLI, {"aggregate", "--cases", cases.fileName(), "--model", VOXPLAIN_DEMO_MODEL, "--method",
                             "saliency", "--shapley", "--out", out.filePath("cohort")});
    QVERIFY(cli.waitForFinished(300000));
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
    QFile caseFile(out.filePath("cohort/cases/case1.json"));
    QVERIFY(caseFile.open(QIODevice::ReadOnly));
    const QJsonObject result = QJsonDocument::fromJson(caseFile.readAll()).object();
    const AnalysisPanel* panel = window.findChild<AnalysisPanel*>("analysisPanel");
    auto close = [](std::optional<double> shown, double expected) {
      return shown && std::abs(*shown - expected) <= 1e-4 + 1e-3 * std::abs(expected);
    };
    const QJsonArray modalities = result["modality_importance"].toObject()["modalities"].toArray();
    QCOMPARE(modalities.size(), 2);
    for (const QJsonValue& m : modalities) {
      const QString name = m.toObject()["name"].toString();
      QVERIFY2(close(panel->barValue("modality", "share of |A|", name), m.toObject()["abs_share"].toDouble()),
               qPrintable(name));
      QVERIFY2(close(panel->barValue("modality", "Shapley share", name), m.toObject()["shapley_share"].toDouble()),
               qPrintable(name));
    }
    QTest::qWait(500);
    QDir().mkpath(VOXPLAIN_SCREENSHOT_DIR);
    window.grab().save(QString(VOXPLAIN_SCREENSHOT_DIR) + "/test_analysis_jobs_importance.png");
    const QJsonObject segments = result["segment_importance"].toObject();
    const QTableWidget* matrix = panel->segmentMatrix();
    QCOMPARE(matrix->rowCount(), int(segments["targets"].toArray().size()));
    QCOMPARE(matrix->columnCount(), int(segments["segments"].toArray().size()));
    for (int t = 0; t < matrix->rowCount(); ++t)
      for (int s = 0; s < matrix->columnCount(); ++s) {
        const QString target = segments["targets"].toArray()[t].toObject()["name"].toString();
        const QString segment = segments["segments"].toArray()[s].toObject()["name"].toString();
        std::optional<double> expected;
        for (const QJsonValue& c : segments["cells"].toArray())
          if (c.toObject()["target"] == target && c.toObject()["segment"] == segment &&
              c.toObject()["modality"] == "all")
            expected = c.toObject()["share"].toDouble();
        QVERIFY2(expected && close(matrix->item(t, s)->data(Qt::UserRole).toDouble(), *expected),
                 qPrintable(QString("cell %1 / %2").arg(target, segment)));
      }
  }
  void layerBrowserShowsOneChannelAfterAnother() {
    MainWindow window;
    QVERIFY(openStudyAndModel(window));
    auto* browser = window.findChild<LayerBrowser*>("layerBrowser");
    QVERIFY(browser);
    QVERIFY2(browser->layerCount() >= 10, qPrintable(QString::number(browser->layerCount())));  // enc1.conv1 ... head
    QVERIFY(browser->select("enc1.conv1", 1));
    QVERIFY(!browser->select("enc1.conv1", 8));  // the demo's first block has 8 channels: 0..7
    QVERIFY(browser->select("enc1.conv1", 1));
    QSignalSpy explained(&window, &MainWindow::explanationShown);
    QTest::mouseClick(browser->findChild<QPushButton*>("showActivationButton"), Qt::LeftButton);
    QVERIFY(explained.wait(120000));
    const voxplain::ui::ExplanationResult first = *window.shownExplanation();
    QCOMPARE(first.method, QString("activations"));
    QVERIFY2(first.parameters.contains("channel=1") && first.parameters.contains("enc1.conv1"),
             qPrintable(first.parameters));
    QTest::mouseClick(browser->findChild<QPushButton*>("nextChannelButton"), Qt::LeftButton);
    QVERIFY(explained.wait(120000));
    const voxplain::ui::ExplanationResult* second = window.shownExplanation();
    QVERIFY2(second->parameters.contains("channel=2"), qPrintable(second->parameters));
    // Two channels, two different feature maps (each non-zero).
    const voxplain::Volume& a = first.maps->front();
    const voxplain::Volume& b = second->maps->front();
    double difference = 0, magnitude = 0;
    for (std::size_t i = 0; i < a.voxelCount(); ++i) {
      difference += std::abs(a.data()[i] - b.data()[i]);
      magnitude += std::abs(a.data()[i]);
    }
    QVERIFY(magnitude > 0);
    QVERIFY(difference > 1e-3 * magnitude);
  }
  void twoRunsSideBySide() {
    MainWindow window;
    QVERIFY(openStudyAndModel(window));
    QSignalSpy explained(&window, &MainWindow::explanationShown);
    QVERIFY(clickExplain(window, "saliency", ""));
    QVERIFY(explained.wait(300000));
    const int first = explained.last().first().toInt();
    QVERIFY(clickExplain(window, "gradcam", ""));
    QVERIFY(explained.wait(300000));
    const int second = explained.last().first().toInt();
    QVERIFY(window.explainPanel()->selectJobs({first, second}));
    auto* compare = window.explainPanel()->findChild<QPushButton*>("compareButton");
    QVERIFY(compare->isEnabled());
    QTest::mouseClick(compare, Qt::LeftButton);
    voxplain::ui::SliceViewModel* slices = window.sliceModel();
    QCOMPARE(slices->modalityCount(), 4);  // FLAIR and T1 of each run
    QVERIFY2(slices->modalityName(0).contains("saliency") && slices->modalityName(3).contains("gradcam"),
             qPrintable(slices->modalityName(0) + " / " + slices->modalityName(3)));
    for (int m = 0; m < 4; ++m) QVERIFY(slices->heatmap(m));
    QCOMPARE(slices->heatmapStyle().range, 1.0);  // each run scaled to its own range
    QTest::qWait(500);                            // the new panes lay out and render before the grab
    QDir().mkpath(VOXPLAIN_SCREENSHOT_DIR);
    window.grab().save(QString(VOXPLAIN_SCREENSHOT_DIR) + "/test_analysis_jobs_side_by_side.png");
    // Showing one run again leaves the comparison.
    Q_EMIT window.explainPanel()->jobActivated(first);
    QCOMPARE(slices->modalityCount(), 2);
    QCOMPARE(slices->modalityName(0), QString("FLAIR"));
  }
  // A session saved with two runs, a changed view and the prediction opens in a new window with the
  // same runs (maps equal), the shown run, the prediction and the view; damaged files and existing
  // files are refused with the file named.
  void sessionRoundTripRestoresRunsAndView() {
    QTemporaryDir dir;
    const QString file = dir.filePath("case.voxplain");
    std::vector<float> shownMaps;
    std::vector<std::uint16_t> labels;
    nlohmann::json view;
    QString shownMethod;
    {
      MainWindow window;
      QVERIFY(openStudyAndModel(window));
      QSignalSpy explained(&window, &MainWindow::explanationShown);
      QVERIFY(clickExplain(window, "saliency", ""));
      QVERIFY(explained.wait(120000));
      QVERIFY(clickExplain(window, "input_x_gradient", ""));
      QVERIFY(explained.wait(120000));
      window.findChild<QSlider*>("thresholdSlider")->setValue(25);
      window.findChild<QComboBox*>("colormapCombo")->setCurrentIndex(1);
      window.sliceModel()->setCursor({10.0, -20.0, 5.0});
      const voxplain::ui::ExplanationResult* shown = window.shownExplanation();
      shownMethod = shown->method;
      shownMaps = (*shown->maps)[1].voxels();
      labels = shown->predictedLabels->voxels();
      view = window.viewState();
      QSignalSpy saved(&window, &MainWindow::sessionSaved);
      window.saveSession(file);
      QVERIFY(saved.wait(60000));
      QVERIFY2(saved.first().at(0).toString().isEmpty(), qPrintable(saved.first().at(0).toString()));
      window.saveSession(file);  // exists: refused unless asked
      QVERIFY(saved.wait(60000));
      QVERIFY2(saved.last().at(0).toString().contains("already exists"), qPrintable(saved.last().at(0).toString()));
    }
    MainWindow window;
    window.show();
    QSignalSpy restored(&window, &MainWindow::sessionRestored);
    QSignalSpy failed(&window, &MainWindow::loadFailed);
    window.openSession(file);
    QVERIFY(restored.wait(120000));
    QCOMPARE(window.runHistory()->size(), 2);
    const voxplain::ui::ExplanationResult* shown = window.shownExplanation();
    QVERIFY(shown);
    QCOMPARE(shown->method, shownMethod);
    QVERIFY((*shown->maps)[1].voxels() == shownMaps);
    QVERIFY(shown->predictedLabels->voxels() == labels);
    QVERIFY(window.prediction());  // the prediction is the study's again
    QVERIFY2(window.viewState() == view, window.viewState().dump().c_str());
    QCOMPARE(window.findChild<QSlider*>("thresholdSlider")->value(), 25);

    // A damaged session names itself.
    const QString damaged = dir.filePath("damaged.voxplain");
    QFile out(damaged);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(R"({"format": "voxplain-session", "schema_version": 1, "study": [{"path": 7}]})");
    out.close();
    window.openSession(damaged);
    QVERIFY(failed.wait(30000));
    QVERIFY2(failed.last().at(0).toString().contains("damaged.voxplain: study[0].path: must be a string"),
             qPrintable(failed.last().at(0).toString()));
  }

  // Presentation mode walks through study, prediction, maps, one instance and the chart, running
  // what is missing, and leaving restores the window as it was.
  // File > Export report: the same report folder as voxplain-cli report, written by a job of the
  // panel's method; a second report into the same folder is refused.
  void reportJobWritesTheReportFolder() {
    QTemporaryDir dir;
    MainWindow window;
    QVERIFY(openStudyAndModel(window));
    QVERIFY(window.explainPanel()->selectMethod("saliency"));
    QSignalSpy written(&window, &MainWindow::reportWritten);
    QSignalSpy failed(&window, &MainWindow::jobFailed);
    const QString folder = dir.filePath("report");
    QVERIFY(window.queueReport(folder) > 0);
    QVERIFY(written.wait(300000));
    const QStringList files = written.first().at(2).toStringList();
    for (const char* name : {"README.md", "prediction.nii.gz", "modality_importance.csv", "segment_importance.json",
                             "figures/segment_matrix.svg", "figures/segment_importance.svg",
                             "figures/segment_importance.png", "figures/modality_importance.png"})
      QVERIFY2(files.contains(name) && QFile::exists(QDir(folder).filePath(name)), name);
    // A slice picture per modality of the explained class (the study's slices, not only charts).
    for (const char* modality : {"FLAIR", "T1"}) {
      const QStringList slices =
          files.filter(QRegularExpression(QString("^figures/slices_.+_%1\\.png$").arg(modality)));
      QVERIFY2(slices.size() == 1, qPrintable(files.join(", ")));
      QVERIFY(QImage(QDir(folder).filePath(slices.first())).width() >= 100);
    }
    // The report's figure is the chart the app shows for that run (and voxplain-cli report writes).
    QFile figure(QDir(folder).filePath("figures/segment_importance.svg"));
    QVERIFY(figure.open(QIODevice::ReadOnly));
    const QByteArray shownFigure = figure.readAll();  // read once: QTRY_ re-evaluates both sides
    QTRY_COMPARE_WITH_TIMEOUT(window.analysisPanel()->chartSvg("segment"), shownFigure, 10000);
    QCOMPARE(QImage(QDir(folder).filePath("figures/segment_importance.png")).dotsPerMeterX(),
             int(std::lround(300 / 0.0254)));
    QFile readme(QDir(folder).filePath("README.md"));
    QVERIFY(readme.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(readme.readAll());
    QVERIFY2(text.contains("| Method | saliency |"), qPrintable(text));
    QVERIFY2(!text.contains(dir.path()) && !text.contains(QString(VOXPLAIN_GUI_TEST_STUDY)),
             "the README holds a machine's path");
    QVERIFY(window.queueReport(folder) > 0);
    QVERIFY(failed.wait(300000));
    QVERIFY2(failed.last().at(1).toString().contains("already holds files"),
             qPrintable(failed.last().at(1).toString()));
  }

  void presentationWalksThroughTheCase() {
    MainWindow window;
    QVERIFY(openStudyAndModel(window));
    QVERIFY(window.explainPanel()->selectMethod("saliency"));
    const nlohmann::json controlsBefore = window.findChild<voxplain::ui::LayerControls*>()->state();
    const QFont fontBefore = QApplication::font();
    voxplain::ui::PresentationMode* presentation = window.presentation();
    QSignalSpy steps(presentation, &voxplain::ui::PresentationMode::stepShown);
    presentation->start();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(presentation->step(), 1);
    QVERIFY(window.isFullScreen());
    QVERIFY(!window.findChild<QDockWidget*>("explainDock")->isVisible());
    QVERIFY(!window.sliceModel()->heatmapsShown());
    QVERIFY(QApplication::font().pointSizeF() > fontBefore.pointSizeF());
    // Each step that needs a result queues it and is shown again when it arrives.
    auto advance = [&](int step, const QString& expected) {
      QTest::keyClick(&window, Qt::Key_Right);
      QCOMPARE(presentation->step(), step);
      for (int tries = 0; tries < 4 && !presentation->caption().contains(expected); ++tries) steps.wait(300000);
      QVERIFY2(presentation->caption().contains(expected), qPrintable(presentation->caption()));
    };
    advance(2, "What the model segmented");
    advance(3, "Why: Saliency");
    QVERIFY(window.sliceModel()->heatmapsShown());
    window.grab().save(QString(VOXPLAIN_SCREENSHOT_DIR) + "/test_presentation_maps.png");
    advance(4, "One lesion on its own");
    advance(5, "Where the evidence lies");
    QVERIFY(window.findChild<QDockWidget*>("analysisDock")->isVisible());
    QTest::keyClick(&window, Qt::Key_Right);
    QCOMPARE(presentation->step(), 5);
    QTest::keyClick(&window, Qt::Key_Left);
    QCOMPARE(presentation->step(), 4);
    QTest::keyClick(&window, Qt::Key_Escape);
    QVERIFY(!presentation->active());
    QVERIFY(!window.isFullScreen());
    QVERIFY(window.findChild<QDockWidget*>("explainDock")->isVisible());
    QVERIFY(window.findChild<voxplain::ui::LayerControls*>()->state() == controlsBefore);
    QCOMPARE(QApplication::font(), fontBefore);
  }

  void inputsAreAssignedByNameAndAskedWhenNothingMatches() {
    // The study's files are named flair / t1: matched to FLAIR / T1 without asking, and renamed to
    // the model's spelling.
    MainWindow named;
    QVERIFY(openStudyAndModel(named));
    QCOMPARE(named.study()->modalities()[0].name, std::string("FLAIR"));
    QCOMPARE(named.study()->modalities()[1].name, std::string("T1"));
    QVERIFY(!named.findChild<InputAssignmentDialog*>());

    // Names that say nothing, T1 first: the dialog proposes by position; the user swaps them.
    QTemporaryDir dir;
    const QString a = dir.filePath("scan_a.nii.gz"), b = dir.filePath("scan_b.nii.gz");
    QVERIFY(QFile::copy(kStudy[1], a) && QFile::copy(kStudy[0], b));
    MainWindow window;
    QVERIFY(openDemoModel(window));
    QSignalSpy shown(&window, &MainWindow::studyShown);
    window.openStudy({a, b});
    QVERIFY(shown.wait(60000));
    auto* dialog = window.findChild<InputAssignmentDialog*>();
    QVERIFY(dialog && dialog->isVisible());
    QCOMPARE(dialog->chosen(), (std::vector<int>{0, 1}));
    QVERIFY2(dialog->warning().isEmpty(), qPrintable(dialog->warning()));  // one grid
    dialog->choose(0, 1);
    dialog->choose(1, 0);
    dialog->accept();
    QCOMPARE(window.study()->modalities()[0].name, std::string("T1"));     // scan_a, the T1 copy
    QCOMPARE(window.study()->modalities()[1].name, std::string("FLAIR"));  // scan_b
    QCOMPARE(window.study()->modalities()[1].volume.at(40, 40, 30),
             named.study()->modality("FLAIR").volume.at(40, 40, 30));
    // The model gets the same tensors in both windows, so the same maps, each on its volume's pane.
    QVERIFY(explainAndWait(named, "saliency", ""));
    QVERIFY(explainAndWait(window, "saliency", ""));
    QCOMPARE(window.shownExplanation()->modalities, (std::vector<std::string>{"T1", "FLAIR"}));
    QVERIFY(sameVoxels((*window.shownExplanation()->maps)[0], (*named.shownExplanation()->maps)[1]));
    QVERIFY(sameVoxels((*window.shownExplanation()->maps)[1], (*named.shownExplanation()->maps)[0]));
  }
  // A bare TorchScript file names no input: the study's volumes keep their names (no dialog, no
  // "input1"), the inputs take them in the study's order, and a swap in File > Assign model inputs
  // feeds the other volume first while each map stays on its own volume's pane.
  void bareModelTakesTheStudysNames() {
    QTemporaryDir dir;
    const QString bare = dir.filePath("bare.pt");
    QVERIFY(QFile::copy(QFileInfo(VOXPLAIN_DEMO_MODEL).dir().filePath("demo_unet.pt"), bare));
    MainWindow window;
    window.show();
    QSignalSpy model(&window, &MainWindow::modelShown);
    QSignalSpy shown(&window, &MainWindow::studyShown);
    window.openStudy(kStudy);
    QVERIFY(shown.wait(60000));
    window.openModel(bare);
    QVERIFY(model.wait(60000));
    QVERIFY(!window.findChild<InputAssignmentDialog*>());
    QCOMPARE(window.study()->modalities()[0].name, std::string("flair"));
    QCOMPARE(window.study()->modalities()[1].name, std::string("t1"));
    QVERIFY2(window.statusBar()->currentMessage().contains("input 1 = flair, input 2 = t1"),
             qPrintable(window.statusBar()->currentMessage()));
    QVERIFY(explainAndWait(window, "saliency", ""));
    QCOMPARE(window.shownExplanation()->modalities, (std::vector<std::string>{"flair", "t1"}));
    QCOMPARE(window.sliceModel()->modalityName(0), QString("flair"));

    InputAssignmentDialog* dialog = window.assignModelInputs(true);
    QVERIFY(dialog);
    dialog->choose(0, 1);
    dialog->choose(1, 0);
    dialog->accept();
    QCOMPARE(window.study()->modalities()[0].name, std::string("flair"));  // not renamed
    QVERIFY(explainAndWait(window, "saliency", ""));
    QCOMPARE(window.shownExplanation()->modalities, (std::vector<std::string>{"flair", "t1"}));
    const std::vector<voxplain::Volume> swapped = *window.shownExplanation()->maps;
    // The same tensors from a study opened T1 first, in its own order.
    window.openStudy({kStudy[1], kStudy[0]});
    QVERIFY(shown.wait(60000));
    for (const InputAssignmentDialog* asked : window.findChildren<InputAssignmentDialog*>())
      QVERIFY(!asked->isVisible());  // the accepted one waits for its deferred deletion
    QVERIFY(explainAndWait(window, "saliency", ""));
    QCOMPARE(window.shownExplanation()->modalities, (std::vector<std::string>{"t1", "flair"}));
    QVERIFY(sameVoxels((*window.shownExplanation()->maps)[0], swapped[1]));
    QVERIFY(sameVoxels((*window.shownExplanation()->maps)[1], swapped[0]));
  }
  void differentGridsAreWarnedAbout() {
    MainWindow window;
    QVERIFY(openDemoModel(window));
    QSignalSpy shown(&window, &MainWindow::studyShown);
    window.openStudy({kStudy[0], QString(VOXPLAIN_TEST_DATA) + "/nifti/example_mr_sm.nii.gz"});
    QVERIFY(shown.wait(60000));
    auto* dialog = window.findChild<InputAssignmentDialog*>();
    QVERIFY(dialog);  // example_mr_sm matches no input: asked
    QVERIFY2(dialog->warning().contains("example_mr_sm was resampled onto the grid of flair"),
             qPrintable(dialog->warning()));
    dialog->reject();
    QCOMPARE(window.study()->modalities()[1].name, std::string("example_mr_sm"));  // unchanged
  }
  void badModelReportsAnErrorNamingIt() {
    MainWindow window;  // not shown: no message box
    QSignalSpy failed(&window, &MainWindow::modelFailed);
    window.openModel(QString(VOXPLAIN_TEST_DATA) + "/bad/empty.nii");
    QVERIFY(failed.wait(30000));
    QVERIFY2(failed.first().first().toString().contains("empty.nii"), qPrintable(failed.first().first().toString()));
    QVERIFY(!window.explainPanel()->findChild<QPushButton*>("explainButton")->isEnabled());
  }
};

VOXPLAIN_GUI_TEST_MAIN(TestAnalysisJobs)
#include "test_analysis_jobs.moc"
