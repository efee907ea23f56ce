// The one study reader of the CLI and the app (io/StudyReader.h) on shared/data: modality names,
// one series of a multi-series folder, notes, and clear errors.
#include <QtTest>

#include "io/DicomCatalog.h"
#include "io/ImageReader.h"
#include "io/StudyReader.h"
#include "task/InputError.h"

using namespace voxplain;
namespace fs = std::filesystem;

namespace {
const fs::path data(VOXPLAIN_TEST_DATA);
}

class TestStudyReader : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    // Missing data is a failure, not a skip.
    if (!fs::exists(data / "dicom" / "ct_ge_tiny_5slice"))
      QFAIL("shared/data/dicom is not beside the repository: " VOXPLAIN_TEST_DATA);
  }
  void modalityNamesComeFromFileOrFolderNames() {
    QCOMPARE(modalityNameOf("a/FLAIR.nii.gz"), std::string("FLAIR"));
    QCOMPARE(modalityNameOf("a/t1.NII"), std::string("t1"));
    QCOMPARE(modalityNameOf("data/T1/"), std::string("T1"));
    QCOMPARE(modalityNameOf("ct.dcm"), std::string("ct"));
    QCOMPARE(modalityNameOf(".nii"), std::string(".nii"));  // nothing before the extension: kept whole
  }
  void aFolderOfSeveralSeriesAsksForOne() {
    try {
      readStudy({{data / "dicom", {}, "CT"}});
      QFAIL("read a folder of several series without a choice");
    } catch (const SeriesChoiceNeeded& e) {
      QVERIFY2(e.uids().size() >= 5, e.what());
      QVERIFY(QString(e.what()).contains("series found"));
    }
  }
  void oneSeriesOfAFolderIsReadAlone() {
    const DicomCatalog ct = scanDicom(data / "dicom" / "ct_ge_tiny_5slice");
    QCOMPARE(ct.series.size(), std::size_t(1));
    const StudyRead read = readStudy({{data / "dicom", ct.series.front().seriesUid, {}}});
    const Modality& m = read.study.modalities().front();
    QCOMPARE(m.name, std::string("dicom"));
    QCOMPARE(m.volume.size()[2], std::int64_t(5));
    QVERIFY(QString::fromStdString(m.source).contains(QString::fromStdString(ct.series.front().seriesUid)));
  }
  void anUnknownSeriesIsNamedWithTheOnesFound() {
    try {
      readImage(data / "dicom" / "ct_ge_tiny_5slice", "1.2.3.4.5");
      QFAIL("read a series that is not there");
    } catch (const InputError& e) {
      QVERIFY2(QString(e.what()).contains("no series with UID 1.2.3.4.5 (found: "), e.what());
    }
  }
  void aSecondModalityOnAnotherGridIsResampledWithANote() {
    const StudyRead read =
        readStudy({{data / "nifti" / "standard.nii.gz", {}, "A"}, {data / "nifti" / "example_mr_sm.nii.gz", {}, "B"}});
    QCOMPARE(read.study.modalities().size(), std::size_t(2));
    QVERIFY(!read.study.modality("B").resampledBecause.empty());
    bool noted = false;
    for (const std::string& note : read.notes)
      noted |= note.find("example_mr_sm.nii.gz: resampled onto the grid of") != std::string::npos;
    QVERIFY(noted);
  }
  void twoInputsWithOneNameAreRefusedNamingTheFile() {
    try {
      readStudy({{data / "nifti" / "standard.nii.gz", {}, {}}, {data / "nifti" / "standard.nii.gz", {}, {}}});
      QFAIL("two modalities with one name");
    } catch (const InputError& e) {
      QVERIFY2(QString(e.what()).contains("standard.nii.gz: a second modality named \"standard\""), e.what());
    }
  }
  void anInputIsNamedWithNameEqualsPath() {
    const StudyInput named = parseStudyInput("FLAIR=a/DICOM");
    QCOMPARE(named.name, std::string("FLAIR"));
    QVERIFY(named.nameGiven);
    QCOMPARE(named.path, fs::path("a/DICOM"));
    // A path with '=' in a folder name, a bare "=x" and an existing file are paths, not names.
    QCOMPARE(parseStudyInput("runs/a=1/t1.nii").path, fs::path("runs/a=1/t1.nii"));
    QVERIFY(!parseStudyInput("=x.nii").nameGiven);
    const std::string existing = (data / "nifti" / "standard.nii.gz").string();
    QCOMPARE(parseStudyInput(existing).path, fs::path(existing));
    QVERIFY(parseStudyInput(existing).name.empty());
  }
  void aDicomInputIsNamedByItsSeriesDescriptionThenByItsFolder() {
    std::vector<StudyInput> inputs{{data / "dicom" / "ct_ge_tiny_5slice" / "series", {}, {}},
                                   {data / "nifti" / "standard.nii.gz", {}, {}}};
    nameStudyInputs(inputs);
    const DicomCatalog ct = scanDicom(inputs[0].path);
    const std::string description = ct.series.front().seriesDescription;
    QCOMPARE(inputs[0].name, description.empty() ? std::string("series") : description);
    QCOMPARE(inputs[1].name, std::string("standard"));
    QVERIFY(!inputs[0].nameGiven);
  }
  void twoInputsNamedAlikeAreRefusedNamingBothAndTheForm() {
    const fs::path file = data / "nifti" / "standard.nii.gz";
    std::vector<StudyInput> inputs{{file, {}, {}}, {file, {}, {}}};
    try {
      nameStudyInputs(inputs);
      QFAIL("two inputs named alike");
    } catch (const InputError& e) {
      const QString what = e.what();
      QVERIFY2(what.contains("both named \"standard\"") && what.contains("NAME=PATH") &&
                   what.count(QString::fromStdString(file.string())) >= 2,
               e.what());
    }
  }
  void aMissingFileIsNamed() {
    try {
      readStudy({{data / "no_such.nii.gz", {}, {}}});
      QFAIL("read a missing file");
    } catch (const InputError& e) {
      QVERIFY2(QString(e.what()).contains("no_such.nii.gz: no such file"), e.what());
    }
  }
};

QTEST_APPLESS_MAIN(TestStudyReader)
#include "test_study_reader.moc"
