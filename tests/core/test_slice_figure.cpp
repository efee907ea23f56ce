// Report slice pictures (figure/SliceFigure.h) and their PNG files (io/PngFile.h): the patient's
// right on the picture's left and anterior at the top whatever the storage order, the map in the
// screen's colours over the grey anatomy, the class outline on its border only, the slice with the
// most class voxels, non-square voxels in proportion; the PNG read back by Qt equals the raster.
#include <QtTest>

#include <QImage>
#include <QTemporaryDir>

#include "figure/ColorMap.h"
#include "figure/SliceFigure.h"
#include "io/PngFile.h"
#include "task/InputError.h"

using namespace voxplain;

namespace {
// A 20x20x10 grid stored as RAS (i towards the patient's right, j anterior) unless `lps`.
Geometry grid(bool lps) {
  Geometry g;
  g.size = {20, 20, 10};
  g.spacing = {1, 1, 2};
  if (!lps) g.direction = {-1, 0, 0, 0, -1, 0, 0, 0, 1};
  return g;
}

// Anatomy 100 everywhere with a bright 4x4 block in the patient's right-anterior corner (storage
// indices 15..18 along i and j in RAS storage, 1..4 in LPS storage).
Volume anatomy(bool lps) {
  Volume v(grid(lps), 100.0f);
  for (std::size_t k = 0; k < 10; ++k)
    for (std::size_t j = 0; j < 4; ++j)
      for (std::size_t i = 0; i < 4; ++i) v.at(lps ? 1 + i : 15 + i, lps ? 1 + j : 15 + j, k) = 1000.0f;
  return v;
}

int brightness(const std::array<std::uint8_t, 3>& p) {
  return (p[0] + p[1] + p[2]) / 3;
}
}  // namespace

