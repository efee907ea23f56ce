// Every case of shared/data/cases.json (real DICOM and NIfTI with provenance, see its README):
// geometry and values equal to the expectations, voxels identical to the reference NIfTI made by
// dcm2niix/dicom2nifti (matched through physical positions), every malformed file an InputError.
#include <QtTest>

#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "io/ImageReader.h"
#include "io/NiftiIO.h"
#include "task/InputError.h"

using namespace voxplain;
using nlohmann::json;

namespace {
const std::string kData = VOXPLAIN_TEST_DATA;

json loadCases() {
  std::ifstream in(kData + "/cases.json");
  if (!in) return json::object();
  return json::parse(in);
}

void addRows(const char* kind) {
  QTest::addColumn<QString>("id");
  const json cases = loadCases();
  if (!cases.contains("cases")) return;
  for (const json& c : cases["cases"])
    if (c["kind"] == kind)
      QTest::newRow(c["id"].get<std::string>().c_str()) << QString::fromStdString(c["id"].get<std::string>());
}

json caseById(const QString& id) {
  const json cases = loadCases();
  for (const json& c : cases["cases"])
    if (c["id"] == id.toStdString()) return c;
  return {};
}

double mean(const LoadedImage& image) {
  double sum = 0;
  std::size_t n = 0;
  for (const Volume& v : image.volumes)
    for (float x : v.voxels()) sum += x, ++n;
  return sum / double(n);
}

std::pair<double, double> range(const LoadedImage& image) {
  double lo = 1e300, hi = -1e300;
  for (const Volume& v : image.volumes) {
    const auto [a, b] = valueRange(v);
    lo = std::min(lo, a), hi = std::max(hi, b);
  }
  return {lo, hi};
}

void checkGeometry(const Geometry& g, const json& dims, const json& spacing, const Vec3& origin, const Mat3& direction,
                   bool zSpacingFree, std::size_t volumes) {
  for (int d = 0; d < 3; ++d) QCOMPARE(g.size[d], dims[d].get<std::size_t>());
  QCOMPARE(volumes, dims.size() > 3 ? dims[3].get<std::size_t>() : std::size_t(1));
  for (int d = 0; d < (zSpacingFree ? 2 : 3); ++d)
    QVERIFY2(
        std::abs(g.spacing[d] - spacing[d].get<double>()) < 1e-5,
        qPrintable(QString("spacing[%1] %2 vs %3").arg(d).arg(g.spacing[d], 0, 'g', 9).arg(spacing[d].get<double>())));
  QVERIFY(g.spacing[2] > 0);
  for (int d = 0; d < 3; ++d)
    QVERIFY2(std::abs(g.origin[d] - origin[d]) < 1e-3,
             qPrintable(QString("origin[%1] %2 vs %3").arg(d).arg(g.origin[d]).arg(origin[d])));
  for (int e = 0; e < 9; ++e)
    QVERIFY2(std::abs(g.direction[e] - direction[e]) < 1e-3,
             qPrintable(QString("direction[%1] %2 vs %3").arg(e).arg(g.direction[e]).arg(direction[e])));
}
}  // namespace

