// The main window under Xvfb: the demo study loads in the worker thread, the geometry panel shows
// the grid, the 3D view is not empty, and a bad file reports an error naming it.
#include <QtTest>

#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMenu>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QUrl>

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>

#include "AnalysisPanel.h"
#include "FigureExportDialog.h"
#include "MainWindow.h"
#include "NnunetChoiceDialog.h"
#include "SeriesBrowser.h"
#include "SlicePanel.h"
#include "SliceView.h"
#include "VtkView.h"
#include "analysis/CohortMerge.h"
#include "io/DicomCatalog.h"
#include "io/ImageReader.h"

using voxplain::NnunetChoice;
using voxplain::NnunetTrainer;
using voxplain::ui::AnalysisPanel;
using voxplain::ui::MainWindow;
using voxplain::ui::NnunetChoiceDialog;
using voxplain::ui::SeriesBrowser;

namespace {
// Pixels that differ clearly from the background gradient's colours (dark blue-grey).
int litPixels(const QImage& image) {
  int lit = 0;
  for (int y = 0; y < image.height(); y += 2)
    for (int x = 0; x < image.width(); x += 2) {
      const QColor c = image.pixelColor(x, y);
      if (c.red() > c.blue() + 25 && c.red() > 70) ++lit;  // warm volume colours
    }
  return lit;
}
const QStringList kDemo = {QDir(VOXPLAIN_DEMO_DIR).filePath("demo_flair.nii.gz"),
                           QDir(VOXPLAIN_DEMO_DIR).filePath("demo_t1.nii.gz")};

// Shows `window`, opens the demo study with its lesion labels and Integrated Gradients maps and
// waits until everything is on screen.
bool openDemoWithOverlays(MainWindow& window) {
  window.show();
  QSignalSpy done(&window, &MainWindow::everythingShown);
  const QDir demo(VOXPLAIN_DEMO_DIR);
  window.openStudy(
      kDemo, demo.filePath("demo_lesions.nii.gz"),
      {demo.filePath("maps/integrated_gradients_FLAIR.nii.gz"), demo.filePath("maps/integrated_gradients_T1.nii.gz")});
  return done.wait(60000);
}

// Shows `window`, opens the demo study and waits until it is displayed.
bool showDemo(MainWindow& window) {
  window.show();
  QSignalSpy shown(&window, &MainWindow::studyShown);
  window.openStudy(kDemo);
  return shown.wait(60000);
}
}  // namespace

