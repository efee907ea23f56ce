// Slice views under Xvfb: patient orientation (an asymmetric phantom's marker lands on the correct
// side in every view and convention, and the edge labels say so, for axis-aligned and flipped
// storage), an empty-view guard, linked crosshair, and image baselines with a tolerance.
// Baselines live in tests/baselines/; VOXPLAIN_UPDATE_BASELINES=1 rewrites them (then look at them).
#include <QtTest>

#include <QDir>
#include <memory>

#include "ImageDataBridge.h"
#include "SceneMeshes.h"
#include "SlicePanel.h"
#include "SliceView.h"
#include "SliceViewModel.h"
#include "VolumeScene.h"
#include "figure/ColorMap.h"
#include "volume/Reorient.h"

#include <vtkColorTransferFunction.h>

#include <vtkGenericRenderWindowInteractor.h>
#include <vtkPolyData.h>
#include <vtkPolyDataConnectivityFilter.h>

#include <cmath>

using namespace voxplain;
using render::SliceOrientation;
using render::SliceView;

namespace {

// 40 x 44 x 36 voxels of 1 mm; body = 100, marker cube = 1000 at patient Left-Anterior-Superior.
// With `flipped` the same physical image is stored with i running Right and j running Anterior.
Volume phantom(bool flipped) {
  Geometry g;
  g.size = {40, 44, 36};
  g.origin = {-20, -22, -18};
  Volume v(g, 100.0f);
  for (std::size_t z = 26; z < 32; ++z)
    for (std::size_t y = 4; y < 10; ++y)     // low y = Anterior (LPS: +y is Posterior)
      for (std::size_t x = 30; x < 36; ++x)  // high x = Left
        v.data()[g.linearIndex(x, y, z)] = 1000.0f;
  if (!flipped) return v;
  Geometry f = g;
  f.direction = {-1, 0, 0, 0, -1, 0, 0, 0, 1};
  f.origin = g.indexToPhysical({39, 43, 0});
  Volume out(f);
  for (std::size_t z = 0; z < 36; ++z)
    for (std::size_t y = 0; y < 44; ++y)
      for (std::size_t x = 0; x < 40; ++x)
        out.data()[f.linearIndex(x, y, z)] = v.voxels()[g.linearIndex(39 - x, 43 - y, z)];
  return out;
}

// Centroid (in image pixels) of the white marker; (-1, -1) when none is visible.
QPointF markerCentroid(const QImage& image) {
  double sx = 0, sy = 0, n = 0;
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) {
      const QColor c = image.pixelColor(x, y);
      if (c.red() > 200 && c.green() > 200 && c.blue() > 200) sx += x, sy += y, ++n;
    }
  return n > 20 ? QPointF(sx / n, sy / n) : QPointF(-1, -1);
}

// The empty-view guard: the share of pixels that are not the black background.
double litFraction(const QImage& image) {
  int lit = 0;
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) lit += qGray(image.pixel(x, y)) > 12;
  return double(lit) / (image.width() * image.height());
}

struct Shown {
  std::unique_ptr<SliceView> view;
  QImage image;
};

Shown renderSlice(SliceOrientation o, const Volume& v, bool radiological, double window = 200, double level = 900) {
  Shown s{std::make_unique<SliceView>(o), {}};
  s.view->resize(300, 300);
  s.view->show();
  if (!QTest::qWaitForWindowExposed(s.view.get())) return s;
  s.view->setRadiological(radiological);
  s.view->setBase(render::toVtkImage(orientToLps(v)), window, level);
  s.view->setCursor({13.5, -14.5, 10.5});  // the marker's centre (LPS mm)
  s.image = s.view->grabImage();
  return s;
}

// Mean absolute channel difference and the share of pixels off by more than 40 in some channel.
std::pair<double, double> difference(const QImage& a, const QImage& b) {
  double sum = 0, bad = 0;
  for (int y = 0; y < a.height(); ++y)
    for (int x = 0; x < a.width(); ++x) {
      const QColor p = a.pixelColor(x, y), q = b.pixelColor(x, y);
      const int d[3] = {std::abs(p.red() - q.red()), std::abs(p.green() - q.green()), std::abs(p.blue() - q.blue())};
      sum += (d[0] + d[1] + d[2]) / 3.0;
      bad += std::max({d[0], d[1], d[2]}) > 40;
    }
  const double n = double(a.width()) * a.height();
  return {sum / n, bad / n};
}

void compareWithBaseline(const QImage& image, const QString& name) {
  const QString path = QString(VOXPLAIN_BASELINES) + "/" + name + ".png";
  QDir().mkpath(VOXPLAIN_SCREENSHOT_DIR);
  image.save(QString(VOXPLAIN_SCREENSHOT_DIR) + "/" + name + ".png");
  if (qEnvironmentVariableIntValue("VOXPLAIN_UPDATE_BASELINES") == 1) {
    QVERIFY(image.save(path));
    QSKIP(qPrintable("baseline rewritten: " + path));
  }
  const QImage baseline(path);
  QVERIFY2(!baseline.isNull(), qPrintable("missing baseline " + path + " (run with VOXPLAIN_UPDATE_BASELINES=1)"));
  QCOMPARE(baseline.size(), image.size());
  const auto [mean, bad] =
      difference(image.convertToFormat(QImage::Format_RGB32), baseline.convertToFormat(QImage::Format_RGB32));
  QVERIFY2(mean <= 3.0 && bad <= 0.01,
           qPrintable(QString("%1 differs from its baseline: mean %2, %3% pixels off (the rendering in %4)")
                          .arg(name)
                          .arg(mean)
                          .arg(bad * 100)
                          .arg(VOXPLAIN_SCREENSHOT_DIR)));
}

}  // namespace

