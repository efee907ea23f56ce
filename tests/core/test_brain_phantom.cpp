// The realistic demo generator (synthetic/BrainLesionPhantom.h) on a drawn anatomy: a 1 mm
// ellipsoid brain with a grey-matter shell, white matter inside and two CSF ventricles. The real
// anatomy (mricron-data's ch2bet) is exercised by the CLI test cli_brain_phantom.
#include <QtTest>

#include <cmath>
#include <set>

#include "synthetic/BrainLesionPhantom.h"
#include "synthetic/TissueClasses.h"

using namespace voxplain;

namespace {

constexpr float kCsf = 35, kGrey = 84, kWhite = 112;

double ellipsoid(const Vec3& p, const Vec3& c, const Vec3& r) {
  double s = 0;
  for (int d = 0; d < 3; ++d) s += ((p[d] - c[d]) / r[d]) * ((p[d] - c[d]) / r[d]);
  return std::sqrt(s);
}

Volume drawnAnatomy() {
  Geometry g;
  g.size = {110, 130, 110};
  g.origin = {-54.5, -64.5, -54.5};  // brain centred on (0, 0, 0)
  Volume v(g);
  for (std::size_t k = 0; k < g.size[2]; ++k)
    for (std::size_t j = 0; j < g.size[1]; ++j)
      for (std::size_t i = 0; i < g.size[0]; ++i) {
        const Vec3 p = g.indexToPhysical({double(i), double(j), double(k)});
        float value = 0;
        if (ellipsoid(p, {0, 0, 0}, {50, 60, 50}) < 1) value = kGrey;
        if (ellipsoid(p, {0, 0, 0}, {44, 54, 44}) < 1) value = kWhite;
        if (ellipsoid(p, {-10, 0, 5}, {6, 18, 8}) < 1 || ellipsoid(p, {10, 0, 5}, {6, 18, 8}) < 1) value = kCsf;
        v.at(i, j, k) = value;
      }
  return v;
}

const Volume& anatomy() {
  static const Volume a = drawnAnatomy();
  return a;
}

BrainPhantomOptions smallOptions(std::uint64_t seed = 3) {
  BrainPhantomOptions o;
  o.size = {56, 64, 56};
  o.seed = seed;
  o.minDistractors = o.maxDistractors = 3;
  return o;
}

double meanWhere(const Volume& v, const LabelVolume& labels, BrainLabel label) {
  double sum = 0, n = 0;
  for (std::size_t i = 0; i < v.voxelCount(); ++i)
    if (labels.voxels()[i] == std::uint16_t(label)) sum += v.voxels()[i], ++n;
  return n > 0 ? sum / n : 0;
}

}  // namespace

