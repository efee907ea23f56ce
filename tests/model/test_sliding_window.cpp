// Sliding-window inference: patch placement, the Gaussian importance map, blending on models whose
// output is known, equality with whole-volume inference when one patch covers the volume, cancel.
#include <QtTest>

#include <cmath>

#include "model/ModelPackage.h"
#include "model/SlidingWindow.h"

using namespace voxplain;

class TestSlidingWindow : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void patchStartsCoverTheAxisAndEndAtTheBorder() {
    QCOMPARE(patchStarts(100, 48, 0.25), (std::vector<std::int64_t>{0, 36, 52}));
    QCOMPARE(patchStarts(48, 48, 0.5), (std::vector<std::int64_t>{0}));
    QCOMPARE(patchStarts(10, 4, 0.0), (std::vector<std::int64_t>{0, 4, 6}));
  }
  void gaussianImportanceFollowsItsFormula() {
    const torch::Tensor m = importanceMap({9, 9, 9}, SlidingWindowOptions{});
    QVERIFY(std::abs(m[4][4][4].item<double>() - 1.0) < 1e-6);
    const double sigma = 0.125 * 9, d = 4.0;
    const double expected = std::exp(-(d * d) / (2 * sigma * sigma));
    QVERIFY(std::abs(m[0][4][4].item<double>() - std::max(expected, m.min().item<double>())) < 1e-6);
    QVERIFY(m.min().item<double>() > 0.0);
  }
  // nnU-Net's step rule: its own example (110 voxels, patch 64, tile step 0.5: starts 0, 23, 46) and

  void nnunetPatchStartsFollowItsStepRule() {
    QCOMPARE(nnunetPatchStarts(110, 64, 0.5), (std::vector<std::int64_t>{0, 23, 46}));
    QCOMPARE(nnunetPatchStarts(64, 64, 0.5), (std::vector<std::int64_t>{0}));
    QCOMPARE(nnunetPatchStarts(29, 8, 0.5), (std::vector<std::int64_t>{0, 4, 7, 10, 14, 18, 21}));
  }
  // nnU-Net's Gaussian: centred on patch / 2 (integer), sigma = patch / 8, cut at int(4 sigma + 0.5).
  void nnunetGaussianIsCentredOnTheIntegerMiddleAndTruncated() {
    SlidingWindowOptions o;
    o.nnunet = true;
    const torch::Tensor m = importanceMap({8, 9, 64}, o);
    QCOMPARE(m.max().item<double>(), 1.0);
    QCOMPARE(m[4][4][32].item<double>(), 1.0);  // 8 / 2, 9 / 2, 64 / 2
    const double s = 1.0, d = 3.0;              // sigma of 8 voxels; voxel 1 is 3 from the centre
    QVERIFY(std::abs(m[1][4][32].item<double>() - std::exp(-d * d / (2 * s * s))) < 1e-6);
    // 64 voxels: sigma 8, radius 32; voxel 0 lies 32 from the centre (kept), no voxel beyond it.
    QVERIFY(std::abs(m[4][4][0].item<double>() - std::exp(-32.0 * 32.0 / (2 * 64.0))) < 1e-6);
  }
  void blendingReproducesAPointwiseModelExactly() {
    // Output = 2x + 1, independent of the patch: any blend of identical values is that value.
    const torch::Tensor input = torch::randn({1, 2, 37, 29, 23});
    SlidingWindowOptions o;
    o.patch = {16, 16, 16};
    o.overlap = 0.5;
    o.setBatch(3);
    const torch::Tensor out = slidingWindow(
        input, [](const torch::Tensor& b) { return b * 2 + 1; }, o);
    QVERIFY((out - (input * 2 + 1)).abs().max().item<double>() < 1e-5);
  }
  void blendingWeighsPatchesByTheGaussian() {
    // Output = the patch's own index (constant per patch): the blend at a voxel is the
    // importance-weighted mean of the indices of the patches covering it.
    const torch::Tensor input = torch::zeros({1, 1, 12, 1, 1});
    SlidingWindowOptions o;
    o.patch = {8, 1, 1};
    o.overlap = 0.5;  // starts 0, 4
    int call = 0;
    const torch::Tensor out = slidingWindow(
        input, [&](const torch::Tensor& b) { return torch::full_like(b, double(call++)); }, o);
    const torch::Tensor w = importanceMap({8, 1, 1}, SlidingWindowOptions{}).flatten();
    for (int x = 4; x < 8; ++x) {  // covered by patch 0 (offset x) and patch 1 (offset x - 4)
      const double expected =
          (0.0 * w[x].item<double>() + 1.0 * w[x - 4].item<double>()) / (w[x].item<double>() + w[x - 4].item<double>());
      QVERIFY(std::abs(out[0][0][x][0][0].item<double>() - expected) < 1e-6);
    }
    QCOMPARE(out[0][0][0][0][0].item<double>(), 0.0);
    QCOMPARE(out[0][0][11][0][0].item<double>(), 1.0);
  }
  void onePatchEqualsWholeVolumeInference() {
    ModelPackage pkg = ModelPackage::open(VOXPLAIN_DEMO_MODEL);
    const torch::Tensor input = torch::randn({1, 2, 48, 48, 48});
    torch::NoGradGuard noGrad;
    const torch::Tensor whole = forwardLogits(pkg.module(), pkg.manifest(), input);
    SlidingWindowOptions o;
    o.patch = {48, 48, 48};
    const torch::Tensor windowed = slidingWindow(
        input, [&](const torch::Tensor& b) { return forwardLogits(pkg.module(), pkg.manifest(), b); }, o);
    QVERIFY((whole - windowed).abs().max().item<double>() <= 1e-5);
  }
  void smallVolumeIsPaddedAndCroppedBack() {
    const torch::Tensor input = torch::randn({1, 1, 10, 20, 5});
    SlidingWindowOptions o;
    o.patch = {16, 16, 16};
    const torch::Tensor out = slidingWindow(
        input, [](const torch::Tensor& b) { return b - 3; }, o);
    QCOMPARE(out.sizes().vec(), input.sizes().vec());
    QVERIFY((out - (input - 3)).abs().max().item<double>() < 1e-5);
  }
  void cancellationStopsBetweenBatches() {
    CancellationToken token;
    int batches = 0;
    SlidingWindowOptions o;
    o.patch = {4, 4, 4};
    QVERIFY_THROWS_EXCEPTION(OperationCancelled, slidingWindow(
                                                     torch::zeros({1, 1, 32, 32, 32}),
                                                     [&](const torch::Tensor& b) {
                                                       if (++batches == 3) token.cancel();
                                                       return b;
                                                     },
                                                     o, TaskControl(nullptr, &token)));
    QCOMPARE(batches, 3);
  }
};

QTEST_APPLESS_MAIN(TestSlidingWindow)
#include "test_sliding_window.moc"
