// Resampling: identity, exactness on linear fields, labels never blended, cancellation.
#include <QtTest>

#include <cmath>

#include "volume/Resampler.h"

using namespace voxplain;

namespace {
double field(const Vec3& p) { return 2.0 * p[0] - 0.5 * p[1] + 0.25 * p[2] + 10.0; }

Volume linearVolume(const Geometry& g) {
  Volume v(g);
  for (std::size_t k = 0; k < g.size[2]; ++k)
    for (std::size_t j = 0; j < g.size[1]; ++j)
      for (std::size_t i = 0; i < g.size[0]; ++i) v.at(i, j, k) = float(field(g.indexToPhysical({double(i), double(j), double(k)})));
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
          QVERIFY2(std::abs(r.at(i, j, k) - expected) < 1e-3, qPrintable(QString("voxel %1 %2 %3").arg(i).arg(j).arg(k)));
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
  void cancellationStopsResampling() {
    const Volume v = linearVolume(source());
    CancellationToken token;
    token.cancel();
    QVERIFY_THROWS_EXCEPTION(OperationCancelled, resampleLinear(v, source(), 0.0f, TaskControl(nullptr, &token)));
  }
};

QTEST_APPLESS_MAIN(TestResampler)
#include "test_resampler.moc"
