// DICOM loading on series written by DCMTK with known geometry: oblique orientation, slice order,
// gantry tilt, a missing slice, mixed series and echoes in one folder, compressed transfer
// syntaxes, and cancellation of a large folder scan.
#include <QtTest>

#include <cmath>
#include <filesystem>

#include "DicomFixtureWriter.h"
#include "io/DicomCatalog.h"
#include "io/ImageReader.h"
#include "task/InputError.h"

using namespace voxplain;
using namespace voxplain::testing;
namespace fs = std::filesystem;

namespace {
// A linear field: trilinear interpolation reproduces it exactly, so resampled voxels can be checked.
double field(const Vec3& p) {
  return 3.0 * p[0] - 2.0 * p[1] + 1.5 * p[2] + 40.0;
}

SeriesSpec baseSpec(const std::string& folder) {
  SeriesSpec s;
  s.folder = folder;
  s.value = field;
  s.positions = stackPositions({-4.0, -3.0, 10.0}, {0, 0, 2.0}, 6);
  return s;
}

// Largest |voxel - field(voxel centre)| over voxels whose in-plane index is at least `margin` from the edge.
double maxFieldError(const LoadedImage& image, std::size_t margin = 0) {
  const Geometry& g = image.geometry();
  double worst = 0;
  for (std::size_t k = 0; k < g.size[2]; ++k)
    for (std::size_t j = margin; j + margin < g.size[1]; ++j)
      for (std::size_t i = margin; i + margin < g.size[0]; ++i)
        worst = std::max(worst, std::abs(image.volumes[0].at(i, j, k) -
                                         field(g.indexToPhysical({double(i), double(j), double(k)}))));
  return worst;
}

bool hasNote(const LoadedImage& image, const char* word) {
  for (const auto& n : image.notes)
    if (n.find(word) != std::string::npos) return true;
  return false;
}

class CancelAfter : public ProgressSink {
 public:
  CancelAfter(CancellationToken& token, int reports) : token_(token), left_(reports) {}
  void report(double, const std::string&) override {
    ++seen;
    if (--left_ <= 0) token_.cancel();
  }
  int seen = 0;

 private:
  CancellationToken& token_;
  int left_;
};
}  // namespace

