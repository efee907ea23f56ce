// Per-instance statistics on hand-checkable volumes: two cubes, known sums, ring, matching, AUC.
#include <QtTest>

#include "analysis/InstanceStatistics.h"

using namespace voxplain;

namespace {
// 20 x 10 x 10 voxels of 2 x 1 x 1 mm (2 mm^3 each). Instance 1: the 3^3 cube at (2..4)^3;
// instance 2: the 2^3 cube at x 12..13, y 2..3, z 2..3.
struct TwoCubes {
  Geometry g;
  LabelVolume ids;
  Volume probability;
  std::vector<std::vector<Volume>> maps;
  LabelVolume reference;
  TwoCubes() {
    g.size = {20, 10, 10};
    g.spacing = {2, 1, 1};
    ids = LabelVolume(g);
    probability = Volume(g, 0.8f);
    reference = LabelVolume(g);
    Volume flair1(g, -1.0f), t1First(g), flair2(g), t1Second(g);
    for (std::size_t z = 0; z < 10; ++z)
      for (std::size_t y = 0; y < 10; ++y)
        for (std::size_t x = 0; x < 20; ++x) {
          const std::size_t i = g.linearIndex(x, y, z);
          const bool first = x >= 2 && x <= 4 && y >= 2 && y <= 4 && z >= 2 && z <= 4;
          const bool second = x >= 12 && x <= 13 && y >= 2 && y <= 3 && z >= 2 && z <= 3;
          ids.data()[i] = first ? 1 : second ? 2 : 0;
          if (first) flair1.data()[i] = 2.0f, t1First.data()[i] = 1.0f;
          if (second) flair2.data()[i] = 1.0f;
          reference.data()[i] = first || (x >= 15 && y >= 7 && z >= 7) ? 1 : 0;  // instance 1 + one missed lesion
        }
    flair2.data()[g.linearIndex(12, 2, 2)] = -3.0f;
    maps = {{flair1, t1First}, {flair2, t1Second}};
  }
};
}  // namespace

class TestInstanceStatistics : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void sumsMeansPeaksAndShares() {
    TwoCubes c;
    InstanceOptions o;
    o.ringMm = 1.0;
    const InstanceReport r = instanceStatistics(c.ids, &c.probability, c.maps, {"FLAIR", "T1"}, nullptr, o);
    QCOMPARE(int(r.instances.size()), 2);
    const InstanceStats& a = r.instances[0];
    QCOMPARE(a.voxels, std::size_t(27));
    QCOMPARE(a.volumeMm3, 54.0);
    QVERIFY(std::abs(a.meanProbability - 0.8) < 1e-6);
    QCOMPARE(a.modalities[0].sum, 54.0);
    QCOMPARE(a.modalities[0].mean, 2.0);
    QCOMPARE(a.modalities[0].peak, 2.0);
    QCOMPARE(a.modalities[1].sum, 27.0);
    QVERIFY(std::abs(a.modalities[0].share - 2.0 / 3.0) < 1e-12);
    // Ring of 1 mm with 2 mm voxels along x: only the y and z faces, 4 x 9 voxels, all -1 in FLAIR.
    QCOMPARE(a.ringVoxels, std::size_t(36));
    QCOMPARE(a.modalities[0].ringMean, -1.0);
    QCOMPARE(r.instances[1].modalities[0].peak, -3.0);  // largest magnitude keeps its sign
    QCOMPARE(a.centroidMm[0], 6.0);                     // index 3 x 2 mm
  }
  void referenceMatchingAndAuc() {
    TwoCubes c;
    const InstanceReport r = instanceStatistics(c.ids, &c.probability, c.maps, {"FLAIR", "T1"}, &c.reference, {});
    QCOMPARE(QString::fromStdString(r.instances[0].match), QString("TP"));
    QCOMPARE(r.instances[0].dice, 1.0);
    QCOMPARE(QString::fromStdString(r.instances[1].match), QString("FP"));
    QCOMPARE(r.falseNegatives, std::size_t(1));
    QCOMPARE(r.aucPeakTpVsFp, 0.0);  // the FP's peak |A| (3) beats the TP's (2)
    QVERIFY(r.toCsv().find("FLAIR_ring_mean") != std::string::npos);
    QCOMPARE(r.toJson()["false_negatives"].get<int>(), 1);
  }
  void aucCountsTiesAsHalf() {
    QCOMPARE(rocAuc({3, 2}, {1, 2}), 0.875);
    QCOMPARE(rocAuc({}, {1}), -1.0);
  }
  void mismatchedInputsAreRefused() {
    TwoCubes c;
    c.maps.pop_back();
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             instanceStatistics(c.ids, nullptr, c.maps, {"FLAIR", "T1"}, nullptr, {}));
  }
};

QTEST_GUILESS_MAIN(TestInstanceStatistics)
#include "test_instance_statistics.moc"
