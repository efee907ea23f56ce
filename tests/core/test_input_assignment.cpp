// Model inputs assigned to loaded volumes from names and DICOM descriptions (model/InputAssignment.h).
#include <QtTest>

#include "model/InputAssignment.h"

using namespace voxplain;

class TestInputAssignment : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void equalNamesWinWhateverTheOrder() {
    const InputAssignment a = assignInputs({"FLAIR", "T1"}, {{"t1", {}}, {"flair", {}}});
    QCOMPARE(a.volumeOfInput, (std::vector<int>{1, 0}));
    QCOMPARE(a.reasons[0], std::string("name"));
    QVERIFY(a.confident());
  }
  void seriesDescriptionsAndSynonymsMatch() {
    const InputAssignment a =
        assignInputs({"FLAIR", "T1"}, {{"Series 3", {"SAG T1 MPRAGE", "MR"}}, {"Series 5", {"AX_T2-FLAIR_FS", "MR"}}});
    QCOMPARE(a.volumeOfInput, (std::vector<int>{1, 0}));
    QCOMPARE(a.reasons[1], std::string("description 'SAG T1 MPRAGE'"));
    QVERIFY(a.confident());
  }
  void aVolumeThatFitsOneInputAloneGoesThereFirst() {
    // "T1 post gad" reads as T1 and as T1ce; the plain T1 must not lose its volume to it.
    const InputAssignment a = assignInputs({"T1", "T1ce"}, {{"t1_post_gad", {}}, {"t1_native", {}}});
    QCOMPARE(a.volumeOfInput, (std::vector<int>{1, 0}));
  }
  void noMatchFallsBackToPositionAndIsNotConfident() {
    const InputAssignment a = assignInputs({"FLAIR", "T1"}, {{"image_a", {}}, {"image_b", {}}});
    QCOMPARE(a.volumeOfInput, (std::vector<int>{0, 1}));
    QCOMPARE(a.reasons[0], std::string("position"));
    QVERIFY(a.complete());
    QVERIFY(!a.confident());
  }
  void partialMatchTakesTheRestByPosition() {
    const InputAssignment a = assignInputs({"FLAIR", "T1"}, {{"scan1", {}}, {"flair", {}}});
    QCOMPARE(a.volumeOfInput, (std::vector<int>{1, 0}));
    QCOMPARE(a.reasons[1], std::string("position"));
  }
  void tooFewVolumesLeaveAnInputUnassigned() {
    const InputAssignment a = assignInputs({"FLAIR", "T1"}, {{"t1", {}}});
    QCOMPARE(a.volumeOfInput, (std::vector<int>{-1, 0}));
    QCOMPARE(a.reasons[0], std::string("none left"));
    QVERIFY(!a.complete());
  }
  void aWordInsideAnotherWordIsNoMatch() {
    // "t1" is not a word of "t1ce"; "ct" is not a word of "vector".
    const InputAssignment a = assignInputs({"T1", "CT"}, {{"vector", {}}, {"t1ce", {}}});
    QCOMPARE(a.reasons[0], std::string("position"));
    QCOMPARE(a.reasons[1], std::string("position"));
  }
  void chosenVolumesTakeTheirInputsNameAndAnUnusedOneGivesItUp() {
    // Input FLAIR fed by the volume "ax_flair", T1 by "t1"; the third volume, already named FLAIR,
    // feeds nothing and is renamed so that no two volumes answer to "FLAIR".
    const std::vector<std::string> names = assignedNames({"t1", "ax_flair", "FLAIR"}, {"FLAIR", "T1"}, {1, 0});
    QCOMPARE(names, (std::vector<std::string>{"T1", "FLAIR", "FLAIR (unused)"}));
    // An input with no volume (-1) renames nothing.
    QCOMPARE(assignedNames({"a", "b"}, {"FLAIR", "T1"}, {-1, 0}), (std::vector<std::string>{"T1", "b"}));
  }
};

QTEST_APPLESS_MAIN(TestInputAssignment)
#include "test_input_assignment.moc"
