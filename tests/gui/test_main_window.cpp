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
#include <QTreeWidget>
#include <QUrl>

#include "AnalysisPanel.h"
#include "MainWindow.h"
#include "SlicePanel.h"
#include "SliceView.h"
#include "VtkView.h"

using voxplain::ui::AnalysisPanel;
using voxplain::ui::MainWindow;

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
    QVERIFY(panel->saveCharts(file));
    const QImage charts(file);
    QVERIFY(charts.width() > 100 && charts.height() > 200);
    int dark = 0;
    for (int y = 0; y < charts.height(); y += 3)
      for (int x = 0; x < charts.width(); x += 3) dark += qGray(charts.pixel(x, y)) < 128;
    QVERIFY2(dark > 200, "the charts look empty");
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
    QCOMPARE(MainWindow::recentStudies().first(), kDemo);
    auto* recent = window.findChild<QMenu*>("recentMenu");
    QVERIFY(recent && recent->isEnabled());
    QVERIFY2(recent->actions().first()->text().contains("demo_flair.nii.gz"),
             qPrintable(recent->actions().first()->text()));
  }
  void badFileReportsAnErrorNamingIt() {
    MainWindow window;
    QSignalSpy failed(&window, &MainWindow::loadFailed);
    window.openStudy({QString(VOXPLAIN_TEST_DATA) + "/bad/empty.nii"});
    QVERIFY(failed.wait(30000));
    QVERIFY(failed.first().first().toString().contains("empty.nii"));
    QVERIFY(!window.study());
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
