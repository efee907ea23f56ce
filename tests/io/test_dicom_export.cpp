// DICOM SEG and Parametric Map written from results on a DICOM series' grid: dciodvfy (dicom3tools)
// reports no error, reading them back gives the source geometry and the written values, they
// reference the source series and its Frame of Reference, patient identity is left out unless asked
// for, and bad requests fail naming the file and the reason. Also the MR image series the demo
// ships (io/DicomSeriesWriter.h): exact geometry and values read back, valid objects.
#include <QProcess>
#include <QtTest>

#include <algorithm>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>

#include <filesystem>

#include "DicomFixtureWriter.h"
#include "io/DicomParametricMap.h"
#include "io/DicomSegmentation.h"
#include "io/DicomSeriesWriter.h"
#include "io/ImageReader.h"
#include "io/NiftiIO.h"
#include "task/InputError.h"

using namespace voxplain;
using namespace voxplain::testing;
namespace fs = std::filesystem;

namespace {
constexpr const char* kFrameOfReference = "1.2.826.0.1.3680043.9.7533.2";  // DicomFixtureWriter's

std::string attribute(const fs::path& file, const DcmTagKey& tag) {
  DcmFileFormat ff;
  if (ff.loadFile(file.string().c_str()).bad()) return "<unreadable>";
  OFString value;
  ff.getDataset()->findAndGetOFString(tag, value);
  return value.c_str();
}

// dciodvfy's output; the test fails on any line starting with "Error".
QString validate(const fs::path& file) {
  QProcess p;
  p.start(DCIODVFY, {QString::fromStdString(file.string())});
  if (!p.waitForFinished(60000)) return "Error - dciodvfy (" DCIODVFY ") did not run";
  return QString::fromUtf8(p.readAllStandardError() + p.readAllStandardOutput());
}

QStringList errorLines(const QString& report) {
  QStringList errors;
  for (const QString& line : report.split('\n'))
    if (line.startsWith("Error")) errors << line;
  return errors;
}
}  // namespace

