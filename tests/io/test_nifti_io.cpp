// NIfTI: geometry kept exactly through write/read (NIfTI-1 via ITK, NIfTI-2 via our codec),
// RAS stored on disk, atomic writes, and refusal of bad headers before allocation.
#include <QtTest>

#include <zlib.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "io/NiftiHeader.h"
#include "io/NiftiIO.h"
#include "task/InputError.h"

using namespace voxplain;
namespace fs = std::filesystem;

namespace {
Geometry oblique() {
  Geometry g;
  g.size = {7, 6, 5};
  g.spacing = {0.8, 1.1, 2.5};
  g.origin = {-31.5, 12.25, 80.0};
  const double a = 0.35, b = -0.2;
  const Mat3 rz{std::cos(a), -std::sin(a), 0, std::sin(a), std::cos(a), 0, 0, 0, 1};
  const Mat3 rx{1, 0, 0, 0, std::cos(b), -std::sin(b), 0, std::sin(b), std::cos(b)};
  g.direction = multiply(rz, rx);
  return g;
}

Volume ramp(const Geometry& g, float offset = 0.0f) {
  Volume v(g);
  for (std::size_t i = 0; i < v.voxelCount(); ++i) v.data()[i] = float(i) * 0.5f + offset;
  return v;
}

void expectSameGeometry(const Geometry& a, const Geometry& b) {
  QCOMPARE(a.size, b.size);
  for (int d = 0; d < 3; ++d) {
    QVERIFY(std::abs(a.spacing[d] - b.spacing[d]) < 1e-5);
    QVERIFY(std::abs(a.origin[d] - b.origin[d]) < 1e-4);
  }
  for (int e = 0; e < 9; ++e)
    QVERIFY2(std::abs(a.direction[e] - b.direction[e]) < 1e-5, qPrintable(QString("direction[%1]").arg(e)));
}

void writeBytes(const fs::path& p, const std::vector<unsigned char>& bytes) {
  std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}
}  // namespace