class TestBrainPhantom : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void tissueMeansFindTheThreeIntensities() {
    const TissueMeans m = tissueMeans(anatomy());
    QVERIFY(std::abs(m.csf - kCsf) < 1);
    QVERIFY(std::abs(m.greyMatter - kGrey) < 1);
    QVERIFY(std::abs(m.whiteMatter - kWhite) < 1);
    QCOMPARE(m.nearest(50), Tissue::Csf);
    QCOMPARE(m.nearest(100), Tissue::WhiteMatter);
  }
  void sameSeedGivesTheSameCaseAndAnotherSeedAnother() {
    const BrainLesionPhantom a = makeBrainLesionPhantom(anatomy(), smallOptions());
    const BrainLesionPhantom b = makeBrainLesionPhantom(anatomy(), smallOptions());
    QCOMPARE(a.flair.voxels(), b.flair.voxels());
    QCOMPARE(a.labels.voxels(), b.labels.voxels());
    QVERIFY(makeBrainLesionPhantom(anatomy(), smallOptions(4)).flair.voxels() != a.flair.voxels());
  }
  void theGridHasTheOptionsSpacingAndIsCentredOnTheBrain() {
    const BrainLesionPhantom p = makeBrainLesionPhantom(anatomy(), smallOptions());
    const Geometry& g = p.flair.geometry();
    QCOMPARE(g.size, (Size3{56, 64, 56}));
    QCOMPARE(g.spacing, (Vec3{2, 2, 2}));
    const Vec3 centre = g.indexToPhysical({27.5, 31.5, 27.5});
    for (int d = 0; d < 3; ++d) QVERIFY2(std::abs(centre[d]) < 1.0, qPrintable(QString::number(centre[d])));
    QCOMPARE(p.labels.geometry().origin, g.origin);
    QCOMPARE(p.t1.geometry().origin, g.origin);
  }
  void everyClassIsPresentAndTheVentriclesAreTheCsf() {
    const BrainLesionPhantom p = makeBrainLesionPhantom(anatomy(), smallOptions());
    std::set<std::uint16_t> values(p.labels.voxels().begin(), p.labels.voxels().end());
    QCOMPARE(values, (std::set<std::uint16_t>{0, 1, 2, 3, 4}));
    // Two ventricles of about 2 x 3.6 cm^3 in the drawing, deformed by a few per cent.
    std::size_t ventricleVoxels = 0;
    for (std::uint16_t v : p.labels.voxels()) ventricleVoxels += v == std::uint16_t(BrainLabel::Ventricles);
    const double mm3 = double(ventricleVoxels) * 8.0, drawn = 2 * 4.0 / 3.0 * M_PI * 6 * 18 * 8;
    QVERIFY2(mm3 > 0.6 * drawn && mm3 < 1.4 * drawn, qPrintable(QString("%1 vs %2 mm3").arg(mm3).arg(drawn)));
    // Dark in T1 and in FLAIR: below grey matter's mean in both.
    QVERIFY(meanWhere(p.t1, p.labels, BrainLabel::Ventricles) <
            0.6 * meanWhere(p.t1, p.labels, BrainLabel::GreyMatter));
    QVERIFY(meanWhere(p.flair, p.labels, BrainLabel::Ventricles) <
            0.4 * meanWhere(p.flair, p.labels, BrainLabel::GreyMatter));
  }
  void lesionsAreBrightInFlairAndDarkInT1AgainstWhiteMatter() {
    const BrainLesionPhantom p = makeBrainLesionPhantom(anatomy(), smallOptions());
    const double wmFlair = meanWhere(p.flair, p.labels, BrainLabel::WhiteMatter);
    const double wmT1 = meanWhere(p.t1, p.labels, BrainLabel::WhiteMatter);
    QVERIFY(meanWhere(p.flair, p.labels, BrainLabel::Lesion) > 1.4 * wmFlair);
    QVERIFY(meanWhere(p.t1, p.labels, BrainLabel::Lesion) < 0.9 * wmT1);
    // Grey matter is brighter than white matter in FLAIR, darker in T1 (the contrast of each sequence).
    QVERIFY(meanWhere(p.flair, p.labels, BrainLabel::GreyMatter) > wmFlair);
    QVERIFY(meanWhere(p.t1, p.labels, BrainLabel::GreyMatter) < wmT1);
  }
  void distractorsAreFlairBrightButNotLesions() {
    const BrainLesionPhantom p = makeBrainLesionPhantom(anatomy(), smallOptions());
    QCOMPARE(p.distractorCount, 3);
    const double wmFlair = meanWhere(p.flair, p.labels, BrainLabel::WhiteMatter);
    std::size_t brightNotLesion = 0;
    for (std::size_t i = 0; i < p.flair.voxelCount(); ++i)
      brightNotLesion +=
          p.flair.voxels()[i] > 1.6 * wmFlair && p.labels.voxels()[i] != std::uint16_t(BrainLabel::Lesion);
    QVERIFY2(brightNotLesion >= 10, qPrintable(QString::number(brightNotLesion)));
  }
  void lesionInstancesAreTheConnectedLesions() {
    const BrainLesionPhantom p = makeBrainLesionPhantom(anatomy(), smallOptions());
    std::set<std::uint16_t> ids(p.lesionInstances.voxels().begin(), p.lesionInstances.voxels().end());
    ids.erase(0);
    QCOMPARE(int(ids.size()), p.lesionCount);
    QVERIFY(p.lesionCount >= 1 && p.lesionCount <= 9);
    for (std::size_t i = 0; i < p.labels.voxelCount(); ++i) {
      const bool lesion = p.labels.voxels()[i] == std::uint16_t(BrainLabel::Lesion);
      QCOMPARE(p.lesions.voxels()[i] != 0, lesion);
      QCOMPARE(p.lesionInstances.voxels()[i] != 0, lesion);
    }
  }
  void outsideTheBrainIsZero() {
    const BrainLesionPhantom p = makeBrainLesionPhantom(anatomy(), smallOptions());
    QCOMPARE(p.flair.at(0, 0, 0), 0.0f);
    QCOMPARE(p.t1.at(55, 63, 55), 0.0f);
    QCOMPARE(p.labels.at(0, 0, 0), std::uint16_t(0));
  }
  void badAnatomyAndOptionsAreRefused() {
    Geometry g;
    g.size = {20, 20, 20};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeBrainLesionPhantom(Volume(g), smallOptions()));
    BrainPhantomOptions o = smallOptions();
    o.size = {8, 64, 56};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeBrainLesionPhantom(anatomy(), o));
    o = smallOptions();
    o.maxLesions = o.minLesions - 1;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeBrainLesionPhantom(anatomy(), o));
  }
};

QTEST_APPLESS_MAIN(TestBrainPhantom)
#include "test_brain_phantom.moc"