class TestDicomExport : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  fs::path series_;
  std::string seriesUid_;
  LoadedImage image_;
  LabelVolume labels_;
  Volume map_;

  fs::path out(const char* name) const { return fs::path(dir_.path().toStdString()) / name; }

 private Q_SLOTS:
  void initTestCase() {
    // An oblique series: rows along (0, 0.8, -0.6), slices 2.5 mm apart along the normal.
    SeriesSpec spec;
    series_ = out("series");
    spec.folder = series_.string();
    spec.rowCosine = {1, 0, 0};
    spec.columnCosine = {0, 0.8, -0.6};
    const Vec3 normal = cross(spec.rowCosine, spec.columnCosine);
    spec.positions = stackPositions({-4.0, -3.0, 10.0}, {2.5 * normal[0], 2.5 * normal[1], 2.5 * normal[2]}, 6);
    spec.value = [](const Vec3& p) { return p[0] + p[1]; };
    seriesUid_ = writeSeries(spec);
    image_ = readImage(series_);
    const Geometry& grid = image_.geometry();
    labels_ = LabelVolume(grid, 0);
    map_ = Volume(grid, 0.0f);
    for (std::size_t k = 0; k < grid.size[2]; ++k)
      for (std::size_t j = 0; j < grid.size[1]; ++j)
        for (std::size_t i = 0; i < grid.size[0]; ++i) {
          if (i >= 2 && i < 5 && j >= 3 && j < 7 && k >= 1 && k < 4) labels_.at(i, j, k) = 1;
          if (i >= 6 && j >= 8 && k == 5) labels_.at(i, j, k) = 3;
          map_.at(i, j, k) = float(i) + 10.0f * float(j) + 100.0f * float(k) - 50.5f;
        }
  }

  void sourceMatchesEverySlice() {
    const DicomSource source = findDicomSource(series_, "", image_.geometry());
    QCOMPARE(source.seriesUid, seriesUid_);
    QCOMPARE(source.frameOfReferenceUid, std::string(kFrameOfReference));
    QCOMPARE(source.instances.size(), std::size_t(6));
    QVERIFY(source.everySliceMatched());
  }

  void segmentationRoundTrip() {
    const DicomSource source = findDicomSource(series_, "", image_.geometry());
    const fs::path file = out("seg.dcm");
    writeDicomSegmentation(file, labels_, {{1, "lesion"}, {3, "ventricle"}}, "demo net", source, {}, Overwrite::Refuse);
    const DicomSegmentationRead read = readDicomSegmentation(file);
    QVERIFY2(compareGeometry(read.labels.geometry(), image_.geometry()).sameGrid(),
             compareGeometry(read.labels.geometry(), image_.geometry())
                 .describe(read.labels.geometry(), image_.geometry())
                 .c_str());
    QCOMPARE(read.segments.size(), std::size_t(2));
    QCOMPARE(read.segments[0].name, std::string("lesion"));
    QCOMPARE(read.segments[1].name, std::string("ventricle"));
    // Segment numbers 1, 2 stand for label values 1, 3.
    for (std::size_t n = 0; n < labels_.voxelCount(); ++n) {
      const std::uint16_t expected = labels_.voxels()[n] == 3 ? 2 : labels_.voxels()[n];
      QCOMPARE(read.labels.voxels()[n], expected);
    }
    QCOMPARE(read.frameOfReferenceUid, std::string(kFrameOfReference));
    QCOMPARE(read.referencedSeriesUid, seriesUid_);
  }

  void parametricMapRoundTrip() {
    const DicomSource source = findDicomSource(series_, "", image_.geometry());
    const fs::path file = out("pmap.dcm");
    writeDicomParametricMap(file, map_, {"saliency", "CT", "class=1"}, source, {}, Overwrite::Refuse);
    const DicomParametricMapRead read = readDicomParametricMap(file);
    QVERIFY(compareGeometry(read.map.geometry(), image_.geometry()).sameGrid());
    QVERIFY(read.map.voxels() == map_.voxels());
    QCOMPARE(read.lutLabel, std::string("attr_CT"));
    QCOMPARE(read.frameOfReferenceUid, std::string(kFrameOfReference));
    QCOMPARE(read.referencedSeriesUid, seriesUid_);
  }

  void objectsPassDciodvfy() {
    const DicomSource source = findDicomSource(series_, "", image_.geometry());
    writeDicomSegmentation(out("valid-seg.dcm"), labels_, {{1, "lesion"}}, "demo net", source, {}, Overwrite::Refuse);
    writeDicomParametricMap(out("valid-pmap.dcm"), map_, {"saliency", "CT", "class=1"}, source, {}, Overwrite::Refuse);
    for (const char* name : {"valid-seg.dcm", "valid-pmap.dcm"}) {
      const QString report = validate(out(name));
      QVERIFY2(!report.isEmpty(), "dciodvfy printed nothing");
      QVERIFY2(errorLines(report).isEmpty(), qPrintable(name + QString(":\n") + report));
    }
  }

  void imageSeriesReadsBackWithItsGeometryAndValues() {
    Geometry g;
    g.size = {7, 5, 4};
    g.spacing = {0.9, 1.3, 2.5};
    g.origin = {-12.0, 30.5, 7.25};
    g.direction = {-1, 0, 0, 0, 0.8, -0.6, 0, -0.6, -0.8};  // columns i, j, k: oblique, k = i x j
    Volume v(g);
    for (std::size_t n = 0; n < v.voxelCount(); ++n) v.voxels()[n] = float(n) * 7.3f;
    DicomSeriesIdentity id;
    id.seriesDescription = "AX FLAIR (synthetic)";
    const auto files = writeDicomSeries(v, out("image-series"), id);
    QCOMPARE(files.size(), std::size_t(4));
    const LoadedImage read = readImage(out("image-series"));
    QCOMPARE(read.modality, std::string("MR"));
    QCOMPARE(read.description, id.seriesDescription);
    QVERIFY2(compareGeometry(read.geometry(), g).sameGrid(),
             compareGeometry(read.geometry(), g).describe(read.geometry(), g).c_str());
    for (std::size_t n = 0; n < v.voxelCount(); ++n)
      QCOMPARE(read.volumes[0].voxels()[n], float(std::lround(v.voxels()[n])));
    const QString report = validate(files.front());
    QVERIFY2(!report.isEmpty(), "dciodvfy printed nothing");
    QVERIFY2(errorLines(report).isEmpty(), qPrintable(report));
    // A left-handed grid (k = -(i x j)) comes back stacked along i x j: k reversed, same voxels.
    g.direction = {-1, 0, 0, 0, 0.8, 0.6, 0, -0.6, 0.8};
    v.setGeometry(g);
    writeDicomSeries(v, out("left-handed-series"), id);
    const LoadedImage flipped = readImage(out("left-handed-series"));
    const Vec3 k = flipped.geometry().axis(2), expectedK = g.axis(2);
    for (int d = 0; d < 3; ++d) QVERIFY(std::abs(k[d] + expectedK[d]) < 1e-6);
    QCOMPARE(flipped.volumes[0].at(2, 3, 0), float(std::lround(v.at(2, 3, 3))));
    const Vec3 a = flipped.geometry().indexToPhysical({2, 3, 0}), b = g.indexToPhysical({2, 3, 3});
    QVERIFY(norm(Vec3{a[0] - b[0], a[1] - b[1], a[2] - b[2]}) < 1e-3);
  }

  void imageSeriesOfOneStudyShareItsUids() {
    Geometry g;
    g.size = {4, 4, 3};
    DicomSeriesIdentity id;
    id.studyUid = newDicomUid();
    id.frameOfReferenceUid = newDicomUid();
    id.seriesDescription = "FLAIR";
    writeDicomSeries(Volume(g, 10.0f), out("study/FLAIR"), id);
    id.seriesDescription = "T1";
    id.seriesNumber = 2;
    writeDicomSeries(Volume(g, 20.0f), out("study/T1"), id);
    const std::vector<LoadedImage> images = readAllImages(out("study"));
    QCOMPARE(images.size(), std::size_t(2));
    QCOMPARE(images[0].studyUid, id.studyUid);
    QCOMPARE(images[1].studyUid, id.studyUid);
    QVERIFY(images[0].uid != images[1].uid);
    QCOMPARE(attribute(out("study/T1/IM0001.dcm"), DCM_FrameOfReferenceUID), id.frameOfReferenceUid);
  }

  void imageValuesBeyondSixteenBitsAreRefusedNamingTheFolder() {
    Geometry g;
    g.size = {2, 2, 2};
    Volume v(g, 5.0f);
    v.voxels()[3] = -3.0f;
    try {
      writeDicomSeries(v, out("refused-series"), {});
      QFAIL("a negative value was written");
    } catch (const InputError& e) {
      QVERIFY2(QString(e.what()).contains("refused-series") && QString(e.what()).contains("0..65535"), e.what());
    }
    QVERIFY(!fs::exists(out("refused-series")));
  }

  void patientIdentityLeftOutUnlessAsked() {
    const DicomSource source = findDicomSource(series_, "", image_.geometry());
    writeDicomSegmentation(out("anonymous.dcm"), labels_, {}, "net", source, {}, Overwrite::Refuse);
    QCOMPARE(attribute(out("anonymous.dcm"), DCM_PatientName), std::string());
    QCOMPARE(attribute(out("anonymous.dcm"), DCM_PatientID), std::string());
    QCOMPARE(attribute(out("anonymous.dcm"), DCM_PatientBirthDate), std::string());
    QCOMPARE(attribute(out("anonymous.dcm"), DCM_StudyInstanceUID), source.studyUid);
    DicomExportOptions keep;
    keep.keepPatientIdentity = true;
    writeDicomParametricMap(out("identified.dcm"), map_, {"saliency", "CT", ""}, source, keep, Overwrite::Refuse);
    QCOMPARE(attribute(out("identified.dcm"), DCM_PatientName), std::string("Phantom^Synthetic"));
    QCOMPARE(attribute(out("identified.dcm"), DCM_PatientID), std::string("VOXPLAIN-TEST"));
    QCOMPARE(attribute(out("identified.dcm"), DCM_PatientBirthDate), std::string("19700101"));
  }

  void resampledGridReferencesTheSeriesAsAWhole() {
    Geometry finer = image_.geometry();
    finer.spacing[2] /= 2;
    finer.size[2] = finer.size[2] * 2 - 1;
    const DicomSource source = findDicomSource(series_, "", finer);
    QVERIFY(!source.everySliceMatched());
    QVERIFY(source.sliceFrames[0].instance >= 0 && source.sliceFrames[1].instance < 0);
    writeDicomParametricMap(out("finer.dcm"), Volume(finer, 1.0f), {"saliency", "CT", ""}, source, {},
                            Overwrite::Refuse);
    QVERIFY(compareGeometry(readDicomParametricMap(out("finer.dcm")).map.geometry(), finer).sameGrid());
    const QString report = validate(out("finer.dcm"));
    QVERIFY2(errorLines(report).isEmpty(), qPrintable(report));
  }

  void niftiSourceIsRefusedNamingTheFile() {
    const fs::path nifti = out("image.nii.gz");
    writeNifti(image_.volumes[0], nifti, Overwrite::Allow);
    try {
      findDicomSource(nifti, "", image_.geometry());
      QFAIL("a NIfTI source was accepted");
    } catch (const InputError& e) {
      QVERIFY2(std::string(e.what()).find(nifti.string()) != std::string::npos, e.what());
      QVERIFY2(std::string(e.what()).find("NIfTI") != std::string::npos, e.what());
    }
  }

  void emptyLabelMapIsRefused() {
    const DicomSource source = findDicomSource(series_, "", image_.geometry());
    const fs::path file = out("empty.dcm");
    try {
      writeDicomSegmentation(file, LabelVolume(image_.geometry(), 0), {}, "net", source, {}, Overwrite::Refuse);
      QFAIL("an empty label map was written");
    } catch (const InputError& e) {
      QVERIFY2(std::string(e.what()).find(file.string()) != std::string::npos, e.what());
      QVERIFY2(std::string(e.what()).find("empty") != std::string::npos, e.what());
    }
    QVERIFY(!fs::exists(file));
  }

  void existingFileIsNotOverwritten() {
    const DicomSource source = findDicomSource(series_, "", image_.geometry());
    const fs::path file = out("kept.dcm");
    writeDicomParametricMap(file, map_, {"saliency", "CT", ""}, source, {}, Overwrite::Refuse);
    const auto size = fs::file_size(file);
    QVERIFY_THROWS_EXCEPTION(InputError, writeDicomParametricMap(file, Volume(image_.geometry(), 0.0f), {"x", "CT", ""},
                                                                 source, {}, Overwrite::Refuse));
    QCOMPARE(fs::file_size(file), size);
  }

  // Real series of ../shared/data (single-frame oblique MR, enhanced multi-frame MR, CT): each image
  // written back as a Parametric Map of its own values passes dciodvfy and reads back equal; source
  // values that are not valid DICOM are left out with a note.
  void realSeriesRoundTrip_data() {
    QTest::addColumn<QString>("series");
    for (const char* name : {"mr_ge_sag_oblique_4slice", "mr_siemens_enhanced_multiframe", "ct_ge_tiny_5slice"})
      QTest::newRow(name) << QString(name);
  }
  void realSeriesRoundTrip() {
    QFETCH(QString, series);
    const fs::path folder = fs::path(VOXPLAIN_TEST_DATA) / "dicom" / series.toStdString() / "series";
    QVERIFY2(fs::is_directory(folder), ("test data missing: " + folder.string()).c_str());
    const LoadedImage image = readImage(folder);
    const DicomSource source = findDicomSource(folder, "", image.geometry());
    QVERIFY(source.everySliceMatched());
    const fs::path file = out(qPrintable(series + ".dcm"));
    const std::vector<std::string> notes =
        writeDicomParametricMap(file, image.volumes[0], {"identity", "image", ""}, source, {}, Overwrite::Allow);
    // The GE series has Patient's Age "0Y" (AS must be nnnY): left out, and said so. A series
    // without Frame of Reference UID gets a new one, said in a note too.
    const std::size_t newFrame = source.frameOfReferenceUid.empty() ? 1 : 0;
    const std::size_t badAge = series.startsWith("mr_ge") ? 1 : 0;
    const auto says = [&](const std::string& text) {
      return std::size_t(std::count_if(notes.begin(), notes.end(),
                                       [&](const std::string& n) { return n.find(text) != std::string::npos; }));
    };
    QCOMPARE(says("has no Frame of Reference UID"), newFrame);
    QCOMPARE(says("PatientAge '0Y'"), badAge);
    QCOMPARE(notes.size(), newFrame + badAge);
    const QString report = validate(file);
    QVERIFY2(errorLines(report).isEmpty(), qPrintable(report));
    const DicomParametricMapRead read = readDicomParametricMap(file);
    QVERIFY(compareGeometry(read.map.geometry(), image.geometry()).sameGrid());
    QVERIFY(read.map.voxels() == image.volumes[0].voxels());
  }

  void otherObjectsAreNotReadAsSegmentations() {
    try {
      readDicomSegmentation(out("pmap.dcm"));
      QFAIL("a Parametric Map was read as a segmentation");
    } catch (const InputError& e) {
      QVERIFY2(std::string(e.what()).find("not a DICOM Segmentation") != std::string::npos, e.what());
    }
  }
};

QTEST_GUILESS_MAIN(TestDicomExport)
#include "test_dicom_export.moc"