class TestDicomSynthetic : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  std::string folder(const std::string& name) const { return dir_.path().toStdString() + "/" + name; }

 private Q_SLOTS:
  void obliqueSeriesKeepsExactGeometryAndValues() {
    SeriesSpec s = baseSpec(folder("oblique"));
    const double a = 0.5;
    s.rowCosine = {std::cos(a), std::sin(a), 0};
    s.columnCosine = {0, 0, -1};  // coronal-oblique
    const Vec3 n = cross(s.rowCosine, s.columnCosine);
    s.positions = stackPositions({5, -7, 20}, {1.5 * n[0], 1.5 * n[1], 1.5 * n[2]}, 5);
    writeSeries(s);
    const LoadedImage image = readImage(s.folder);
    const Geometry& g = image.geometry();
    QCOMPARE(g.size, (Size3{10, 12, 5}));
    QVERIFY(std::abs(g.spacing[0] - 0.7) < 1e-9 && std::abs(g.spacing[1] - 0.8) < 1e-9 &&
            std::abs(g.spacing[2] - 1.5) < 1e-6);
    for (int d = 0; d < 3; ++d) {
      QVERIFY(std::abs(g.origin[d] - s.positions[0][d]) < 1e-6);
      QVERIFY(std::abs(g.axis(0)[d] - s.rowCosine[d]) < 1e-9);
      QVERIFY(std::abs(g.axis(1)[d] - s.columnCosine[d]) < 1e-9);
      QVERIFY(std::abs(g.axis(2)[d] - n[d]) < 1e-9);
    }
    QVERIFY2(maxFieldError(image) <= 0.05 + 1e-3, qPrintable(QString::number(maxFieldError(image))));
    QVERIFY(image.notes.empty());
  }
  void slicesAreSortedByPositionNotInstanceNumber() {
    SeriesSpec s = baseSpec(folder("order"));
    s.positions = stackPositions({0, 0, 30}, {0, 0, -2.5}, 5);  // written top-down
    s.instanceNumbersDescending = false;
    writeSeries(s);
    const LoadedImage image = readImage(s.folder);
    QVERIFY(std::abs(image.geometry().origin[2] - 20.0) < 1e-9);  // lowest slice first (normal = +S)
    QVERIFY(maxFieldError(image) <= 0.051);
  }
  void gantryTiltIsResampledOntoAnOrthogonalGrid() {
    SeriesSpec s = baseSpec(folder("tilt"));
    const double t = 15.0 * M_PI / 180.0;
    s.rows = 24;
    s.columns = 16;
    s.columnCosine = {0, std::cos(t), std::sin(t)};  // tilted image plane, table moves along z
    s.positions = stackPositions({-3, -9, 0}, {0, 0, 2.0}, 8);
    s.gantryTilt = 15.0;
    writeSeries(s);
    const LoadedImage image = readImage(s.folder);
    QVERIFY2(hasNote(image, "tilt"), "no note about the gantry tilt");
    const Geometry& g = image.geometry();
    QVERIFY(std::abs(dot(g.axis(2), cross(g.axis(0), g.axis(1))) - 1.0) < 1e-9);  // orthogonal
    QVERIFY(std::abs(g.spacing[2] - 2.0 * std::cos(t)) < 1e-6);
    // Voxels whose source pixels exist on both neighbouring slices reproduce the field.
    QVERIFY2(maxFieldError(image, 6) < 0.1, qPrintable(QString::number(maxFieldError(image, 6))));
  }
  void missingSliceIsFilledAndReported() {
    SeriesSpec s = baseSpec(folder("missing"));
    s.positions = stackPositions({0, 0, 0}, {0, 0, 1.25}, 9);
    s.positions.erase(s.positions.begin() + 4);
    writeSeries(s);
    const LoadedImage image = readImage(s.folder);
    QVERIFY2(hasNote(image, "missing"), "no note about the missing slice");
    QCOMPARE(image.geometry().size[2], std::size_t(9));
    QVERIFY(std::abs(image.geometry().spacing[2] - 1.25) < 1e-9);
    QVERIFY(maxFieldError(image) < 0.1);
  }
  void nonUniformSpacingIsResampledAndReported() {
    SeriesSpec s = baseSpec(folder("uneven"));
    s.positions = {{0, 0, 0}, {0, 0, 1.0}, {0, 0, 2.0}, {0, 0, 3.7}, {0, 0, 4.7}};
    writeSeries(s);
    const LoadedImage image = readImage(s.folder);
    QVERIFY(hasNote(image, "non-uniform"));
    QVERIFY(maxFieldError(image) < 0.1);
  }
  void mixedSeriesAndEchoesInOneFolderAreSeparated() {
    SeriesSpec a = baseSpec(folder("mixed/a"));
    a.seriesNumber = 2;
    const std::string uidA = writeSeries(a);
    SeriesSpec b = baseSpec(folder("mixed/b"));
    b.modality = "MR";
    b.seriesNumber = 3;
    b.seriesUid = "1.2.826.0.1.3680043.9.7533.77";
    b.echoNumber = 1;
    writeSeries(b);
    b.folder = folder("mixed/b2");
    b.echoNumber = 2;
    b.value = [](const Vec3& p) { return field(p) + 7.0; };
    writeSeries(b);
    std::vector<std::string> skipped;
    const std::vector<LoadedImage> images = readAllImages(folder("mixed"), &skipped);
    QCOMPARE(images.size(), std::size_t(3));
    QVERIFY(skipped.empty());
    QCOMPARE(QString::fromStdString(images[0].uid), QString::fromStdString(uidA));
    QCOMPARE(QString::fromStdString(images[1].uid), QString("1.2.826.0.1.3680043.9.7533.77#1"));
    QCOMPARE(QString::fromStdString(images[2].uid), QString("1.2.826.0.1.3680043.9.7533.77#2"));
    QCOMPARE(images[1].geometry().size[2], std::size_t(6));  // echoes not interleaved into one stack
    QVERIFY(std::abs(images[2].volumes[0].at(0, 0, 0) - images[1].volumes[0].at(0, 0, 0) - 7.0f) < 0.11);
    QVERIFY_THROWS_EXCEPTION(InputError, readImage(folder("mixed")));
    QCOMPARE(QString::fromStdString(readImage(folder("mixed"), uidA).uid), QString::fromStdString(uidA));
  }
  void compressedTransferSyntaxesDecodeToIdenticalVoxels_data() {
    QTest::addColumn<QString>("syntax");
    for (const char* s : {"implicit", "deflate", "jpeg-lossless", "jpeg-ls", "rle"}) QTest::newRow(s) << s;
  }
  void compressedTransferSyntaxesDecodeToIdenticalVoxels() {
    QFETCH(QString, syntax);
    SeriesSpec plain = baseSpec(folder("xfer-explicit"));
    if (!fs::exists(plain.folder)) writeSeries(plain);
    SeriesSpec packed = baseSpec(folder("xfer-" + syntax.toStdString()));
    packed.transferSyntax = syntax.toStdString();
    writeSeries(packed);
    const LoadedImage a = readImage(plain.folder), b = readImage(packed.folder);
    QCOMPARE(b.volumes[0].voxels(), a.volumes[0].voxels());
    QVERIFY(compareGeometry(a.geometry(), b.geometry()).sameGrid());
  }
  void jpegBaselineDecodesWithinLossyTolerance() {
    // 8-bit, values 0..255 after (v - intercept) / slope: keep the field small and positive.
    auto small = [](const Vec3& p) { return 0.5 * p[0] + 0.25 * p[1] + 0.2 * p[2] + 5.0; };
    SeriesSpec plain = baseSpec(folder("baseline-plain"));
    plain.value = small;
    plain.slope = 0.1;
    plain.intercept = 0.0;
    plain.transferSyntax = "explicit";
    writeSeries(plain);
    SeriesSpec lossy = plain;
    lossy.folder = folder("baseline-jpeg");
    lossy.transferSyntax = "jpeg-baseline";
    writeSeries(lossy);
    const LoadedImage a = readImage(plain.folder), b = readImage(lossy.folder);
    QCOMPARE(QString::fromStdString(b.storedDataType), QString("uint8"));
    QVERIFY(compareGeometry(a.geometry(), b.geometry()).sameGrid());
    // Lossy: on this 10x12 tile of stored values 50..120, quality 95 was measured at a mean
    // difference of ~0.5 units (5 stored levels) and at most ~1.1 units; a wrong decode is off by far more.
    double worst = 0, sum = 0;
    for (std::size_t n = 0; n < a.volumes[0].voxelCount(); ++n) {
      const double d = std::abs(b.volumes[0].data()[n] - a.volumes[0].data()[n]);
      worst = std::max(worst, d);
      sum += d;
    }
    QVERIFY2(worst <= 2.0 && sum / double(a.volumes[0].voxelCount()) <= 1.0, qPrintable(QString::number(worst)));
  }
  void largeFolderScanReportsProgressAndCancels() {
    SeriesSpec s = baseSpec(folder("many"));
    s.positions = stackPositions({0, 0, 0}, {0, 0, 1}, 600);
    s.rows = s.columns = 2;
    writeSeries(s);
    CancellationToken token;
    CancelAfter sink(token, 5);
    QVERIFY_THROWS_EXCEPTION(OperationCancelled, scanDicom(s.folder, TaskControl(&sink, &token)));
    QVERIFY(sink.seen >= 5 && sink.seen < 600 / 16);
  }
};

QTEST_GUILESS_MAIN(TestDicomSynthetic)
#include "test_dicom_synthetic.moc"
