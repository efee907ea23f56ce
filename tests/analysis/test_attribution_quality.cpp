// Each term of seed paper 000's attribution quality AQ = PP / RE + RFA (1 + EPA)
// (analysis/AttributionQuality.h) against hand-computed values; RE against Qt's own zlib wrapper.
#include <QtTest>

#include <cmath>

#include "analysis/AttributionQuality.h"

using namespace voxplain;

namespace {

Geometry grid(std::size_t x, std::size_t y, std::size_t z) {
  Geometry g;
  g.size = {x, y, z};
  return g;
}

template <typename T>
void box(Image<T>& v, std::array<std::size_t, 3> lo, std::array<std::size_t, 3> hi, T value) {
  for (std::size_t k = lo[2]; k <= hi[2]; ++k)
    for (std::size_t j = lo[1]; j <= hi[1]; ++j)
      for (std::size_t i = lo[0]; i <= hi[0]; ++i) v.at(i, j, k) = value;
}

// zlib's ratio as Qt computes it: qCompress prepends a 4-byte length to zlib's stream.
double qtDeflateRatio(const std::vector<Volume>& channels) {
  QByteArray raw;
  for (const Volume& v : channels)
    raw.append(reinterpret_cast<const char*>(v.data()), qsizetype(v.voxelCount() * sizeof(float)));
  return double(qCompress(raw, -1).size() - 4) / double(raw.size());
}

constexpr auto Bg = std::uint16_t(QualityRegion::Background);
constexpr auto Fg = std::uint16_t(QualityRegion::Foreground);
constexpr auto Deciding = std::uint16_t(QualityRegion::DecidingBackground);
constexpr auto Lure = std::uint16_t(QualityRegion::Lure);

}  // namespace

