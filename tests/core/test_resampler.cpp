// Resampling: identity, exactness on linear fields, labels never blended, cancellation.
#include <QtTest>

#include <cmath>

#include "volume/Resampler.h"

using namespace voxplain;

namespace {
double field(const Vec3& p) {
  return 2.0 * p[0] - 0.5 * p[1] + 0.25 * p[2] + 10.0;
}

Volume linearVolume(const Geometry& g) {
  Volume v(g);
  for (std::size_t k = 0; k < g.size[2]; ++k)
    for (std::size_t j = 0; j < g.size[1]; ++j)
      for (std::size_t i = 0; i < g.size[0]; ++i)
        v.at(i, j, k) = float(field(g.indexToPhysical({double(i), double(j), double(k)})));
  return v;
}

Geometry source() {
  Geometry g;
  g.size = {24, 20, 16};
  g.spacing = {1.0, 1.2, 1.5};
  g.origin = {-10, -8, -9};
  return g;
}
}  // namespace

class TestResampler : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void resamplingOntoTheSameGridIsIdentity() {
    const Volume v = linearVolume(source());
    const Volume r = resampleLinear(v, source());
    QCOMPARE(r.voxels(), v.voxels());
  }
  void linearFieldIsReproducedOnARotatedGrid() {
    const Volume v = linearVolume(source());
    Geometry t;
    t.size = {10, 10, 8};
    t.spacing = {0.7, 0.9, 1.1};
    t.origin = {-4, -3, -3};
    const double a = 0.4;
    t.direction = {std::cos(a), 0, std::sin(a), 0, 1, 0, -std::sin(a), 0, std::cos(a)};
    const Volume r = resampleLinear(v, t, -999.0f);
    for (std::size_t k = 0; k < t.size[2]; ++k)
      for (std::size_t j = 0; j < t.size[1]; ++j)
        for (std::size_t i = 0; i < t.size[0]; ++i) {
          const double expected = field(t.indexToPhysical({double(i), double(j), double(k)}));
          QVERIFY2(std::abs(r.at(i, j, k) - expected) < 1e-3,
                   qPrintable(QString("voxel %1 %2 %3").arg(i).arg(j).arg(k)));
        }
  }
  void voxelsOutsideTheSourceGetTheOutsideValue() {
    const Volume v = linearVolume(source());
    Geometry t = source();
    t.origin = {100, 100, 100};
    const Volume r = resampleLinear(v, t, -5.0f);
    QCOMPARE(r.at(0, 0, 0), -5.0f);
  }
  void labelsAreResampledWithoutBlending() {
    Geometry g = source();
    LabelVolume labels(g);
    for (std::size_t i = 0; i < labels.voxelCount(); ++i) labels.data()[i] = std::uint16_t(i % 2 ? 7 : 3);
    Geometry t = g;
    t.spacing = {0.5, 0.6, 0.75};
    t.size = {40, 30, 20};
    const LabelVolume r = resampleNearest(labels, t);
    for (std::uint16_t value : r.voxels()) QVERIFY(value == 3 || value == 7 || value == 0);
  }
  // Every source voxel carries its own label, so a shift or a transposition shows. Target: half the
  // spacing, origin 0.3 voxel into the source, so source index = 0.3 + target index / 2 (never a tie).
  void nearestNeighbourPicksTheHandComputedVoxel() {
    const Geometry g = source();
    LabelVolume labels(g);
    auto label = [&](std::size_t i, std::size_t j, std::size_t k) {
      return std::uint16_t(1 + i + g.size[0] * (j + g.size[1] * k));
    };
    for (std::size_t k = 0; k < g.size[2]; ++k)
      for (std::size_t j = 0; j < g.size[1]; ++j)
        for (std::size_t i = 0; i < g.size[0]; ++i) labels.at(i, j, k) = label(i, j, k);
    Geometry t;
    t.size = {8, 6, 5};
    t.spacing = {0.5, 0.6, 0.75};
    t.origin = {-10 + 0.3 * 1.0, -8 + 0.3 * 1.2, -9 + 0.3 * 1.5};
    const LabelVolume r = resampleNearest(labels, t);
    // By hand: i' = 0, 1, 2, 3 -> source 0.3, 0.8, 1.3, 1.8 -> 0, 1, 1, 2.
    QCOMPARE(r.at(0, 0, 0), label(0, 0, 0));
    QCOMPARE(r.at(1, 0, 0), label(1, 0, 0));
    QCOMPARE(r.at(2, 0, 0), label(1, 0, 0));
    QCOMPARE(r.at(3, 1, 2), label(2, 1, 1));
    QCOMPARE(r.at(7, 5, 4), label(4, 3, 2));  // 0.3 + 3.5 = 3.8, 0.3 + 2.5 = 2.8, 0.3 + 2 = 2.3
    for (std::size_t k = 0; k < t.size[2]; ++k)
      for (std::size_t j = 0; j < t.size[1]; ++j)
        for (std::size_t i = 0; i < t.size[0]; ++i)
          QCOMPARE(r.at(i, j, k), label(std::size_t(std::lround(0.3 + 0.5 * double(i))),
                                        std::size_t(std::lround(0.3 + 0.5 * double(j))),
                                        std::size_t(std::lround(0.3 + 0.5 * double(k)))));
  }
  // A target whose i axis runs against the source's (x decreasing) and whose j and k axes are swapped.
  void nearestNeighbourFollowsFlippedAndSwappedAxes() {
    const Geometry g = source();
    LabelVolume labels(g);
    for (std::size_t k = 0; k < g.size[2]; ++k)
      for (std::size_t j = 0; j < g.size[1]; ++j)
        for (std::size_t i = 0; i < g.size[0]; ++i) labels.at(i, j, k) = std::uint16_t(1 + i + 24 * (j + 20 * k));
    Geometry t;
    t.size = {24, 16, 20};  // i' <- 23 - i, j' <- k, k' <- j
    t.spacing = {1.0, 1.5, 1.2};
    t.origin = {-10 + 23.0, -8, -9};             // the source's last voxel along x
    t.direction = {-1, 0, 0, 0, 0, 1, 0, 1, 0};  // columns: i' = -x, j' = +z, k' = +y
    const LabelVolume r = resampleNearest(labels, t);
    QCOMPARE(r.at(0, 0, 0), std::uint16_t(1 + 23));
    QCOMPARE(r.at(23, 0, 0), std::uint16_t(1 + 0));
    QCOMPARE(r.at(3, 5, 7), std::uint16_t(1 + 20 + 24 * (7 + 20 * 5)));
    // One voxel beyond the source along j' (z = -9 + 16 * 1.5) is outside: it gets the outside value.
    Geometry beyond = t;
    beyond.size = {24, 17, 20};
    QCOMPARE(resampleNearest(labels, beyond, 9999).at(0, 16, 0), std::uint16_t(9999));
  }
  void cancellationStopsResampling() {
    const Volume v = linearVolume(source());
    CancellationToken token;
    token.cancel();
    QVERIFY_THROWS_EXCEPTION(OperationCancelled, resampleLinear(v, source(), 0.0f, TaskControl(nullptr, &token)));
  }
};

QTEST_APPLESS_MAIN(TestResampler)
#include "test_resampler.moc"
