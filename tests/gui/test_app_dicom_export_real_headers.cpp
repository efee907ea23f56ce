// The app's DICOM export (ui/DicomExport.h, the function behind File > Export DICOM) on real series of
// shared/data stripped the way anonymisers leave them: no Frame of Reference UID and none of the Type 2
// attributes Accession Number, Referring Physician's Name, Patient's Sex, Position Reference Indicator,
// Study ID. The SEG and the Parametric Map are written, dciodvfy reports no error, and the note says the
// Frame of Reference is new.
#include <QtTest>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>

#include <filesystem>

#include "DicomExport.h"
#include "io/ImageReader.h"

using namespace voxplain;
namespace fs = std::filesystem;

namespace {

// Copies every file of `source` into `target` without the attributes anonymisers drop.
void writeStripped(const fs::path& source, const fs::path& target) {
  fs::create_directories(target);
  for (const auto& entry : fs::directory_iterator(source)) {
    DcmFileFormat file;
    QVERIFY(file.loadFile(entry.path().string().c_str()).good());
    DcmDataset* data = file.getDataset();
    for (const DcmTagKey& tag : {DCM_FrameOfReferenceUID, DCM_AccessionNumber, DCM_ReferringPhysicianName,
                                 DCM_PatientSex, DCM_PositionReferenceIndicator, DCM_StudyID})
      data->findAndDeleteElement(tag);
    QVERIFY(file.saveFile((target / entry.path().filename()).string().c_str()).good());
  }
}

QStringList dciodvfyErrors(const fs::path& file) {
  QProcess p;
  p.start(DCIODVFY, {QString::fromStdString(file.string())});
  if (!p.waitForFinished(60000)) return {"Error - dciodvfy (" DCIODVFY ") did not run"};
  QStringList errors;
  for (const QString& line : QString::fromUtf8(p.readAllStandardError() + p.readAllStandardOutput()).split('\n'))
    if (line.startsWith("Error")) errors << line;
  return errors;
}

}  // namespace

class TestAppDicomExportRealHeaders : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void strippedRealSeriesExport_data() {
    QTest::addColumn<QString>("series");
    for (const char* name : {"ct_ge_tiny_5slice", "mr_ge_sag_oblique_4slice", "mr_siemens_enhanced_multiframe"})
      QTest::newRow(name) << QString(name);
  }
  void strippedRealSeriesExport() {
    QFETCH(QString, series);
    QTemporaryDir dir;
    const fs::path root = dir.path().toStdString();
    writeStripped(fs::path(VOXPLAIN_TEST_DATA) / "dicom" / series.toStdString() / "series", root / "series");
    const LoadedImage image = readImage(root / "series");
    const Volume& volume = image.volumes.front();
    // A label map (voxels above the mean) and the image itself as the map: what is written does not matter here.
    double mean = 0;
    for (float v : volume.voxels()) mean += v;
    mean /= double(volume.voxels().size());
    auto labels = std::make_shared<LabelVolume>(volume.geometry(), std::uint16_t(0));
    for (std::size_t i = 0; i < volume.voxels().size(); ++i) labels->data()[i] = volume.data()[i] > mean ? 1 : 0;

    ui::DicomExportRequest request;
    request.inputs = {{root / "series", {}, "image"}};
    request.studyModalities = {"image"};
    request.labels = labels;
    request.segments = {{1, "lesion"}};
    request.model = "test";
    request.maps = std::make_shared<const std::vector<Volume>>(std::vector<Volume>{volume});
    request.mapModalities = {"image"};
    request.method = "saliency";
    request.target = "class=1";
    request.folder = root / "out";
    const ui::DicomExportResult result = ui::exportToDicom(request);
    QVERIFY2(result.error.empty(), result.error.c_str());
    QCOMPARE(result.files.size(), std::size_t(2));
    bool newFrame = false;
    for (const std::string& note : result.notes)
      newFrame |= note.find("has no Frame of Reference UID") != std::string::npos;
    QVERIFY(newFrame);
    for (const std::string& file : result.files) {
      const QStringList errors = dciodvfyErrors(file.find('/') == 0 ? fs::path(file) : request.folder / file);
      QVERIFY2(errors.isEmpty(), qPrintable(QString::fromStdString(file) + ":\n" + errors.join('\n')));
    }
  }
};

QTEST_APPLESS_MAIN(TestAppDicomExportRealHeaders)
#include "test_app_dicom_export_real_headers.moc"