class TestNiftiIO : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  fs::path path(const char* name) const { return fs::path(dir_.path().toStdString()) / name; }

 private Q_SLOTS:
  void obliqueVolumeRoundTripsThroughNifti1Gz() {
    const Volume v = ramp(oblique());
    writeNifti(v, path("a.nii.gz"));
    const LoadedImage r = readNifti(path("a.nii.gz"));
    QCOMPARE(QString::fromStdString(r.format), QString("NIfTI-1"));
    QCOMPARE(r.volumes.size(), std::size_t(1));
    expectSameGeometry(r.geometry(), v.geometry());
    QCOMPARE(r.volumes[0].voxels(), v.voxels());
  }
  void diskHeaderHoldsRasSform() {
    const Volume v = ramp(oblique());
    writeNifti(v, path("ras.nii"));
    const NiftiHeader h = inspectNifti(path("ras.nii"));
    QVERIFY(h.sformCode > 0);
    // LPS origin (-31.5, 12.25, 80) is RAS (31.5, -12.25, 80).
    QVERIFY(std::abs(h.srow[0][3] - 31.5) < 1e-4);
    QVERIFY(std::abs(h.srow[1][3] + 12.25) < 1e-4);
    QVERIFY(std::abs(h.srow[2][3] - 80.0) < 1e-4);
    expectSameGeometry(h.geometry(), v.geometry());
  }
  void fourDimensionalRoundTripKeepsVolumeOrder() {
    const std::vector<Volume> vols{ramp(oblique()), ramp(oblique(), 100.0f), ramp(oblique(), 200.0f)};
    writeNifti(vols, path("4d.nii.gz"));
    const LoadedImage r = readNifti(path("4d.nii.gz"));
    QCOMPARE(r.volumes.size(), std::size_t(3));
    QCOMPARE(r.volumes[2].voxels(), vols[2].voxels());
    expectSameGeometry(r.geometry(), oblique());
  }
  void labelMapRoundTripsAsUint16() {
    LabelVolume labels(oblique());
    for (std::size_t i = 0; i < labels.voxelCount(); ++i) labels.data()[i] = std::uint16_t(i % 5 == 0 ? 300 : 0);
    writeNifti(labels, path("labels.nii.gz"));
    QCOMPARE(QString::fromStdString(inspectNifti(path("labels.nii.gz")).dataTypeName()), QString("uint16"));
    QCOMPARE(readLabelNifti(path("labels.nii.gz")).voxels(), labels.voxels());
  }
  void nifti2RoundTripKeepsGeometryAndVoxels() {
    const std::vector<Volume> vols{ramp(oblique()), ramp(oblique(), 1.0f)};
    writeNifti2(vols, path("n2.nii.gz"));
    const NiftiHeader h = inspectNifti(path("n2.nii.gz"));
    QCOMPARE(h.version, 2);
    const LoadedImage r = readNifti(path("n2.nii.gz"));
    QCOMPARE(QString::fromStdString(r.format), QString("NIfTI-2"));
    QCOMPARE(r.volumes.size(), std::size_t(2));
    QCOMPARE(r.volumes[1].voxels(), vols[1].voxels());
    expectSameGeometry(r.geometry(), oblique());
  }
  void nifti1AndNifti2OfOneImageAgree() {
    const Volume v = ramp(oblique());
    writeNifti(v, path("one.nii"));
    writeNifti2({v}, path("two.nii"));
    expectSameGeometry(readNifti(path("one.nii")).geometry(), readNifti(path("two.nii")).geometry());
  }
  void existingOutputIsNotOverwrittenUnlessAllowed() {
    writeNifti(ramp(oblique()), path("keep.nii"));
    const auto before = fs::file_size(path("keep.nii"));
    QVERIFY_THROWS_EXCEPTION(InputError, writeNifti(ramp(oblique(), 5.0f), path("keep.nii")));
    QCOMPARE(fs::file_size(path("keep.nii")), before);
    writeNifti(ramp(oblique(), 5.0f), path("keep.nii"), Overwrite::Allow);
    QCOMPARE(readNifti(path("keep.nii")).volumes[0].at(0, 0, 0), 5.0f);
  }
  void failedWriteLeavesNoFileBehind() {
    const fs::path target = path("missing-folder") / "x.nii";
    QVERIFY_THROWS_EXCEPTION(InputError, writeNifti(ramp(oblique()), target));
    QVERIFY(!fs::exists(target));
    for (const auto& e : fs::directory_iterator(dir_.path().toStdString()))
      QVERIFY2(e.path().filename().string().find(".partial-") == std::string::npos, "temporary file left behind");
  }
  void absurdDimensionsAreRejectedBeforeAllocation() {
    writeNifti(ramp(oblique()), path("absurd.nii"));
    std::fstream f(path("absurd.nii"), std::ios::in | std::ios::out | std::ios::binary);
    const std::int16_t dims[4] = {3, 32767, 32767, 32767};
    f.seekp(40);
    f.write(reinterpret_cast<const char*>(dims), sizeof(dims));
    f.close();
    try {
      readNifti(path("absurd.nii"));
      QFAIL("no exception");
    } catch (const InputError& e) {
      QVERIFY2(QString(e.what()).contains("absurd"), e.what());
      QVERIFY(QString(e.what()).contains("absurd.nii"));
    }
  }
  void wrongMagicIsRejected() {
    std::vector<unsigned char> bytes(400, 0);
    const std::int32_t size = 348;
    std::memcpy(bytes.data(), &size, 4);
    std::memcpy(bytes.data() + 344, "xyz\0", 4);
    writeBytes(path("magic.nii"), bytes);
    QVERIFY_THROWS_EXCEPTION(InputError, readNifti(path("magic.nii")));
  }
  void textFileIsNotNifti() {
    std::ofstream(path("text.nii")) << std::string(400, 'a');
    try {
      readNifti(path("text.nii"));
      QFAIL("no exception");
    } catch (const InputError& e) {
      QVERIFY2(QString(e.what()).contains("not a NIfTI file"), e.what());
    }
  }
  void truncatedGzipIsAnError() {
    writeNifti(ramp(oblique()), path("full.nii.gz"));
    std::ifstream in(path("full.nii.gz"), std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
    bytes.resize(bytes.size() / 2);
    std::ofstream(path("half.nii.gz"), std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
    QVERIFY_THROWS_EXCEPTION(InputError, readNifti(path("half.nii.gz")));
  }
  void truncatedNifti2IsAnError() {
    writeNifti2({ramp(oblique())}, path("n2full.nii"));
    fs::resize_file(path("n2full.nii"), 600);
    QVERIFY_THROWS_EXCEPTION(InputError, readNifti(path("n2full.nii")));
  }
};

QTEST_GUILESS_MAIN(TestNiftiIO)
#include "test_nifti_io.moc"
