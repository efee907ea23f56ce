// Targets: parsing, class and instance regions (26-connected components), ROI boxes, voxels.
#include <QtTest>

#include "analysis/ConnectedComponents.h"
#include "attribution/Target.h"
#include "task/InputError.h"

using namespace voxplain;

namespace {
LabelVolume twoCubes() {
  Geometry g;
  g.size = {10, 10, 10};
  LabelVolume l(g);
  for (int z = 1; z < 3; ++z)
    for (int y = 1; y < 3; ++y)
      for (int x = 1; x < 3; ++x) l.at(x, y, z) = 1;  // 8 voxels
  for (int z = 6; z < 9; ++z)
    for (int y = 6; y < 9; ++y)
      for (int x = 6; x < 9; ++x) l.at(x, y, z) = 1;  // 27 voxels
  l.at(4, 4, 4) = 2;
  return l;
}
}  // namespace

class TestTargets : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void parsesEveryForm() {
    QVERIFY(TargetSpec::parse("class=2").label == 2);
    QVERIFY(TargetSpec::parse("instance=all").kind == TargetSpec::Kind::AllInstances);
    QCOMPARE(TargetSpec::parse("instance=3").instance, 3);
    const TargetSpec roi = TargetSpec::parse("roi=1,2,3,4,5,6,mm;score=probability");
    QVERIFY(roi.kind == TargetSpec::Kind::Roi && roi.boxInMm && roi.probability);
    QCOMPARE(TargetSpec::parse("voxel=4,5,6").voxel[2], 6L);
    QVERIFY_THROWS_EXCEPTION(InputError, TargetSpec::parse("roi=1,2,3"));
    QVERIFY_THROWS_EXCEPTION(InputError, TargetSpec::parse("lesion=1"));
  }
  void diagonalNeighboursAreOneComponentWith26Connectivity() {
    std::vector<std::uint8_t> mask(27, 0);
    mask[0] = mask[13] = mask[26] = 1;  // (0,0,0), (1,1,1), (2,2,2)
    QCOMPARE(connectedComponents(mask, {3, 3, 3}, 26).count(), 1);
    QCOMPARE(connectedComponents(mask, {3, 3, 3}, 6).count(), 3);
    QCOMPARE(connectedComponents(mask, {3, 3, 3}, 26, 4).count(), 0);
  }
  void instancesAreTheComponentsOfTheClass() {
    const LabelVolume l = twoCubes();
    const auto regions = targetRegions(TargetSpec::parse("instance=all"), l, l.geometry());
    QCOMPARE(regions.size(), std::size_t(2));
    QCOMPARE(regions[0].voxels, std::size_t(8));
    QCOMPARE(regions[1].voxels, std::size_t(27));
    QCOMPARE(QString::fromStdString(regions[1].suffix), QString("instance2"));
    QCOMPARE(targetRegions(TargetSpec::parse("class=1"), l, l.geometry())[0].voxels, std::size_t(35));
    QVERIFY_THROWS_EXCEPTION(InputError, targetRegions(TargetSpec::parse("instance=3"), l, l.geometry()));
  }
  void roiAndVoxelSelectTheirVoxels() {
    const LabelVolume l = twoCubes();
    QCOMPARE(targetRegions(TargetSpec::parse("roi=0,0,0,1,1,1"), l, l.geometry())[0].voxels, std::size_t(8));
    QCOMPARE(targetRegions(TargetSpec::parse("voxel=9,9,9"), l, l.geometry())[0].voxels, std::size_t(1));
    QVERIFY_THROWS_EXCEPTION(InputError, targetRegions(TargetSpec::parse("roi=20,20,20,30,30,30"), l, l.geometry()));
  }
};

QTEST_APPLESS_MAIN(TestTargets)
#include "test_targets.moc"
