// JPEG 2000 series made with gdcmconv (GDCM/OpenJPEG) from real series of ../shared/data open with the
// geometry of the uncompressed source and its values: equal for lossless, within the codec's error
// for lossy. A missing gdcmconv or missing data fails the test.
#include <QProcess>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "io/ImageReader.h"
#include "io/Jpeg2000Decoder.h"
#include "task/InputError.h"

using namespace voxplain;
namespace fs = std::filesystem;

class TestJpeg2000 : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

  static fs::path source(const char* series) { return fs::path(VOXPLAIN_TEST_DATA) / "dicom" / series / "series"; }

  // Every file under `from` converted by gdcmconv with `options` into the same relative place under `to`.
  static bool convert(const fs::path& from, const fs::path& to, const QStringList& options) {
    if (!fs::is_directory(from)) {
      qWarning("test data missing: %s", from.string().c_str());
      return false;
    }
    int files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(from)) {
      if (!entry.is_regular_file()) continue;
      const fs::path out = to / fs::relative(entry.path(), from);
      fs::create_directories(out.parent_path());
      QProcess p;
      p.start(GDCMCONV, options + QStringList{QString::fromStdString(entry.path().string()),
                                              QString::fromStdString(out.string())});
      if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        qWarning("gdcmconv (%s) failed on %s: %s", GDCMCONV, entry.path().string().c_str(),
                 p.readAllStandardError().constData());
        return false;
      }
      ++files;
    }
    return files > 0;
  }

  static LoadedImage only(const fs::path& path) {
    std::vector<LoadedImage> images = readAllImages(path);
    if (images.size() != 1) throw std::runtime_error(path.string() + ": " + std::to_string(images.size()) + " images");
    return images.front();
  }

  struct Difference {
    double maxAbs = 0.0, rms = 0.0, range = 0.0;
  };
  // |a - b| over all volumes, after checking that both lie on the same grid; range of a.
  static Difference difference(const LoadedImage& a, const LoadedImage& b) {
    const GeometryMismatch m = compareGeometry(a.geometry(), b.geometry());
    if (!m.sameGrid()) throw std::runtime_error("grids differ: " + m.describe(a.geometry(), b.geometry()));
    if (a.volumes.size() != b.volumes.size()) throw std::runtime_error("volume counts differ");
    Difference d;
    double lo = INFINITY, hi = -INFINITY, squares = 0.0;
    std::size_t n = 0;
    for (std::size_t v = 0; v < a.volumes.size(); ++v)
      for (std::size_t i = 0; i < a.volumes[v].voxels().size(); ++i, ++n) {
        const double x = a.volumes[v].voxels()[i], e = std::fabs(x - double(b.volumes[v].voxels()[i]));
        d.maxAbs = std::max(d.maxAbs, e);
        squares += e * e;
        lo = std::min(lo, x);
        hi = std::max(hi, x);
      }
    d.rms = std::sqrt(squares / double(std::max<std::size_t>(n, 1)));
    d.range = hi - lo;
    return d;
  }

  static std::string expectLoadError(const fs::path& path) {
    try {
      readAllImages(path);
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  }

 private Q_SLOTS:
  void transferSyntaxesAreRecognised() {
    QVERIFY(isJpeg2000TransferSyntax("1.2.840.10008.1.2.4.90"));
    QVERIFY(isJpeg2000TransferSyntax(std::string("1.2.840.10008.1.2.4.91") + '\0'));
    QVERIFY(!isJpeg2000TransferSyntax("1.2.840.10008.1.2.4.50"));
    QVERIFY(!isJpeg2000TransferSyntax("1.2.840.10008.1.2.4.9"));
  }

  void losslessSeriesEqualsItsSource_data() {
    QTest::addColumn<QString>("series");
    QTest::newRow("CT GE 5 slices") << "ct_ge_tiny_5slice";
    QTest::newRow("MR GE sagittal oblique") << "mr_ge_sag_oblique_4slice";
    QTest::newRow("MR Siemens enhanced multi-frame") << "mr_siemens_enhanced_multiframe";
  }
  void losslessSeriesEqualsItsSource() {
    QFETCH(QString, series);
    const fs::path from = source(series.toUtf8().constData());
    const fs::path to = fs::path(dir_.path().toStdString()) / ("lossless_" + series.toStdString());
    QVERIFY(convert(from, to, {"--j2k"}));
    const LoadedImage original = only(from), compressed = only(to);
    const Difference d = difference(original, compressed);
    QCOMPARE(d.maxAbs, 0.0);
    QVERIFY(d.range > 0.0);
    QCOMPARE(compressed.storedDataType, original.storedDataType);
  }

  // Lossy: the values equal GDCM's own decompression of the same file (gdcmconv --raw), and differ
  // from the source by what the requested quality allows (gdcmconv's -q is a PSNR in dB over the
  // 16-bit range: RMS error <= 65535 x 10^(-q/20)).
  void lossySeriesIsWithinTheCodecError() {
    const fs::path from = source("mr_ge_sag_oblique_4slice");
    const fs::path lossy = fs::path(dir_.path().toStdString()) / "lossy";
    const fs::path decompressed = fs::path(dir_.path().toStdString()) / "lossy_decompressed";
    const double quality = 80.0;
    QVERIFY(convert(from, lossy, {"--j2k", "--lossy", "-q", QString::number(quality)}));
    QVERIFY(convert(lossy, decompressed, {"--raw"}));
    const LoadedImage original = only(from), compressed = only(lossy), reference = only(decompressed);
    QCOMPARE(difference(reference, compressed).maxAbs, 0.0);
    const Difference d = difference(original, compressed);
    QVERIFY2(d.maxAbs > 0.0, "a lossy conversion changed nothing: the test would not see a wrong decoder");
    const double allowed = 65535.0 * std::pow(10.0, -quality / 20.0);
    QVERIFY2(d.rms <= 1.5 * allowed,
             qPrintable(QString("RMS error %1, allowed %2 (range %3)").arg(d.rms).arg(allowed).arg(d.range)));
  }

  // A series cut short fails at parsing; one whose codestream is damaged fails at decoding: both
  // name the files and the reason.
  void truncatedSeriesNamesTheFilesAndTheReason() {
    const fs::path to = fs::path(dir_.path().toStdString()) / "truncated";
    QVERIFY(convert(source("ct_ge_tiny_5slice"), to, {"--j2k"}));
    for (const auto& entry : fs::recursive_directory_iterator(to))
      if (entry.is_regular_file()) fs::resize_file(entry.path(), fs::file_size(entry.path()) - 200);
    const QString what = QString::fromStdString(expectLoadError(to));
    QVERIFY2(what.contains("truncated") && what.contains("all 5 DICOM files") && what.contains("premature end"),
             qPrintable(what));
  }
  void damagedCodestreamNamesTheFileAndTheReason() {
    const fs::path to = fs::path(dir_.path().toStdString()) / "damaged";
    QVERIFY(convert(source("mr_ge_single_slice"), to, {"--j2k"}));
    const fs::path file = fs::recursive_directory_iterator(to)->path();
    std::string bytes;
    {
      std::ifstream in(file, std::ios::binary);
      bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    const std::size_t soc = bytes.find(std::string("\xff\x4f\xff\x51", 4));  // start of codestream, SIZ
    QVERIFY(soc != std::string::npos);
    std::fill(bytes.begin() + std::ptrdiff_t(soc), bytes.begin() + std::ptrdiff_t(soc + 64), '\0');
    std::ofstream(file, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
    const QString what = QString::fromStdString(expectLoadError(to));
    QVERIFY2(what.contains(QString::fromStdString(file.filename().string())) && what.contains("JPEG 2000"),
             qPrintable(what));
  }
};

QTEST_GUILESS_MAIN(TestJpeg2000)
#include "test_jpeg2000.moc"
