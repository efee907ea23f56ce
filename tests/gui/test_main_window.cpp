// The main window under Xvfb: the demo study loads in the worker thread, the geometry panel shows
// the grid, the 3D view is not empty, and a bad file reports an error naming it.
#include <QtTest>

#include <QDir>
#include <QSignalSpy>
#include <QTreeWidget>

#include "MainWindow.h"
#include "VtkView.h"

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
    QVERIFY2(litPixels(image) > 500, qPrintable(QString("only %1 lit pixels: the 3D view rendered empty").arg(litPixels(image))));
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
  TestMainWindow test;
  return QTest::qExec(&test, argc, argv);
}
#include "test_main_window.moc"