class TestSliceViews : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void markerIsOnThePatientsSide_data() {
    QTest::addColumn<int>("orientation");
    QTest::addColumn<bool>("radiological");
    QTest::addColumn<bool>("flipped");
    QTest::addColumn<QString>("labels");    // left, right, top, bottom edge labels
    QTest::addColumn<bool>("markerRight");  // expected marker on the screen's right half
    QTest::addColumn<bool>("markerTop");    // expected marker on the screen's top half
    for (bool flipped : {false, true}) {
      const QString s = flipped ? " (flipped storage)" : "";
      QTest::newRow(qPrintable("axial radiological" + s)) << 0 << true << flipped << "RLAP" << true << true;
      QTest::newRow(qPrintable("axial neurological" + s)) << 0 << false << flipped << "LRAP" << false << true;
      QTest::newRow(qPrintable("coronal radiological" + s)) << 1 << true << flipped << "RLSI" << true << true;
      QTest::newRow(qPrintable("coronal neurological" + s)) << 1 << false << flipped << "LRSI" << false << true;
      QTest::newRow(qPrintable("sagittal" + s)) << 2 << true << flipped << "APSI" << false << true;
    }
  }
  void markerIsOnThePatientsSide() {
    QFETCH(int, orientation);
    QFETCH(bool, radiological);
    QFETCH(bool, flipped);
    QFETCH(QString, labels);
    QFETCH(bool, markerRight);
    QFETCH(bool, markerTop);
    const Shown s = renderSlice(static_cast<SliceOrientation>(orientation), phantom(flipped), radiological);
    QVERIFY(!s.image.isNull());
    QCOMPARE(s.view->edgeLabels().join(""), labels);
    const QPointF c = markerCentroid(s.image);
    QVERIFY2(c.x() >= 0, "the marker is not visible");
    QCOMPARE(c.x() > s.image.width() / 2.0, markerRight);
    QCOMPARE(c.y() < s.image.height() / 2.0, markerTop);
  }
  void emptyViewGuardCatchesAnEmptyView() {
    SliceView empty(SliceOrientation::Axial);
    empty.resize(200, 200);
    empty.show();
    QVERIFY(QTest::qWaitForWindowExposed(&empty));
    QVERIFY(litFraction(empty.grabImage()) < 0.02);  // only the edge labels
    const Shown s = renderSlice(SliceOrientation::Axial, phantom(false), true, 2000, 500);
    QVERIFY2(litFraction(s.image) > 0.2, qPrintable(QString("view rendered empty: %1 lit").arg(litFraction(s.image))));
  }
  void panesShareTheCrosshair() {
    ui::SliceViewModel model;
    auto study = std::make_shared<Study>();
    study->addModality("A", "phantom", phantom(false));
    study->addModality("B", "phantom", phantom(false));
    ui::SlicePanel panel(&model);
    panel.resize(600, 600);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    model.setStudy(study);
    QCOMPARE(int(panel.views().size()), 6);
    Q_EMIT panel.views()[0]->cursorRequested({5.5, 2.5, -3.5});  // a click in the first pane
    for (SliceView* v : panel.views()) QCOMPARE(v->cursor(), (std::array<double, 3>{5.5, 2.5, -3.5}));
    // Slice index of the axial panes follows the cursor's S coordinate: (-3.5 - -18) / 1 = 14.5 -> 15 (rounded half up?
    // lround)
    QCOMPARE(panel.views()[0]->sliceIndex(), 15);
    Q_EMIT panel.views()[4]->zoomRequested(2.0);
    QCOMPARE(model.zoom(), 2.0);
  }
  void overlaysMatchTheirBaselines_data() {
    QTest::addColumn<int>("orientation");
    QTest::newRow("axial") << 0;
    QTest::newRow("coronal") << 1;
    QTest::newRow("sagittal") << 2;
  }
  // Core's colour maps (figure/ColorMap.h: the screen's, the charts' and the report's) equal VTK's
  // own colour transfer functions through the same control points: CIELAB interpolation for
  // viridis and inferno, Moreland's diverging space for bwr; within half an 8-bit step.
  void coreColourMapsEqualVtksInterpolation() {
    QCOMPARE(QString::fromStdString(hexColour(colormapColor("viridis", 0.0))), QString("#440154"));
    QCOMPARE(QString::fromStdString(hexColour(colormapColor("viridis", 1.0))), QString("#fde725"));
    QCOMPARE(QString::fromStdString(hexColour(colormapColor("inferno", 1.0))), QString("#fcffa4"));
    for (const std::string& name : colormapNames()) {
      auto ctf = vtkSmartPointer<vtkColorTransferFunction>::New();
      if (name == "bwr") {
        ctf->SetColorSpaceToDiverging();
        ctf->AddRGBPoint(0.0, 0.230, 0.299, 0.754);
        ctf->AddRGBPoint(0.5, 0.865, 0.865, 0.865);
        ctf->AddRGBPoint(1.0, 0.706, 0.016, 0.150);
      } else {
        ctf->SetColorSpaceToLab();
        for (int i = 0; i <= 9; ++i) {
          const Rgb node = colormapColor(name, i / 9.0);
          ctf->AddRGBPoint(i / 9.0, node[0], node[1], node[2]);
        }
      }
      double worst = 0;
      for (int i = 0; i < 256; ++i) {
        const double t = (i + 0.5) / 256.0;
        double expected[3];
        ctf->GetColor(t, expected);
        const Rgb got = colormapColor(name, t);
        for (int c = 0; c < 3; ++c) worst = std::max(worst, std::abs(got[std::size_t(c)] - expected[c]));
      }
      QVERIFY2(worst <= 0.5 / 255, qPrintable(QString("%1: %2").arg(QString::fromStdString(name)).arg(worst * 255)));
    }
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, colormapColor("jet", 0.5));
  }
  void overlaysMatchTheirBaselines() {
    QFETCH(int, orientation);
    const Volume base = phantom(false);
    LabelVolume labels(base.geometry());
    Volume heat(base.geometry());
    const Geometry& g = base.geometry();
    for (std::size_t z = 0; z < g.size[2]; ++z)
      for (std::size_t y = 0; y < g.size[1]; ++y)
        for (std::size_t x = 0; x < g.size[0]; ++x) {
          const std::size_t i = g.linearIndex(x, y, z);
          labels.data()[i] = base.voxels()[i] > 500 ? 1 : 0;
          heat.data()[i] = float(std::sin(x / 6.0) * std::cos(y / 7.0));  // signed, smooth
        }
    Shown s = renderSlice(static_cast<SliceOrientation>(orientation), base, true, 1200, 500);
    render::HeatmapStyle style;
    style.range = 1.0;
    style.threshold = 0.2;
    s.view->setLabels(render::toVtkImage(labels), {{1, {230, 70, 50}}}, 0.6);
    s.view->setHeatmap(render::toVtkImage(heat), style);
    const QImage image = s.view->grabImage();
    QVERIFY(litFraction(image) > 0.2);
    compareWithBaseline(image, QString("slice_%1")
                                   .arg(orientation == 0   ? "axial"
                                        : orientation == 1 ? "coronal"
                                                           : "sagittal"));
  }
  // 3D shells keep a structure and drop the specks around it: a sphere of evidence and a regular
  // grid of single-voxel dots in the air (a CAM's transposed-convolution checkerboard) give one
  // piece per shell; a small structure alone is kept.
  void heatmapShellsDropSpecksButKeepStructures() {
    Geometry g;
    g.size = {48, 48, 48};
    Volume map(g, 0.0f);
    for (std::size_t z = 0; z < 48; ++z)
      for (std::size_t y = 0; y < 48; ++y)
        for (std::size_t x = 0; x < 48; ++x) {
          const double r = std::hypot(double(x) - 24, double(y) - 24, double(z) - 24);
          if (r < 9)
            map.at(x, y, z) = 1.0f;
          else if (r > 14 && x % 6 == 0 && y % 6 == 0 && z % 6 == 0)
            map.at(x, y, z) = 1.0f;  // the dots
        }
    render::HeatmapStyle style;
    style.signedMap = false;
    style.range = 1.0;
    auto pieces = [](vtkPolyData* mesh) {
      auto filter = vtkSmartPointer<vtkPolyDataConnectivityFilter>::New();
      filter->SetInputData(mesh);
      filter->SetExtractionModeToAllRegions();
      filter->Update();
      return filter->GetNumberOfExtractedRegions();
    };
    for (const render::HeatmapShell& shell : render::buildHeatmapShells(map, style)) QCOMPARE(pieces(shell.mesh), 1);
    Volume small(g, 0.0f);
    for (std::size_t z = 20; z < 23; ++z)
      for (std::size_t y = 20; y < 23; ++y)
        for (std::size_t x = 20; x < 23; ++x) small.at(x, y, z) = 1.0f;
    for (const render::HeatmapShell& shell : render::buildHeatmapShells(small, style))
      QVERIFY(shell.mesh->GetNumberOfCells() > 0);
  }
  void volumeRenderingMatchesItsBaseline() {
    render::VtkView view;
    view.setFrameBudget(false);  // full resolution whatever the frame costs: a reproducible image
    view.resize(300, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    render::VolumeScene scene;
    scene.attach(view.renderer(), view.interactor());
    scene.setVolume(phantom(false));
    const QImage image = view.grabImage();
    compareWithBaseline(image, "volume_mr");
  }
};

int main(int argc, char** argv) {
  render::VtkView::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  TestSliceViews test;
  return QTest::qExec(&test, argc, argv);
}
#include "test_slice_views.moc"