class TestAttributionQuality : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  // max(A, 0) over the largest value of all maps: modalities keep their relative weight.
  void unitMaskKeepsPositiveEvidenceOverTheGlobalMaximum() {
    Volume a(grid(4, 1, 1)), b(grid(4, 1, 1));
    a.voxels() = {-2.0f, 0.0f, 1.0f, 4.0f};
    b.voxels() = {2.0f, 8.0f, -1.0f, 0.0f};
    const std::vector<Volume> u = unitAttributionMask({a, b});
    QCOMPARE(u[0].voxels(), (std::vector<float>{0.0f, 0.0f, 0.125f, 0.5f}));
    QCOMPARE(u[1].voxels(), (std::vector<float>{0.25f, 1.0f, 0.0f, 0.0f}));
    QCOMPARE(combinedUnitMask(u).voxels(), (std::vector<float>{0.25f, 1.0f, 0.125f, 0.5f}));
    Volume negative(grid(4, 1, 1), -1.0f);
    QCOMPARE(unitAttributionMask({negative})[0].voxels(), std::vector<float>(4, 0.0f));
  }
  // PP = |B and B'| / |B| over the target label.
  void predictionPreservedCountsTheKeptVoxels() {
    LabelVolume baseline(grid(10, 2, 1)), masked(grid(10, 2, 1));
    box<std::uint16_t>(baseline, {0, 0, 0}, {3, 1, 0}, 1);  // 8 voxels
    box<std::uint16_t>(masked, {2, 0, 0}, {7, 1, 0}, 1);    // keeps 4 of them, adds 8 more
    QCOMPARE(predictionPreserved(baseline, masked, 1), 0.5);
    box<std::uint16_t>(baseline, {9, 0, 0}, {9, 1, 0}, 2);  // other labels do not count
    QCOMPARE(predictionPreserved(baseline, masked, 1), 0.5);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, predictionPreserved(baseline, masked, 3));
  }
  // RE = ratio(x * M) / ratio(x): 1 for M = 1, the zero image's ratio over x's for M = 0, below 1
  // for a mask that blanks half of a noisy image.
  void relativeEntropyIsTheRatioOfDeflateRatios() {
    Volume x(grid(32, 32, 8));
    std::uint32_t state = 12345;
    for (float& v : x.voxels()) {
      state = state * 1664525u + 1013904223u;
      v = float(state >> 8) / 65536.0f;
    }
    QCOMPARE(compressionRatio({x}), qtDeflateRatio({x}));
    QCOMPARE(relativeEntropy({x}, {Volume(x.geometry(), 1.0f)}), 1.0);
    const Volume zeros(x.geometry(), 0.0f);
    QCOMPARE(relativeEntropy({x}, {zeros}), qtDeflateRatio({zeros}) / qtDeflateRatio({x}));
    Volume half(x.geometry(), 0.0f);
    box<float>(half, {0, 0, 0}, {31, 15, 7}, 1.0f);
    const double re = relativeEntropy({x}, {half});
    QVERIFY2(re > 0.4 && re < 0.7, qPrintable(QString::number(re)));
    QCOMPARE(maskedChannels({x}, {half})[0].at(3, 20, 2), 0.0f);
    QCOMPARE(maskedChannels({x}, {half})[0].at(3, 10, 2), x.at(3, 10, 2));
  }
  // RFA = mean over the foreground - mean over the background; lures and deciding background
  // count in neither.
  void relativeForegroundAttributionIgnoresLures() {
    Volume m(grid(10, 10, 10), 0.1f);
    LabelVolume regions(m.geometry());
    box<std::uint16_t>(regions, {0, 0, 0}, {1, 1, 0}, Fg);  // 4 voxels at 1.0
    box<float>(m, {0, 0, 0}, {1, 1, 0}, 1.0f);
    box<std::uint16_t>(regions, {5, 5, 5}, {6, 6, 6}, Lure);  // 8 voxels at 0.9: not background
    box<float>(m, {5, 5, 5}, {6, 6, 6}, 0.9f);
    const PeakLocalisation loc = peakLocalisation(m, regions);
    QCOMPARE(float(loc.relativeForegroundAttribution), 0.9f);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, peakLocalisation(m, LabelVolume(m.geometry())));
  }
  // Four peaks outside the foreground (1 mm voxels, the 99th percentile of M is 0): A covers a
  // deciding blob (hit), B none (missed), C is 27 mm^3 (< 100: ignored), D touches the end of a
  // deciding rod whose centre is 12.5 mm away (undecided). The foreground's own peak never counts.
  // EPA = 1 / (1 + 1).
  void externalPeaksHitMissOrAreUndecided() {
    Volume m(grid(64, 32, 32), 0.0f);
    LabelVolume regions(m.geometry());
    box<std::uint16_t>(regions, {20, 20, 5}, {22, 22, 7}, Fg);
    box<float>(m, {20, 20, 5}, {22, 22, 7}, 1.0f);
    box<float>(m, {5, 5, 5}, {9, 9, 9}, 1.0f);  // A
    box<std::uint16_t>(regions, {5, 5, 5}, {9, 9, 9}, Deciding);
    box<float>(m, {5, 20, 20}, {9, 24, 24}, 1.0f);                      // B
    box<float>(m, {20, 5, 20}, {22, 7, 22}, 1.0f);                      // C
    box<std::uint16_t>(regions, {30, 20, 20}, {59, 22, 22}, Deciding);  // rod, centre x = 44.5
    box<float>(m, {55, 19, 19}, {59, 23, 23}, 1.0f);                    // D, centre x = 57
    const PeakLocalisation loc = peakLocalisation(m, regions);
    QCOMPARE(loc.peaksHit, 1);
    QCOMPARE(loc.peaksMissed, 1);
    QCOMPARE(loc.peaksTooSmall, 1);
    QCOMPARE(loc.peaksUndecided, 1);
    QCOMPARE(loc.externalPeakAttribution, 0.5);
    PeakOptions far;
    far.maxCentroidMm = 13.0;  // D's centres are 12.5 mm apart; its share 45 / 125 > 0.25: a hit
    QCOMPARE(peakLocalisation(m, regions, far).peaksHit, 2);
    QCOMPARE(peakLocalisation(m, regions, far).externalPeakAttribution, 2.0 / 3.0);
  }
  // A peak holding three small deciding blobs whole is a hit although they fill 2.4 % of it.
  void aPeakCoveringThreeDecidingComponentsIsAHit() {
    Volume m(grid(128, 32, 32), 0.0f);  // the peak's 1000 voxels stay under 1 % of the volume
    LabelVolume regions(m.geometry());
    box<std::uint16_t>(regions, {50, 2, 2}, {52, 4, 4}, Fg);
    box<float>(m, {10, 10, 10}, {19, 19, 19}, 1.0f);  // 1000 voxels, centre 14.5
    box<std::uint16_t>(regions, {12, 14, 14}, {13, 15, 15}, Deciding);
    box<std::uint16_t>(regions, {15, 14, 14}, {16, 15, 15}, Deciding);
    box<std::uint16_t>(regions, {14, 11, 11}, {15, 12, 12}, Deciding);
    const PeakLocalisation loc = peakLocalisation(m, regions);
    QCOMPARE(loc.peaksHit, 1);
    QCOMPARE(loc.externalPeakAttribution, 1.0);
    PeakOptions four;
    four.strongComponents = 4;  // and the median coverage (1.0) still makes it a hit
    QCOMPARE(peakLocalisation(m, regions, four).peaksHit, 1);
    four.medianComponentCoverage = 1.0;  // now no rule holds
    QCOMPARE(peakLocalisation(m, regions, four).peaksUndecided, 1);
    QCOMPARE(peakLocalisation(m, regions, four).externalPeakAttribution, 0.0);
  }
  void scoreCombinesTheTerms() {
    QCOMPARE(attributionQualityScore(0.8, 0.5, 0.6, 0.5), 0.8 / 0.5 + 0.6 * 1.5);
    QCOMPARE(attributionQualityScore(1.0, 1.0, 0.0, 0.0), 1.0);
  }
  void gridMismatchesAreRefused() {
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             unitAttributionMask({Volume(grid(2, 2, 2)), Volume(grid(3, 2, 2))}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, maskedChannels({Volume(grid(2, 2, 2))}, {}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, compressionRatio({}));
  }
};

QTEST_APPLESS_MAIN(TestAttributionQuality)
#include "test_attribution_quality.moc"