class TestSliceFigure : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void patientsRightIsOnTheLeftAndAnteriorOnTop_data() {
    QTest::addColumn<bool>("lps");
    QTest::newRow("stored RAS") << false;
    QTest::newRow("stored LPS") << true;
  }
  void patientsRightIsOnTheLeftAndAnteriorOnTop() {
    QFETCH(bool, lps);
    const Volume image = anatomy(lps);
    SliceFigureStyle style;
    style.window = {100, 1000};
    style.longestSidePx = 200;
    const RgbRaster picture =
        axialSliceFigure(image, Volume(image.geometry()), LabelVolume(image.geometry()), 1, 5, style);
    QCOMPARE(picture.width, 200);
    QCOMPARE(picture.height, 200);
    QCOMPARE(brightness(picture.pixel(25, 25)), 255);  // top left: right-anterior, the bright block
    QCOMPARE(brightness(picture.pixel(175, 175)), 0);  // bottom right: left-posterior, grey 100 = black
    QCOMPARE(brightness(picture.pixel(175, 25)), 0);
  }
  void mapColoursFollowTheScreensAndSmallValuesAreNotDrawn() {
    const Volume image = anatomy(true);
    Volume map(image.geometry());
    for (std::size_t j = 0; j < 20; ++j) {
      for (std::size_t i = 0; i < 5; ++i) map.at(i + 10, j, 5) = 1.0f;   // strongly positive
      for (std::size_t i = 0; i < 5; ++i) map.at(i + 15, j, 5) = -1.0f;  // strongly negative
      map.at(5, j, 5) = 0.05f;                                           // under the threshold
    }
    SliceFigureStyle style;
    style.window = {0, 1000};
    style.longestSidePx = 200;
    style.opacity = 1.0;
    const RgbRaster picture = axialSliceFigure(image, map, LabelVolume(image.geometry()), 1, 5, style);
    const auto red = toRgb8(colormapColor("bwr", 1.0)), blue = toRgb8(colormapColor("bwr", 0.0));
    QCOMPARE(picture.pixel(125, 100), red);
    QCOMPARE(picture.pixel(175, 100), blue);
    const auto grey = picture.pixel(55, 100);  // 0.05 < 0.1 x range: the anatomy only
    QVERIFY(grey[0] == grey[1] && grey[1] == grey[2]);
  }
  void outlineIsOnTheClassBorderOnly() {
    const Volume image = anatomy(true);
    LabelVolume labels(image.geometry());
    for (std::size_t j = 8; j < 16; ++j)
      for (std::size_t i = 8; i < 16; ++i) labels.at(i, j, 5) = 2;
    SliceFigureStyle style;
    style.window = {0, 1000};
    style.longestSidePx = 200;
    style.outline = {255, 0, 255};
    const RgbRaster picture = axialSliceFigure(image, Volume(image.geometry()), labels, 2, 5, style);
    const std::array<std::uint8_t, 3> magenta{255, 0, 255};
    QCOMPARE(picture.pixel(85, 120), magenta);    // voxel (8, 12): the border
    QVERIFY(picture.pixel(120, 120) != magenta);  // voxel (12, 12): inside
    QVERIFY(picture.pixel(50, 120) != magenta);   // voxel (5, 12): outside
    // Another class is not outlined.
    QVERIFY(axialSliceFigure(image, Volume(image.geometry()), labels, 1, 5, style).pixel(85, 120) != magenta);
  }
  void theSliceWithTheMostClassVoxelsIsChosen() {
    Geometry g = grid(true);
    g.direction = {1, 0, 0, 0, 1, 0, 0, 0, -1};  // stored from head to feet
    LabelVolume labels(g);
    for (std::size_t i = 0; i < 6; ++i) labels.at(i, 0, 2) = 1;  // stored slice 2 = 7th from the feet
    labels.at(0, 0, 8) = 1;
    QCOMPARE(axialSliceWithMostOf(labels, 1), std::size_t(7));
    QCOMPARE(axialSliceWithMostOf(labels, 3), std::size_t(5));  // none: the middle
  }
  void nonSquareVoxelsKeepTheirProportions() {
    Geometry g = grid(true);
    g.spacing = {1, 2, 1};  // 20 mm wide, 40 mm tall
    const Volume image(g, 1.0f);
    SliceFigureStyle style;
    style.longestSidePx = 300;
    const RgbRaster picture = axialSliceFigure(image, Volume(g), LabelVolume(g), 1, 0, style);
    QCOMPARE(picture.width, 150);
    QCOMPARE(picture.height, 300);
  }
  void differentGridsAreRefused() {
    const Volume image = anatomy(true);
    Geometry other = image.geometry();
    other.spacing = {2, 2, 2};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             axialSliceFigure(image, Volume(other), LabelVolume(image.geometry()), 1, 0, {}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, axialSliceFigure(image, Volume(image.geometry()),
                                                                     LabelVolume(image.geometry()), 1, 10, {}));
  }
  void rangeIsTheHighPercentileOfTheMagnitude() {
    Volume map(grid(true));
    for (std::size_t i = 0; i < map.voxelCount(); ++i) map.data()[i] = -float(i % 200) / 100.0f;
    const MapRange range = mapRange({map});
    QVERIFY(range.signedMap);
    QVERIFY(std::abs(range.p995 - 1.98) < 0.011);
    QVERIFY(std::abs(range.p99 - 1.97) < 0.011);
    QVERIFY(std::abs(range.max - 1.99) < 1e-6);
    QCOMPARE(mapRange({Volume(grid(true))}).p995, 1.0);  // all zero
    // The app's range choices: 99, 99.5 and 100 (the maximum); between them, the nearest.
    QCOMPARE(range.at(99.0), range.p99);
    QCOMPARE(range.at(99.5), range.p995);
    QCOMPARE(range.at(100.0), range.max);
    QCOMPARE(range.at(99.2), range.p99);
    QCOMPARE(range.at(99.8), range.max);
  }
  void pngReadsBackAsTheRaster() {
    QTemporaryDir dir;
    RgbRaster picture;
    picture.width = 3;
    picture.height = 2;
    picture.rgb = {255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90};
    const std::filesystem::path file = dir.filePath("p.png").toStdString();
    writePng(file, picture, Overwrite::Refuse);
    const QImage read(QString::fromStdString(file.string()));
    QCOMPARE(read.size(), QSize(3, 2));
    QCOMPARE(read.pixelColor(0, 0), QColor(255, 0, 0));  // the first row is the top
    QCOMPARE(read.pixelColor(2, 0), QColor(0, 0, 255));
    QCOMPARE(read.pixelColor(1, 1), QColor(40, 50, 60));
    QVERIFY_THROWS_EXCEPTION(InputError, writePng(file, picture, Overwrite::Refuse));  // exists
    QVERIFY_THROWS_EXCEPTION(InputError,
                             writePng(dir.filePath("absent/p.png").toStdString(), picture, Overwrite::Allow));
    picture.rgb.pop_back();
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             writePng(dir.filePath("q.png").toStdString(), picture, Overwrite::Allow));
    QVERIFY(!QFile::exists(dir.filePath("q.png")));
  }
};

QTEST_GUILESS_MAIN(TestSliceFigure)
#include "test_slice_figure.moc"
