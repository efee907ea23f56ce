// Dice per label and lesion-wise detection (analysis/SegmentationScores.h), against hand counts.
#include <QtTest>

#include "analysis/SegmentationScores.h"

using namespace voxplain;

namespace {

LabelVolume grid() {
  Geometry g;
  g.size = {20, 10, 10};
  return LabelVolume(g);
}

// Fills the box [x0, x1) x [y0, y1) x [z0, z1) with `value`.
void box(LabelVolume& v, std::size_t x0, std::size_t x1, std::size_t y0, std::size_t y1, std::size_t z0, std::size_t z1,
         std::uint16_t value) {
  for (std::size_t z = z0; z < z1; ++z)
    for (std::size_t y = y0; y < y1; ++y)
      for (std::size_t x = x0; x < x1; ++x) v.at(x, y, z) = value;
}

}  // namespace

class TestSegmentationScores : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void diceCountsTheOverlapOfEachLabel() {
    LabelVolume truth = grid(), predicted = grid();
    box(truth, 0, 4, 0, 2, 0, 1, 1);      // 8 voxels of label 1
    box(predicted, 2, 6, 0, 2, 0, 1, 1);  // 8 voxels, 4 shared: Dice 8 / 16
    box(truth, 10, 12, 0, 1, 0, 1, 2);    // label 2: 2 voxels, predicted none: Dice 0
    QCOMPARE(diceOfLabel(predicted, truth, 1), 0.5);
    QCOMPARE(diceOfLabel(predicted, truth, 2), 0.0);
    QCOMPARE(diceOfLabel(predicted, truth, 7), 1.0);  // absent from both
    QCOMPARE(diceOfMasks(predicted, truth), 2.0 * 4 / (8 + 10));
  }
  void lesionsAreDetectedFromADiceOfOneTenth() {
    LabelVolume truth = grid(), predicted = grid();
    box(truth, 0, 3, 0, 3, 0, 3, 1);  // A: 27 voxels, predicted exactly: TP
    box(predicted, 0, 3, 0, 3, 0, 3, 1);
    box(truth, 6, 10, 0, 5, 0, 5, 1);       // B: 100 voxels
    box(predicted, 9, 10, 0, 5, 4, 5, 1);   // touches B with 5 voxels: Dice 10 / 105 < 0.1: FP, and B missed
    box(truth, 12, 14, 0, 2, 0, 2, 1);      // C: 8 voxels, nothing predicted: missed
    box(predicted, 16, 18, 6, 8, 6, 8, 1);  // D: no reference: FP
    const LesionDetection d = lesionDetection(predicted, truth);
    QCOMPARE(d.referenceLesions, std::size_t(3));
    QCOMPARE(d.detected, std::size_t(1));
    QCOMPARE(d.predictedLesions, std::size_t(3));
    QCOMPARE(d.falsePositives, std::size_t(2));
    QCOMPARE(d.sensitivity(), 1.0 / 3.0);
    // Accepting any overlap (Dice 0) turns the touching instance into a detection of B.
    const LesionDetection any = lesionDetection(predicted, truth, 0.0);
    QCOMPARE(any.detected, std::size_t(2));
    QCOMPARE(any.falsePositives, std::size_t(1));
  }
  void matchingKeepsTheBestDiceAndSkipsSmallInstances() {
    LabelVolume truth = grid(), instances = grid();
    box(truth, 0, 4, 0, 4, 0, 1, 1);        // R0: 16 voxels
    box(truth, 6, 8, 0, 4, 0, 1, 1);        // R1: 8 voxels
    box(instances, 2, 7, 0, 4, 0, 1, 1);    // instance 1: 20 voxels; 8 in R0 (Dice 16/36), 4 in R1 (8/28)
    box(instances, 15, 16, 0, 1, 0, 1, 2);  // instance 2: 1 voxel, below minVoxels = 2
    const LesionMatching m = matchLesions(instances, 2, truth, 0.1, 2);
    QCOMPARE(m.bestReference[0], 0);
    QCOMPARE(m.dice[0], 16.0 / 36.0);
    QVERIFY(m.truePositive[0]);
    QVERIFY(m.skipped[1]);
    QVERIFY(!m.truePositive[1]);
    QCOMPARE(m.truePositives, std::size_t(1));
    QCOMPARE(m.falsePositives, std::size_t(0));
    QCOMPARE(m.falseNegatives, std::size_t(1));  // R1 is only a second-best overlap
  }
  void differentSizesAreRefused() {
    Geometry g;
    g.size = {4, 4, 4};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, diceOfMasks(grid(), LabelVolume(g)));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, lesionDetection(grid(), LabelVolume(g)));
  }
};

QTEST_APPLESS_MAIN(TestSegmentationScores)
#include "test_segmentation_scores.moc"