class TestSharedDataCases : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    // Missing data is a failure, not a skip: a suite that tests nothing must not pass.
    if (!loadCases().contains("cases"))
      QFAIL("shared/data (cases.json) is not beside the repository: " VOXPLAIN_TEST_DATA);
  }

  void dicomSeriesMatchExpectedGeometryAndValues_data() { addRows("dicom_series"); }
  void dicomSeriesMatchExpectedGeometryAndValues() {
    QFETCH(QString, id);
    const json c = caseById(id);
    const json vol = c["series"][0]["volumes"][0];
    const LoadedImage image = readImage(kData + "/" + c["path"].get<std::string>());
    Vec3 origin;
    Mat3 direction;
    for (int d = 0; d < 3; ++d) origin[d] = vol["origin_lps"][d];
    for (int r = 0; r < 3; ++r)
      for (int col = 0; col < 3; ++col) direction[3 * r + col] = vol["direction_lps_row_major"][r][col];
    checkGeometry(image.geometry(), vol["dims"], vol["spacing"], origin, direction, vol["dims"][2] == 1,
                  image.volumes.size());
    QCOMPARE(QString::fromStdString(image.geometry().axisCodes()), QString::fromStdString(vol["axis_codes_lps"]));
    const json& stats = vol["pixel_stats"]["rescaled"];
    const auto [lo, hi] = range(image);
    QVERIFY2(std::abs(lo - stats["min"].get<double>()) < 1e-3, qPrintable(QString::number(lo)));
    QVERIFY2(std::abs(hi - stats["max"].get<double>()) < 1e-2, qPrintable(QString::number(hi)));
    QVERIFY(std::abs(mean(image) - stats["mean"].get<double>()) <
            1e-4 * std::max(1.0, std::abs(stats["mean"].get<double>())));
  }

  // Voxels identical to the reference NIfTI: every reference voxel centre is mapped to our grid
  // through physical space (the references flip or reorder axes) and the stored integers compared.
  void dicomVoxelsEqualReferenceNifti_data() { addRows("dicom_series"); }
  void dicomVoxelsEqualReferenceNifti() {
    QFETCH(QString, id);
    const json c = caseById(id);
    if (!c.contains("reference_nifti") || c["reference_nifti"].empty()) QSKIP("no reference NIfTI for this case");
    const json ref = c["reference_nifti"][0];
    const json vol = c["series"][0]["volumes"][0];
    const LoadedImage ours = readImage(kData + "/" + c["path"].get<std::string>());
    const LoadedImage theirs = readNifti(kData + "/" + ref["path"].get<std::string>());
    QCOMPARE(theirs.volumes.size(), ours.volumes.size());
    const double slope = vol["rescale_slope"][0].is_string() && vol["rescale_slope"][0] != "None"
                             ? std::stod(vol["rescale_slope"][0].get<std::string>())
                             : 1.0;
    const double icpt = vol["rescale_intercept"][0].is_string() && vol["rescale_intercept"][0] != "None"
                            ? std::stod(vol["rescale_intercept"][0].get<std::string>())
                            : 0.0;
    const double refSlope = ref["scl_slope"].get<double>() == 0.0 ? 1.0 : ref["scl_slope"].get<double>();
    const double refInter = ref["scl_inter"].get<double>();
    const Geometry& rg = theirs.geometry();
    const Geometry& og = ours.geometry();
    std::size_t compared = 0;
    for (std::size_t t = 0; t < theirs.volumes.size(); ++t)
      for (std::size_t k = 0; k < rg.size[2]; ++k)
        for (std::size_t j = 0; j < rg.size[1]; ++j)
          for (std::size_t i = 0; i < rg.size[0]; ++i) {
            const Vec3 idx = og.physicalToIndex(rg.indexToPhysical({double(i), double(j), double(k)}));
            long o[3];
            for (int d = 0; d < 3; ++d) {
              o[d] = std::lround(idx[d]);
              QVERIFY2(std::abs(idx[d] - double(o[d])) < 0.02, "reference voxel centre is not on our grid");
              QVERIFY(o[d] >= 0 && o[d] < long(og.size[d]));
            }
            const long storedOurs = std::lround((ours.volumes[t].at(o[0], o[1], o[2]) - icpt) / slope);
            const long storedRef = std::lround((theirs.volumes[t].at(i, j, k) - refInter) / refSlope);
            if (storedOurs != storedRef)
              QFAIL(qPrintable(QString("voxel (%1,%2,%3,%4): ours %5, reference %6")
                                   .arg(i)
                                   .arg(j)
                                   .arg(k)
                                   .arg(t)
                                   .arg(storedOurs)
                                   .arg(storedRef)));
            ++compared;
          }
    QVERIFY(compared == og.voxelCount() * ours.volumes.size());
  }

  void niftiFilesMatchTheirHeaders_data() { addRows("nifti"); }
  void niftiFilesMatchTheirHeaders() {
    QFETCH(QString, id);
    const json c = caseById(id);
    const json& h = c["header"];
    const LoadedImage image = readNifti(kData + "/" + c["path"].get<std::string>());
    Vec3 origin;
    Mat3 direction;
    const json& s = h["sform_rows_ras"];
    for (int r = 0; r < 3; ++r) origin[r] = (r < 2 ? -1.0 : 1.0) * s[r][3].get<double>();
    for (int col = 0; col < 3; ++col) {
      const double len = std::sqrt(std::pow(s[0][col].get<double>(), 2) + std::pow(s[1][col].get<double>(), 2) +
                                   std::pow(s[2][col].get<double>(), 2));
      for (int r = 0; r < 3; ++r) direction[3 * r + col] = (r < 2 ? -1.0 : 1.0) * s[r][col].get<double>() / len;
    }
    checkGeometry(image.geometry(), c["dims"], c["spacing"], origin, direction, false, image.volumes.size());
    const json& stats = h["stats"].contains("scaled") ? h["stats"]["scaled"] : h["stats"]["raw"];
    const auto [lo, hi] = range(image);
    QVERIFY2(std::abs(lo - stats["min"].get<double>()) < 1e-3, qPrintable(QString::number(lo)));
    QVERIFY2(std::abs(hi - stats["max"].get<double>()) < 1e-3, qPrintable(QString::number(hi)));
    QVERIFY(std::abs(mean(image) - stats["mean"].get<double>()) <
            1e-4 * std::max(1.0, std::abs(stats["mean"].get<double>())));
  }

  void malformedFilesAreInputErrors_data() { addRows("bad"); }
  void malformedFilesAreInputErrors() {
    QFETCH(QString, id);
    const json c = caseById(id);
    const std::string path = kData + "/" + c["path"].get<std::string>();
    try {
      readAllImages(path);
      QFAIL("loaded a malformed file");
    } catch (const InputError& e) {
      QVERIFY2(QString(e.what()).contains(QString::fromStdString(c["path"].get<std::string>()).section('/', -1)),
               qPrintable(QString("message does not name the file: ") + e.what()));
      QVERIFY(!e.reason().empty());
    }
  }
};

QTEST_GUILESS_MAIN(TestSharedDataCases)
#include "test_shared_data_cases.moc"
