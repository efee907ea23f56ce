// The synthetic lesion phantom: deterministic, labelled, and needing both modalities.
#include <QtTest>

#include <set>

#include "synthetic/LesionPhantom.h"
#include "task/InputError.h"

using namespace voxplain;

class TestLesionPhantom : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void sameSeedGivesIdenticalVolumes() {
    LesionPhantomOptions o;
    o.size = {32, 32, 24};
    const LesionPhantom a = makeLesionPhantom(o), b = makeLesionPhantom(o);
    QCOMPARE(a.flair.voxels(), b.flair.voxels());
    QCOMPARE(a.lesions.voxels(), b.lesions.voxels());
  }
  void differentSeedsGiveDifferentVolumes() {
    LesionPhantomOptions o;
    o.size = {32, 32, 24};
    const LesionPhantom a = makeLesionPhantom(o);
    o.seed = 2;
    QVERIFY(a.flair.voxels() != makeLesionPhantom(o).flair.voxels());
  }
  void everyRequestedLesionIsLabelledAsAnInstance() {
    LesionPhantomOptions o;
    const LesionPhantom p = makeLesionPhantom(o);
    std::set<std::uint16_t> ids(p.lesionInstances.voxels().begin(), p.lesionInstances.voxels().end());
    ids.erase(0);
    QCOMPARE(int(ids.size()), o.lesions);
  }
  void lesionsAreBrightInFlairAndDarkInT1() {
    const LesionPhantom p = makeLesionPhantom({});
    double flairIn = 0, t1In = 0, n = 0;
    for (std::size_t i = 0; i < p.lesions.voxelCount(); ++i)
      if (p.lesions.data()[i]) {
        flairIn += p.flair.data()[i];
        t1In += p.t1.data()[i];
        ++n;
      }
    QVERIFY(n > 0);
    QVERIFY(flairIn / n > 800.0);
    QVERIFY(t1In / n < 450.0);
  }
  void distractorsAreBrightInFlairButNotLabelled() {
    const LesionPhantom p = makeLesionPhantom({});
    std::size_t brightUnlabelled = 0;
    for (std::size_t i = 0; i < p.lesions.voxelCount(); ++i)
      if (!p.lesions.data()[i] && p.flair.data()[i] > 850.0f && p.t1.data()[i] > 600.0f) ++brightUnlabelled;
    QVERIFY(brightUnlabelled > 20);
  }
  // The distractor mask marks the single-modality blobs: never a lesion, and one of its two
  // channels looks like a lesion while the other looks like tissue.
  void distractorMaskMarksTheSingleModalityBlobs() {
    const LesionPhantom p = makeLesionPhantom({});
    std::size_t inside = 0, flairBright = 0, t1Dark = 0;
    for (std::size_t i = 0; i < p.distractors.voxelCount(); ++i) {
      if (!p.distractors.data()[i]) continue;
      QVERIFY(!p.lesions.data()[i]);
      ++inside;
      // White matter: FLAIR 450, T1 800 (noise sd about 18); a blob's rim (half signal) still
      // reaches FLAIR 700 or T1 550.
      const bool bright = p.flair.data()[i] > 575.0f, dark = p.t1.data()[i] < 675.0f;
      QVERIFY(bright != dark);
      flairBright += bright;
      t1Dark += dark;
    }
    QVERIFY(flairBright > 20);
    QVERIFY(t1Dark > 20);
    QCOMPARE(flairBright + t1Dark, inside);
  }
  // With one informative modality, the lesions show only there, the other modality shows only
  // distractors, and only the informative modality's mask decides.
  void oneInformativeModalityCarriesTheLesionsAlone() {
    for (const InformativeModality which : {InformativeModality::Flair, InformativeModality::T1}) {
      LesionPhantomOptions o;
      o.informative = which;
      const LesionPhantom p = makeLesionPhantom(o);
      const bool flairInformative = which == InformativeModality::Flair;
      const Volume& informative = flairInformative ? p.flair : p.t1;
      const Volume& other = flairInformative ? p.t1 : p.flair;
      const LabelVolume& deciding = flairInformative ? p.decidingFlair : p.decidingT1;
      const LabelVolume& notDeciding = flairInformative ? p.decidingT1 : p.decidingFlair;
      // Means over the voxels (a lesion's rim may touch a ventricle): the lesion signature is FLAIR
      // above 800 or T1 below 450; normal white matter is FLAIR 450, T1 800.
      const auto signal = [&](const Volume& v, double mean) { return &v == &p.flair ? mean > 800.0 : mean < 450.0; };
      const auto normal = [&](const Volume& v, double mean) { return &v == &p.flair ? mean < 550.0 : mean > 650.0; };
      double lesionInformative = 0, lesionOther = 0, distractorInformative = 0, distractorOther = 0;
      std::size_t lesionVoxels = 0, distractorVoxels = 0;
      for (std::size_t i = 0; i < p.lesions.voxelCount(); ++i) {
        QVERIFY(!notDeciding.data()[i]);
        QCOMPARE(bool(deciding.data()[i]), bool(p.lesions.data()[i]));
        if (p.lesions.data()[i]) {
          ++lesionVoxels;
          lesionInformative += informative.data()[i];
          lesionOther += other.data()[i];
        }
        if (p.distractors.data()[i]) {
          ++distractorVoxels;
          distractorInformative += informative.data()[i];
          distractorOther += other.data()[i];
        }
      }
      QVERIFY(signal(informative, lesionInformative / double(lesionVoxels)));
      QVERIFY(normal(other, lesionOther / double(lesionVoxels)));
      QVERIFY(normal(informative, distractorInformative / double(distractorVoxels)));
      QVERIFY(signal(other, distractorOther / double(distractorVoxels)));
      QVERIFY(lesionVoxels > 100);
      QVERIFY(distractorVoxels > 100);
    }
  }
  void decidingMasksLieInsideLesions() {
    const LesionPhantom p = makeLesionPhantom({});
    for (std::size_t i = 0; i < p.lesions.voxelCount(); ++i) {
      if (p.decidingFlair.data()[i]) QVERIFY(p.lesions.data()[i]);
      if (p.decidingT1.data()[i]) QVERIFY(p.lesions.data()[i]);
    }
  }
  void informativeModalityNamesRoundTrip() {
    for (InformativeModality m : {InformativeModality::Both, InformativeModality::Flair, InformativeModality::T1})
      QVERIFY(informativeModalityFromName(informativeModalityName(m)) == m);
    QCOMPARE(informativeModalityName(InformativeModality::T1), "t1");
    QCOMPARE(informativeModalityNames(), (std::vector<std::string>{"both", "flair", "t1"}));
    QVERIFY_THROWS_EXCEPTION(InputError, informativeModalityFromName("FLAIR"));
  }
  void tooSmallSizeIsRejected() {
    LesionPhantomOptions o;
    o.size = {8, 64, 64};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeLesionPhantom(o));
  }
};

QTEST_APPLESS_MAIN(TestLesionPhantom)
#include "test_lesion_phantom.moc"
