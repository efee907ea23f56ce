// volume/Percentile.h: numpy's linear percentile (values worked by hand below), several at once
// equal to one at a time, and the voxels-above-a-floor rule of the grey window.
#include <QtTest>

#include "volume/Percentile.h"

using namespace voxplain;

namespace {
// Sorted: 1 1 2 3 4 5 6 9 (n - 1 = 7 steps between ranks).
const std::vector<float> kValues{3, 1, 4, 1, 5, 9, 2, 6};

bool near(double a, double b) {
  return std::abs(a - b) < 1e-9;
}
}  // namespace

class TestPercentile : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void interpolatesBetweenTheNearestRanks() {
    QVERIFY(near(percentile(kValues, 0), 1.0));
    QVERIFY(near(percentile(kValues, 25), 1.75));  // rank 1.75: 1 + 0.75 * (2 - 1)
    QVERIFY(near(percentile(kValues, 50), 3.5));   // rank 3.5: 3 + 0.5 * (4 - 3)
    QVERIFY(near(percentile(kValues, 99), 8.79));  // rank 6.93: 6 + 0.93 * (9 - 6)
    QVERIFY(near(percentile(kValues, 99.5), 8.895));
    QVERIFY(near(percentile(kValues, 100), 9.0));
  }
  void outOfRangeIsClampedAndNothingGivesZero() {
    QVERIFY(near(percentile(kValues, -5), 1.0));
    QVERIFY(near(percentile(kValues, 150), 9.0));
    QCOMPARE(percentile({}, 50), 0.0);
    QCOMPARE(percentile({7.0f}, 30), 7.0);
  }
  void severalAtOnceEqualOneAtATime() {
    const std::vector<double> ps{99.5, 1, 50, 50, 100, 0, 12.5};
    const std::vector<double> at = percentiles(kValues, ps);
    QCOMPARE(at.size(), ps.size());
    for (std::size_t i = 0; i < ps.size(); ++i)
      QVERIFY2(near(at[i], percentile(kValues, ps[i])), qPrintable(QString("p%1").arg(ps[i])));
  }
  void theWindowIgnoresVoxelsAtOrBelowTheFloor() {
    Geometry g;
    g.size = {4, 2, 1};
    Volume v(g);
    v.voxels() = {0, 0, 0, 0, 2, 4, 6, 8};  // background 0: the window is of 2..8
    QVERIFY(near(percentileAbove(v, 0, 0.0f), 2.0));
    QVERIFY(near(percentileAbove(v, 50, 0.0f), 5.0));
    const std::vector<double> both = percentilesAbove(v, {50, 0}, 0.0f);
    QVERIFY(near(both[0], 5.0) && near(both[1], 2.0));
    Volume empty(g);  // nothing above the floor: every voxel counts
    QCOMPARE(percentileAbove(empty, 50, 0.0f), 0.0);
  }
};

QTEST_APPLESS_MAIN(TestPercentile)
#include "test_percentile.moc"
