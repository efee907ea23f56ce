// Study: one reference grid, mismatches reported and resampled, names unique.
#include <QtTest>

#include "volume/Study.h"

using namespace voxplain;

namespace {
Geometry grid() {
  Geometry g;
  g.size = {16, 16, 8};
  g.spacing = {1, 1, 2};
  return g;
}
}  // namespace

class TestStudy : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void firstModalityDefinesTheReferenceGrid() {
    Study s;
    s.addModality("FLAIR", "flair.nii", Volume(grid(), 1.0f));
    QVERIFY(compareGeometry(s.referenceGrid(), grid()).sameGrid());
    QVERIFY(s.modality("FLAIR").resampledBecause.empty());
  }
  void mismatchedModalityIsResampledAndReported() {
    Study s;
    s.addModality("FLAIR", "flair.nii", Volume(grid(), 1.0f));
    Geometry other = grid();
    other.spacing = {0.5, 0.5, 1.0};
    other.size = {32, 32, 16};
    const Modality& t1 = s.addModality("T1", "t1.nii", Volume(other, 2.0f));
    QVERIFY(QString::fromStdString(t1.resampledBecause).contains("size"));
    QCOMPARE(t1.volume.size(), grid().size);
    QCOMPARE(t1.volume.at(4, 4, 2), 2.0f);
  }
  void renamingKeepsVolumesAndRefusesDuplicates() {
    Study s;
    s.addModality("ax_flair", "a", Volume(grid(), 1.0f));
    s.addModality("t1_mprage", "b", Volume(grid(), 2.0f));
    s.renameModalities({"FLAIR", "T1"});
    QCOMPARE(s.modality("T1").volume.at(0, 0, 0), 2.0f);
    QCOMPARE(s.modality("FLAIR").source, std::string("a"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.renameModalities({"T1", "T1"}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.renameModalities({"T1"}));
    QCOMPARE(s.modalities()[0].name, std::string("FLAIR"));  // unchanged by the refused calls
  }
  void duplicateNameIsRejected() {
    Study s;
    s.addModality("CT", "a", Volume(grid()));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.addModality("CT", "b", Volume(grid())));
  }
  void unknownModalityNameThrows() {
    Study s;
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, s.modality("PET"));
  }
};

QTEST_APPLESS_MAIN(TestStudy)
#include "test_study.moc"