class TestMainWindow : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  // nnUNetv2_predict's defaults preselected (every fold, final checkpoint, mirroring); the folds
  // follow the trainer and checkpoint chosen; Open needs a fold.
  void nnunetChoiceDialogStartsFromNnunetsDefaults() {
    NnunetTrainer fullres{"/d/nnUNetTrainer__nnUNetPlans__3d_fullres", "3d_fullres", {0, 1, 2}, {1}};
    NnunetTrainer lowres{"/d/nnUNetTrainer__nnUNetPlans__3d_lowres", "3d_lowres", {0}, {}};
    NnunetChoiceDialog dialog({fullres, lowres});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QDir().mkpath(VOXPLAIN_SCREENSHOT_DIR);
    dialog.grab().save(QString(VOXPLAIN_SCREENSHOT_DIR) + "/nnunet_choice_dialog.png");
    NnunetChoice c = dialog.choice();
    QCOMPARE(c.configuration, std::string("3d_fullres"));
    QCOMPARE(c.folds, (std::vector<int>{0, 1, 2}));
    QCOMPARE(c.checkpoint, std::string("checkpoint_final.pth"));
    QVERIFY(c.mirroring);
    QCOMPARE(dialog.trainerFolder(), QString("/d/nnUNetTrainer__nnUNetPlans__3d_fullres"));
    dialog.setFold(1, false);
    QCOMPARE(dialog.choice().folds, (std::vector<int>{0, 2}));
    dialog.findChild<QComboBox*>("nnunetCheckpoint")->setCurrentIndex(1);
    QCOMPARE(dialog.choice().folds, (std::vector<int>{1}));
    QCOMPARE(dialog.choice().checkpoint, std::string("checkpoint_best.pth"));
    dialog.setFold(1, false);
    auto* buttons = dialog.findChild<QDialogButtonBox*>();
    QVERIFY(!buttons->button(QDialogButtonBox::Open)->isEnabled());
    dialog.setTrainer(1);
    QVERIFY(dialog.choice().folds.empty());  // lowres has no checkpoint_best
    QVERIFY(!dialog.findChild<QLabel*>("nnunetProblem")->text().isEmpty());
    dialog.findChild<QCheckBox*>("nnunetMirroring")->setChecked(false);
    QVERIFY(!dialog.choice().mirroring);
  }
  void demoStudyLoadsWithBothModalities() {
    MainWindow window;
    QVERIFY(showDemo(window));
    QCOMPARE(int(window.study()->modalities().size()), 2);
    auto* panel = window.findChild<QTreeWidget*>("geometryPanel");
    QVERIFY(panel);
    QCOMPARE(panel->topLevelItem(0)->child(0)->text(1), QString("96 x 96 x 64 voxels"));
  }
  void volumeRenderingIsNotEmpty() {
    MainWindow window;
    QVERIFY(showDemo(window));
    auto* view = window.findChild<voxplain::render::VtkView*>("view3d");
    QVERIFY(view);
    const QImage image = view->grabImage();
    QDir().mkpath(VOXPLAIN_SCREENSHOT_DIR);
    image.save(QString(VOXPLAIN_SCREENSHOT_DIR) + "/test_main_window_3d.png");
    QVERIFY2(litPixels(image) > 500,
             qPrintable(QString("only %1 lit pixels: the 3D view rendered empty").arg(litPixels(image))));
  }
  void demoShowsLabelAndAttributionOverlaysInEveryPane() {
    MainWindow window;
    QVERIFY(openDemoWithOverlays(window));
    const auto& views = window.slicePanel()->views();
    QCOMPARE(int(views.size()), 6);  // 2 modalities x axial, coronal, sagittal
    QCOMPARE(views[0]->edgeLabels().join(""), QString("RLAP"));
    QDir().mkpath(VOXPLAIN_SCREENSHOT_DIR);
    window.grab().save(QString(VOXPLAIN_SCREENSHOT_DIR) + "/test_main_window_demo.png");
    for (voxplain::render::SliceView* v : views) {
      const QImage image = v->grabImage();
      int grey = 0, coloured = 0;
      for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2) {
          const QColor c = image.pixelColor(x, y);
          grey += qGray(c.rgb()) > 40;
          coloured += std::abs(c.red() - c.blue()) > 60 && c.green() < 160;  // red/blue overlay, not yellow text
        }
      QVERIFY2(grey > 500, qPrintable(v->objectName() + " rendered empty"));
      QVERIFY2(coloured > 20, qPrintable(v->objectName() + " shows no overlay at the cursor (on the largest lesion)"));
    }
  }
  void analysisChartsShowModalityAndSegmentImportance() {
    MainWindow window;
    window.setLabelNames({{0, "background"}, {1, "lesion"}});
    QVERIFY(openDemoWithOverlays(window));
    AnalysisPanel* panel = window.analysisPanel();
    // "demo_flair 0.25, demo_t1 0.75": one share per modality, adding up to 1.
    const QRegularExpression share("^demo_flair (0\\.\\d+), demo_t1 (0\\.\\d+)$");
    const QRegularExpressionMatch m = share.match(panel->modalitySummary());
    QVERIFY2(m.hasMatch(), qPrintable(panel->modalitySummary()));
    QVERIFY(std::abs(m.captured(1).toDouble() + m.captured(2).toDouble() - 1.0) <= 0.011);
    QCOMPARE(panel->segmentRows(), 2);  // background and lesion
    const QString file = QString(VOXPLAIN_SCREENSHOT_DIR) + "/analysis_charts.png";
    QCOMPARE(panel->saveCharts(file), QString());
    const QImage charts(file);
    QVERIFY(charts.width() > 100 && charts.height() > 200);
    int dark = 0;
    for (int y = 0; y < charts.height(); y += 3)
      for (int x = 0; x < charts.width(); x += 3) dark += qGray(charts.pixel(x, y)) < 128;
    QVERIFY2(dark > 200, "the charts look empty");

    // Figures: rendered at the asked resolution (not a screen grab), vector SVG and PDF, a caption.
    panel->setCaption("Demo model; Integrated Gradients (steps=8); target class=1");
    QTemporaryDir dir;
    QCOMPARE(panel->saveCharts(dir.filePath("a150.png"), 150), QString());
    QCOMPARE(panel->saveCharts(dir.filePath("a300.png"), 300), QString());
    const QImage low(dir.filePath("a150.png")), high(dir.filePath("a300.png"));
    QVERIFY2(std::abs(high.width() - 2 * low.width()) <= 2,
             qPrintable(QString("%1 vs %2").arg(high.width()).arg(low.width())));
    QCOMPARE(high.dotsPerMeterX(), int(std::lround(300 / 0.0254)));
    QCOMPARE(panel->saveCharts(dir.filePath("a.svg")), QString());
    QFile svg(dir.filePath("a.svg"));
    QVERIFY(svg.open(QIODevice::ReadOnly));
    const QByteArray svgText = svg.readAll();
    QVERIFY(svgText.contains("<svg") && svgText.contains("Integrated Gradients (steps=8)") &&
            svgText.contains("lesion"));
    QCOMPARE(panel->saveCharts(dir.filePath("a.pdf")), QString());
    QFile pdf(dir.filePath("a.pdf"));
    QVERIFY(pdf.open(QIODevice::ReadOnly));
    QVERIFY(pdf.read(5) == "%PDF-");
    QVERIFY(panel->saveCharts(dir.filePath("a.bmp")).contains("use .png, .svg or .pdf"));
    QVERIFY(!panel->saveCharts(dir.filePath("no/such/folder/a.png")).isEmpty());
    QVERIFY(!QFile::exists(dir.filePath("no/such/folder/a.png")));
  }
  void viewFiguresAreRenderedAgainAtTheChosenResolution() {
    MainWindow window;
    QVERIFY(openDemoWithOverlays(window));
    QVERIFY(window.figureSubjects().contains("demo_flair axial"));
    QVERIFY(window.figureSubjects().contains("3D view"));
    voxplain::render::SliceView* pane = window.slicePanel()->views()[0];
    QTemporaryDir dir;
    voxplain::ui::FigureOptions options;
    options.caption = "Demo model; Integrated Gradients (steps=8); target class=1";
    // Rendered offscreen at view size x dpi / 96 (not a screen grab scaled up), caption band above.
    options.dpi = 96;
    QCOMPARE(window.exportFigure("demo_flair axial", dir.filePath("v96.png"), options), QString());
    options.dpi = 288;
    QCOMPARE(window.exportFigure("demo_flair axial", dir.filePath("v288.png"), options), QString());
    const QImage low(dir.filePath("v96.png")), high(dir.filePath("v288.png"));
    QCOMPARE(low.width(), pane->width());
    QCOMPARE(high.width(), 3 * pane->width());
    const int band = low.height() - pane->height();
    QVERIFY2(band > 10 && std::abs(high.height() - 3 * low.height()) <= 3,
             qPrintable(QString("%1 / %2").arg(low.height()).arg(high.height())));
    int captionInk = 0;
    for (int y = 0; y < band; ++y)
      for (int x = 0; x < low.width(); ++x) captionInk += qGray(low.pixel(x, y)) < 100;
    QVERIFY2(captionInk > 50, "no caption text above the view");
    // The same scene: the 288 dpi view scaled down matches the view on screen; it shows the overlay.
    const QImage screen = pane->grabImage().convertToFormat(QImage::Format_RGB32);
    const QImage down = high.copy(0, 3 * band, high.width(), high.height() - 3 * band)
                            .scaled(screen.size(), Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
                            .convertToFormat(QImage::Format_RGB32);
    double difference = 0;
    int coloured = 0;
    for (int y = 0; y < screen.height(); ++y)
      for (int x = 0; x < screen.width(); ++x) {
        const QColor a = screen.pixelColor(x, y), b = down.pixelColor(x, y);
        difference += std::abs(qGray(a.rgb()) - qGray(b.rgb()));
        coloured += std::abs(b.red() - b.blue()) > 60 && b.green() < 160;
      }
    difference /= double(screen.width()) * screen.height();
    QVERIFY2(difference < 12, qPrintable(QString("mean grey difference %1 to the view on screen").arg(difference)));
    QVERIFY2(coloured > 50, "the figure lost the attribution overlay");
    // SVG embeds the pixels under a vector caption; PDF.
    options.dpi = 150;
    QCOMPARE(window.exportFigure("3D view", dir.filePath("v.svg"), options), QString());
    QFile svg(dir.filePath("v.svg"));
    QVERIFY(svg.open(QIODevice::ReadOnly));
    const QByteArray svgText = svg.readAll();
    QVERIFY(svgText.contains("<image") && svgText.contains("Integrated Gradients (steps=8)"));
    QCOMPARE(window.exportFigure("demo_t1 sagittal", dir.filePath("v.pdf"), options), QString());
    QFile pdf(dir.filePath("v.pdf"));
    QVERIFY(pdf.open(QIODevice::ReadOnly) && pdf.read(5) == "%PDF-");
    // The whole window: every view rendered at the figure's scale where it sits.
    options.dpi = 192;
    QCOMPARE(window.exportFigure("Whole window", dir.filePath("layout.png"), options), QString());
    const QImage layout(dir.filePath("layout.png"));
    QCOMPARE(layout.width(), 2 * window.width());
    const QPoint at = pane->mapTo(&window, QPoint(0, 0));
    const int layoutBand = layout.height() - 2 * window.height();
    int lit = 0;
    for (int y = 0; y < 2 * pane->height(); y += 2)
      for (int x = 0; x < 2 * pane->width(); x += 2)
        lit += qGray(layout.pixel(2 * at.x() + x, layoutBand + 2 * at.y() + y)) > 40;
    QVERIFY2(lit > 500, "the slice pane is empty in the window figure");
    QDir().mkpath(VOXPLAIN_SCREENSHOT_DIR);
    for (const auto& [from, to] : {std::pair<QString, QString>{"layout.png", "figure_whole_window.png"},
                                   {"v288.png", "figure_flair_axial.png"}}) {
      QFile::remove(QString(VOXPLAIN_SCREENSHOT_DIR) + "/" + to);
      QVERIFY(QFile::copy(dir.filePath(from), QString(VOXPLAIN_SCREENSHOT_DIR) + "/" + to));
    }
    // Refusals: an existing file (unless replacing), an unknown subject or format.
    QVERIFY(window.exportFigure("3D view", dir.filePath("v.svg"), options).contains("exists"));
    QCOMPARE(window.exportFigure("3D view", dir.filePath("v.svg"), options, true), QString());
    QVERIFY(window.exportFigure("FLAIR oblique", dir.filePath("x.png"), options).contains("not shown"));
    QVERIFY(window.exportFigure("3D view", dir.filePath("x.bmp"), options).contains("use .png, .svg or .pdf"));
    QVERIFY(!QFile::exists(dir.filePath("x.png")) && !QFile::exists(dir.filePath("x.bmp")));
  }
  void figureDialogOffersTheShownViewsAndRefusesUnknownFormats() {
    voxplain::ui::FigureExportDialog dialog({"Whole window", "3D view", "FLAIR axial"}, "caption", QDir::tempPath());
    auto* save = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Save);
    dialog.choose("FLAIR axial", QDir::temp().filePath("f.pdf"), 600, "Model; method");
    QVERIFY(save->isEnabled());
    QCOMPARE(dialog.subject(), QString("FLAIR axial"));
    QCOMPARE(dialog.options().dpi, 600);
    QCOMPARE(dialog.options().caption, QString("Model; method"));
    dialog.choose("3D view", QDir::temp().filePath("f.bmp"), 300, {});
    QVERIFY(!save->isEnabled());
  }
  void droppedFilesOpenAsAStudyAndAreRemembered() {
    QSettings().clear();
    MainWindow window;
    window.show();
    QSignalSpy shown(&window, &MainWindow::studyShown);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(kDemo[0]), QUrl::fromLocalFile(kDemo[1])});
    // What a drag from a file manager delivers: enter, then drop.
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    QVERIFY(shown.wait(60000));
    QCOMPARE(int(window.study()->modalities().size()), 2);
    QVERIFY(!MainWindow::recentStudies().isEmpty());
    QStringList recentPaths;
    const QList<std::vector<voxplain::StudyInput>> studies = MainWindow::recentStudies();
    for (const voxplain::StudyInput& in : studies.first()) recentPaths << QString::fromStdString(in.path.string());
    QCOMPARE(recentPaths, kDemo);
    auto* recent = window.findChild<QMenu*>("recentMenu");
    QVERIFY(recent && recent->isEnabled());
    QVERIFY2(recent->actions().first()->text().contains("demo_flair.nii.gz"),
             qPrintable(recent->actions().first()->text()));
  }
  void seriesBrowserListsEverySeriesAndOpensTheTickedOne() {
    MainWindow window;
    window.show();
    const QString folder = QString(VOXPLAIN_TEST_DATA) + "/dicom";  // five series in subfolders
    const voxplain::DicomCatalog ct = voxplain::scanDicom(folder.toStdString() + "/ct_ge_tiny_5slice");
    QCOMPARE(int(ct.series.size()), 1);
    SeriesBrowser* browser = window.browseDicomFolder(folder);
    QSignalSpy scanned(browser, &SeriesBrowser::scanFinished);
    QVERIFY(scanned.wait(60000));
    QVERIFY2(browser->seriesCount() >= 5, qPrintable(browser->message()));
    auto* tree = browser->findChild<QTreeWidget*>("seriesTree");
    QVERIFY(tree->topLevelItemCount() >= 1);   // patients at the top
    QVERIFY(browser->chosenInputs().empty());  // several series: none ticked for the user
    QVERIFY(browser->setSeriesChecked(QString::fromStdString(ct.series.front().seriesUid), true));
    QTest::qWait(300);
    QDir().mkpath(VOXPLAIN_SCREENSHOT_DIR);
    browser->grab().save(QString(VOXPLAIN_SCREENSHOT_DIR) + "/test_main_window_series_browser.png");
    QCOMPARE(int(browser->chosenInputs().size()), 1);
    QSignalSpy shown(&window, &MainWindow::studyShown);
    browser->accept();
    QVERIFY(shown.wait(60000));
    QCOMPARE(int(window.study()->modalities().size()), 1);
    QCOMPARE(window.study()->modalities()[0].volume.size()[2], std::int64_t(5));
    const std::string expected = ct.series.front().seriesDescription.empty()
                                     ? "CT " + std::to_string(ct.series.front().seriesNumber)
                                     : ct.series.front().seriesDescription;
    QCOMPARE(window.study()->modalities()[0].name, expected);
    // Remembered with its series: the recent entry reopens this series, not the whole folder.
    QCOMPARE(MainWindow::recentStudies().first().front().series, ct.series.front().seriesUid);
  }
  void demoDicomStudyOpensThroughTheSeriesBrowserLikeItsNifti() {
    // The realistic demo ships its FLAIR and T1 as a DICOM study of a synthetic patient too.
    MainWindow window;
    window.show();
    const QString demo = VOXPLAIN_BRAIN_DEMO_DIR;
    const voxplain::DicomCatalog catalog = voxplain::scanDicom((demo + "/dicom").toStdString());
    QCOMPARE(int(catalog.series.size()), 2);
    SeriesBrowser* browser = window.browseDicomFolder(demo + "/dicom");
    QSignalSpy scanned(browser, &SeriesBrowser::scanFinished);
    QVERIFY(scanned.wait(60000));
    QCOMPARE(browser->seriesCount(), 2);
    for (const auto& series : catalog.series)
      QVERIFY(browser->setSeriesChecked(QString::fromStdString(series.seriesUid), true));
    QSignalSpy shown(&window, &MainWindow::studyShown);
    browser->accept();
    QVERIFY(shown.wait(60000));
    QCOMPARE(int(window.study()->modalities().size()), 2);
    const voxplain::LoadedImage nifti = voxplain::readImage((demo + "/demo_flair.nii.gz").toStdString());
    const auto& flair = window.study()->modalities()[0];
    QVERIFY2(QString::fromStdString(flair.name).contains("FLAIR"), flair.name.c_str());
    QVERIFY(voxplain::compareGeometry(flair.volume.geometry(), nifti.geometry()).sameGrid());
    for (std::size_t i = 0; i < flair.volume.voxelCount(); i += 997)
      QCOMPARE(flair.volume.voxels()[i], float(std::lround(nifti.volumes[0].voxels()[i])));
  }
  void aFolderOfSeveralSeriesOpensTheBrowser() {
    MainWindow window;
    window.show();
    window.openStudy({QString(VOXPLAIN_TEST_DATA) + "/dicom"});
    QTRY_VERIFY_WITH_TIMEOUT(window.findChild<SeriesBrowser*>() != nullptr, 60000);
    QVERIFY(!window.study());
  }
  void cohortResultOpensInTheAnalysisDock() {
    // Two cases of two classes over three segments, merged by core as `voxplain-cli merge` does.
    auto record = [](const std::string& id, double lesionShare) {
      nlohmann::json cells = nlohmann::json::array();
      for (const char* target : {"lesion", "ventricle"})
        for (const auto& [segment, share] : std::vector<std::pair<std::string, double>>{
                 {"background", 0.1}, {"lesion", lesionShare}, {"ventricle", 0.9 - lesionShare}})
          cells.push_back({{"target", target},
                           {"segment", segment},
                           {"modality", "all"},
                           {"share", share},
                           {"mean", 1.0},
                           {"per_mm3", 1.0},
                           {"signed", 1.0},
                           {"positive_share", 1.0},
                           {"negative_share", 0.0}});
      return nlohmann::json{
          {"case", id},
          {"model", {{"sha256", "abc"}, {"name", "demo"}}},
          {"method", "saliency"},
          {"parameters", nlohmann::json::object()},
          {"segment_importance",
           {{"modalities", {"FLAIR"}},
            {"targets", {{{"label", 1}, {"name", "lesion"}}, {{"label", 2}, {"name", "ventricle"}}}},
            {"segments",
             {{{"label", 0}, {"name", "background"}},
              {{"label", 1}, {"name", "lesion"}},
              {{"label", 2}, {"name", "ventricle"}}}},
            {"cells", cells}}},
          {"modality_importance",
           {{"modalities", {{{"name", "FLAIR"}, {"abs_share", 0.7}}, {{"name", "T1"}, {"abs_share", 0.3}}}}}}};
    };
    const voxplain::CohortSummary cohort = voxplain::mergeCases({record("a", 0.5), record("b", 0.7)});
    QTemporaryDir dir;
    const QString file = dir.filePath("segment_importance.json");
    QFile out(file);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(QByteArray::fromStdString(cohort.toJson().dump()));
    out.close();
    MainWindow window;
    window.show();
    QSignalSpy shown(&window, &MainWindow::cohortShown);
    window.openCohort(file);
    QVERIFY(shown.wait(30000));
    auto* panel = window.findChild<AnalysisPanel*>("analysisPanel");
    const QTableWidget* matrix = panel->segmentMatrix();
    QCOMPARE(matrix->rowCount(), 2);
    QCOMPARE(matrix->columnCount(), 3);
    for (int t = 0; t < 2; ++t)
      for (int s = 0; s < 3; ++s) {
        const voxplain::MergedCell* c =
            cohort.cell(cohort.targets[std::size_t(t)], cohort.segments[std::size_t(s)], "all");
        QVERIFY(c);
        QCOMPARE(matrix->item(t, s)->data(Qt::UserRole).toDouble(), c->share.mean);
      }
    QVERIFY2(matrix->item(0, 1)->text().startsWith("0.600 ± 0.141 (n 2)"), qPrintable(matrix->item(0, 1)->text()));
    QCOMPARE(panel->barValue("segment", "lesion", "lesion").value_or(-1), 0.6);

    // A damaged file: an error naming it and the field, the charts unchanged.
    QFile damaged(dir.filePath("damaged.json"));
    QVERIFY(damaged.open(QIODevice::WriteOnly));
    damaged.write("{\"cases\": [\"a\"], \"targets\": 3}");
    damaged.close();
    QSignalSpy failed(&window, &MainWindow::loadFailed);
    window.openCohort(damaged.fileName());
    QVERIFY(failed.wait(30000));
    QVERIFY2(failed.first().first().toString().contains("damaged.json: targets: must be a list"),
             qPrintable(failed.first().first().toString()));
    QCOMPARE(panel->segmentMatrix()->rowCount(), 2);
  }
};

int main(int argc, char** argv) {
  voxplain::render::VtkView::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  QStandardPaths::setTestModeEnabled(true);  // QSettings of the tests, not the user's
  QApplication::setOrganizationName("VoxplainTests");
  TestMainWindow test;
  return QTest::qExec(&test, argc, argv);
}
#include "test_main_window.moc"
