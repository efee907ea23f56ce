// Geometry: index <-> LPS transforms, axis codes, grid comparison.
#include <QtTest>

#include <cmath>

#include "geometry/Geometry.h"

using namespace voxplain;

namespace {
Geometry obliqueGrid() {
  Geometry g;
  g.size = {10, 20, 30};
  g.spacing = {0.5, 0.75, 2.0};
  g.origin = {-12.5, 30.0, 7.25};
  const double a = 0.3;  // rotation about S by 0.3 rad, then flip of k
  g.direction = {std::cos(a), -std::sin(a), 0, std::sin(a), std::cos(a), 0, 0, 0, -1};
  return g;
}
}  // namespace

class TestGeometry : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void indexToPhysicalFollowsOriginDirectionSpacing() {
    const Geometry g = obliqueGrid();
    const Vec3 p = g.indexToPhysical({2, 0, 1});
    QVERIFY(std::abs(p[0] - (-12.5 + 2 * 0.5 * std::cos(0.3))) < 1e-12);
    QVERIFY(std::abs(p[1] - (30.0 + 2 * 0.5 * std::sin(0.3))) < 1e-12);
    QVERIFY(std::abs(p[2] - (7.25 - 2.0)) < 1e-12);
  }
  void physicalToIndexInvertsIndexToPhysical() {
    const Geometry g = obliqueGrid();
    const Vec3 idx{3.25, 17.5, 4.0};
    const Vec3 back = g.physicalToIndex(g.indexToPhysical(idx));
    for (int d = 0; d < 3; ++d) QVERIFY(std::abs(back[d] - idx[d]) < 1e-10);
  }
  void axisCodesNameTheNearestAnatomicalDirection() {
    Geometry g;
    QCOMPARE(QString::fromStdString(g.axisCodes()), QString("LPS"));
    g.direction = {0.053, 0, -0.9986, 0.9986, 0, 0.053, 0, -1, 0};  // GE sagittal (shared/data)
    QCOMPARE(QString::fromStdString(g.axisCodes()), QString("PIR"));
  }
  void inverseOfSingularMatrixThrows() {
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, inverse(Mat3{1, 2, 3, 2, 4, 6, 0, 0, 1}));
  }
  void validateNamesTheBadField() {
    Geometry g = obliqueGrid();
    g.spacing[1] = 0.0;
    try {
      g.validate();
      QFAIL("no exception");
    } catch (const std::invalid_argument& e) {
      QVERIFY(QString(e.what()).contains("spacing"));
    }
  }
  void identicalGridsCompareSame() { QVERIFY(compareGeometry(obliqueGrid(), obliqueGrid()).sameGrid()); }
  void shiftedGridReportsOriginDistance() {
    Geometry b = obliqueGrid();
    b.origin[0] += 3.0;
    const GeometryMismatch m = compareGeometry(obliqueGrid(), b);
    QVERIFY(!m.sameGrid());
    QVERIFY(std::abs(m.maxOriginDistance - 3.0) < 1e-12);
    QVERIFY(QString::fromStdString(m.describe(obliqueGrid(), b)).contains("origin differs by 3 mm"));
  }
  void indexMapFromComposesBothGrids() {
    const Geometry a = obliqueGrid();
    Geometry b = a;
    b.spacing = {1.0, 1.5, 4.0};
    b.origin = a.indexToPhysical({1, 2, 3});
    Mat3 m;
    Vec3 t;
    a.indexMapFrom(b, m, t);
    const Vec3 ib{2, 3, 1};
    const Vec3 expected = a.physicalToIndex(b.indexToPhysical(ib));
    const Vec3 got = multiply(m, ib);
    for (int d = 0; d < 3; ++d) QVERIFY(std::abs(got[d] + t[d] - expected[d]) < 1e-10);
  }
};

QTEST_APPLESS_MAIN(TestGeometry)
#include "test_geometry.moc"
