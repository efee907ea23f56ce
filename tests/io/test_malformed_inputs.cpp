// Bad input never crashes and always names the file and the reason: non-image DICOM, missing
// pixel data, absurd sizes, empty folders, foreign files, and every truncation of valid files.
#include <QtTest>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "DicomFixtureWriter.h"
#include "io/DicomCatalog.h"
#include "io/ImageReader.h"
#include "io/NiftiIO.h"
#include "task/InputError.h"

using namespace voxplain;
using namespace voxplain::testing;
namespace fs = std::filesystem;

namespace {
std::vector<char> readBytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::vector<char>((std::istreambuf_iterator<char>(in)), {});
}
void writeBytes(const fs::path& p, const std::vector<char>& bytes, std::size_t count) {
  std::ofstream(p, std::ios::binary).write(bytes.data(), std::streamsize(count));
}
}  // namespace

class TestMalformedInputs : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  fs::path path(const std::string& name) const { return fs::path(dir_.path().toStdString()) / name; }

  // A series of `count` explicit little endian files whose meta header then declares `uid`
  // (same length as the explicit little endian UID, so nothing else moves).
  std::vector<fs::path> seriesWithTransferSyntax(const std::string& folder, int count, const std::string& uid) {
    const std::string explicitLittleEndian = "1.2.840.10008.1.2.1";
    if (uid.size() != explicitLittleEndian.size()) throw std::logic_error("UID of another length");
    SeriesSpec spec;
    spec.folder = path(folder).string();
    spec.positions = stackPositions({0, 0, 0}, {0, 0, 2}, count);
    spec.value = [](const Vec3& p) { return p[0]; };
    writeSeries(spec);
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(path(folder))) {
      std::vector<char> bytes = readBytes(entry.path());
      const std::string text(bytes.begin(), bytes.end());
      const std::size_t at = text.find(explicitLittleEndian);
      if (at == std::string::npos || at > 1024) throw std::runtime_error("no transfer syntax in the meta header");
      std::copy(uid.begin(), uid.end(), bytes.begin() + std::ptrdiff_t(at));
      writeBytes(entry.path(), bytes, bytes.size());
      files.push_back(entry.path());
    }
    return files;
  }

  // The error names the file as its source and gives a reason.
  static void expectNamesFileAndReason(const InputError& e, const std::string& fileName) {
    QVERIFY2(QString::fromStdString(e.source()).endsWith(QString::fromStdString(fileName)), e.what());
    QVERIFY2(e.reason().size() > 3, e.what());
  }

  void expectError(const fs::path& p, const char* reasonFragment) {
    try {
      readAllImages(p);
      QFAIL(qPrintable("no error for " + QString::fromStdString(p.string())));
    } catch (const InputError& e) {
      QVERIFY2(QString(e.what()).contains(QString::fromStdString(p.filename().string())), e.what());
      QVERIFY2(QString(e.what()).contains(reasonFragment), e.what());
    }
  }

 private Q_SLOTS:
  void structuredReportIsNotAnImage() {
    writeStructuredReport(path("report.dcm").string());
    expectError(path("report.dcm"), "not an image");
  }
  void encapsulatedPdfIsNotAnImage() {
    writeEncapsulatedPdf(path("doc.dcm").string());
    expectError(path("doc.dcm"), "not an image");
  }
  void imageWithoutPixelDataIsAnError() {
    writeImageWithoutPixelData(path("nopixels.dcm").string());
    expectError(path("nopixels.dcm"), "without Pixel Data");
  }
  void absurdDicomSizeIsRejectedBeforeAllocation() {
    writeImageWithAbsurdSize(path("absurd.dcm").string(), 65535, 65535, 50000);
    expectError(path("absurd.dcm"), "Pixel Data has 16 bytes");
  }
  // Zero columns with 65,535 frames: refused at the header scan, before one record per frame is
  // made (found by libFuzzer: such a 1 KB file took a second to refuse).
  void zeroColumnsWithManyFramesIsRefusedAtTheScan() {
    writeImageWithAbsurdSize(path("nocolumns.dcm").string(), 16, 0, 65535);
    expectError(path("nocolumns.dcm"), "image has zero rows or columns");
    try {
      scanDicom(path("nocolumns.dcm"));
      QFAIL("the header scan listed a series of zero columns");
    } catch (const InputError& e) {
      QVERIFY2(QString(e.what()).contains("zero rows or columns"), e.what());
    }
  }
  void emptyFolderIsAnError() {
    fs::create_directories(path("empty"));
    expectError(path("empty"), "empty folder");
  }
  void folderWithoutDicomIsAnError() {
    fs::create_directories(path("text"));
    std::ofstream(path("text/readme.txt")) << "hello";
    expectError(path("text"), "no DICOM files");
  }
  void randomBytesAreNotAnImage() {
    std::vector<char> bytes(4096);
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = char((i * 2654435761u) >> 13);
    writeBytes(path("noise.dcm"), bytes, bytes.size());
    expectError(path("noise.dcm"), "not a DICOM or NIfTI file");
  }
  // A file whose meta header declares a transfer syntax nobody knows is refused naming the UID,
  // not parsed as if it were explicit little endian.
  void unknownTransferSyntaxIsRefusedNamingItsUid() {
    const std::vector<fs::path> files = seriesWithTransferSyntax("unknown_one", 1, "1.2.840.99999.9.9.9");
    expectError(files.front(), "unknown transfer syntax 1.2.840.99999.9.9.9");
  }
  // When every file of a folder fails alike, the message gives that reason and the count.
  void folderWhoseFilesAllFailAlikeSaysWhyOnce() {
    seriesWithTransferSyntax("unknown_all", 3, "1.2.840.99999.9.9.9");
    expectError(path("unknown_all"), "all 3 DICOM files: unknown transfer syntax 1.2.840.99999.9.9.9");
  }
  void missingPathIsAnError() { expectError(path("nothing-here"), "no such file"); }

  // Every cut of a valid file is either loaded or refused with an InputError: never a crash.
  void everyTruncationOfADicomFileIsHandled() {
    SeriesSpec s;
    s.folder = path("good").string();
    s.positions = stackPositions({0, 0, 0}, {0, 0, 1}, 1);
    s.value = [](const Vec3& p) { return p[0] + p[1]; };
    writeSeries(s);
    const fs::path good = fs::directory_iterator(s.folder)->path();
    const std::vector<char> bytes = readBytes(good);
    int errors = 0;
    for (std::size_t cut = 0; cut < bytes.size(); cut += 7) {
      writeBytes(path("cut.dcm"), bytes, cut);
      try {
        readAllImages(path("cut.dcm"));
      } catch (const InputError& e) {
        expectNamesFileAndReason(e, "cut.dcm");
        ++errors;
      }
    }
    QVERIFY(errors > int(bytes.size() / 7) - 3);
  }
  void everyTruncationOfANiftiFileIsHandled() {
    Geometry g;
    g.size = {6, 5, 4};
    writeNifti(Volume(g, 1.5f), path("good.nii.gz"));
    const std::vector<char> bytes = readBytes(path("good.nii.gz"));
    for (std::size_t cut = 0; cut + 1 < bytes.size(); cut += 3) {
      writeBytes(path("cut.nii.gz"), bytes, cut);
      try {
        readNifti(path("cut.nii.gz"));
        QFAIL(qPrintable(QString("a NIfTI file cut at %1 bytes loaded").arg(cut)));
      } catch (const InputError& e) {
        expectNamesFileAndReason(e, "cut.nii.gz");
      }
    }
  }
  void niftiByteOffsetsBeyondAFileAreRefused() {
    // vox_offset (float in NIfTI-1) far beyond int64, negative or NaN: found by UBSan under libFuzzer
    // (an out-of-range float to integer conversion); each named as such.
    Geometry g;
    g.size = {6, 5, 4};
    writeNifti(Volume(g, 1.5f), path("good.nii"));
    std::vector<char> bytes = readBytes(path("good.nii"));
    for (const float offset : {-8.98197e19f, 9e18f, -352.0f, std::nanf("")}) {
      std::memcpy(bytes.data() + 108, &offset, sizeof offset);
      writeBytes(path("offset.nii"), bytes, bytes.size());
      try {
        readNifti(path("offset.nii"));
        QFAIL(qPrintable(QString("vox_offset %1 was read").arg(double(offset))));
      } catch (const InputError& e) {
        expectNamesFileAndReason(e, "offset.nii");
        QVERIFY2(QString(e.what()).contains("vox_offset"), e.what());
      }
    }
  }
};

QTEST_GUILESS_MAIN(TestMalformedInputs)
#include "test_malformed_inputs.moc"
