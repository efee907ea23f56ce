// Prediction on studies: the demo model segments held-out phantoms (Dice >= 0.8), the label map
// sits on the study grid (a NIfTI round trip keeps the affine), pre-processing follows the
// manifest, and a running prediction stops at the next batch after a cancel.
#include <QtTest>

#include <chrono>
#include <filesystem>
#include <thread>

#include "io/NiftiIO.h"
#include "model/NnunetResample.h"
#include "model/Preprocessing.h"
#include "model/SegmentationRunner.h"
#include "synthetic/LesionPhantom.h"
#include "task/InputError.h"

#include <torch/cuda.h>

using namespace voxplain;
namespace fs = std::filesystem;

namespace {
Study phantomStudy(const LesionPhantom& p) {
  Study s;
  s.addModality("FLAIR", "phantom", p.flair);
  s.addModality("T1", "phantom", p.t1);
  return s;
}
double dice(const LabelVolume& a, const LabelVolume& b) {
  double both = 0, sum = 0;
  for (std::size_t i = 0; i < a.voxelCount(); ++i) {
    both += (a.data()[i] == 1) && (b.data()[i] == 1);
    sum += (a.data()[i] == 1) + (b.data()[i] == 1);
  }
  return sum == 0 ? 1.0 : 2 * both / sum;
}
}  // namespace

// Counts the patch reports of a prediction, and those made after its token was cancelled.
class PatchCounter : public ProgressSink {
 public:
  explicit PatchCounter(const CancellationToken& token) : token_(token) {}
  void report(double fraction, const std::string& stage) override {
    if (stage.rfind("patch ", 0) != 0) return;
    ++patches_;
    if (token_.isCancelled()) ++afterCancel_;
    last_ = fraction;
  }
  int patches() const { return patches_; }
  int patchesAfterCancel() const { return afterCancel_; }
  double lastFraction() const { return last_; }

 private:
  const CancellationToken& token_;
  std::atomic<int> patches_{0}, afterCancel_{0};
  std::atomic<double> last_{0.0};
};

class TestPredict : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

 private Q_SLOTS:
  void demoModelSegmentsHeldOutPhantoms() {
    ModelPackage pkg = ModelPackage::open(VOXPLAIN_DEMO_MODEL);
    PredictOptions options;
    options.device = "cpu";
    double total = 0;
    const int cases = 3;
    for (int i = 0; i < cases; ++i) {
      LesionPhantomOptions o;
      o.seed = 9000 + std::uint64_t(i);  // never seen in training (seeds 1000..)
      o.size = {64, 64, 48};
      const LesionPhantom p = makeLesionPhantom(o);
      total += dice(predict(pkg, phantomStudy(p), options).labels, p.lesions);
    }
    QVERIFY2(total / cases >= 0.8, qPrintable(QString("mean Dice %1").arg(total / cases)));
  }
  void labelMapKeepsTheStudyAffine() {
    ModelPackage pkg = ModelPackage::open(VOXPLAIN_DEMO_MODEL);
    LesionPhantomOptions o;
    o.size = {40, 36, 32};
    LesionPhantom p = makeLesionPhantom(o);
    Geometry g = p.flair.geometry();
    g.origin = {12.5, -30.0, 7.0};
    g.direction = {0, 1, 0, -1, 0, 0, 0, 0, 1};  // rotated in-plane
    p.flair.setGeometry(g);
    p.t1.setGeometry(g);
    const Prediction pred = predict(pkg, phantomStudy(p), {});
    const fs::path out = fs::path(dir_.path().toStdString()) / "seg.nii.gz";
    writeNifti(pred.labels, out);
    const Geometry back = readLabelNifti(out).geometry();
    QVERIFY(compareGeometry(back, g).sameGrid());
  }
  void modelSpacingResamplesAndMapsBack() {
    ModelPackage pkg = ModelPackage::open(VOXPLAIN_DEMO_MODEL);
    ModelManifest m = pkg.manifest();
    m.spacing = std::array<double, 3>{1.5, 1.5, 1.5};
    LesionPhantomOptions o;
    o.size = {40, 40, 32};
    const Study s = phantomStudy(makeLesionPhantom(o));
    const Geometry grid = modelGrid(s.referenceGrid(), m);
    QCOMPARE(grid.size, (Size3{27, 27, 21}));
    m.orientation = "RAS";
    const Geometry ras = modelGrid(s.referenceGrid(), m);
    QCOMPARE(QString::fromStdString(ras.axisCodes()), QString("RAS"));
  }
  // nnU-Net's resize: round(n * s / t) voxels, half to even as numpy (26 x 1.0 mm to 0.8 mm is 32.5:
  // 32 voxels, not 33), voxel centres where skimage's resize samples: (i + 0.5) * n / n' - 0.5.
  void nnunetModelGridFollowsItsResize() {
    Geometry study;
    study.size = {26, 10, 15};
    study.spacing = {1.0, 1.0, 2.4};
    ModelManifest m;
    m.spacing = std::array<double, 3>{0.8, 1.0, 3.0};
    m.windowScheme = ModelManifest::WindowScheme::Nnunet;
    const Geometry grid = modelGrid(study, m);
    QCOMPARE(grid.size, (Size3{32, 10, 12}));
    QVERIFY(std::abs(grid.spacing[0] - 26.0 / 32.0) < 1e-12);
    QVERIFY(std::abs(grid.origin[0] - (0.5 * 26.0 / 32.0 - 0.5)) < 1e-12);
    QVERIFY(std::abs(grid.origin[2] - (0.5 * 15.0 / 12.0 - 0.5) * 2.4) < 1e-12);
  }
  // nnU-Net's data resampling along one axis equals scipy.ndimage.zoom(x, m / n, order=3 (or 0),
  // mode='nearest', grid_mode=True), which skimage's resize calls; values from scipy 1.10.1.
  void nnunetResizeLineEqualsScipysZoom() {
    const std::vector<float> x{0, 1, 4, 9, 16, 25, 3, -2};
    const std::vector<std::vector<double>> expected{
        {-0.041916, 0.240996, 1.071749, 2.666308, 5.273465, 8.445115, 11.468267, 17.597929, 25.284848, 19.115483,
         3.736776, -2.097875, -1.879145},
        {0.147013, 3.578121, 11.468267, 23.870057, -2.211033}};
    for (const auto& e : expected) {
      std::vector<float> out(e.size());
      resizeLine(x.data(), x.size(), 1, out.data(), out.size(), 1, true);
      for (std::size_t i = 0; i < e.size(); ++i)
        QVERIFY2(std::abs(out[i] - e[i]) < 1e-4,
                 qPrintable(QString("m %1, sample %2: %3 vs scipy %4").arg(e.size()).arg(i).arg(out[i]).arg(e[i])));
    }
    std::vector<float> nearest(5);
    resizeLine(x.data(), x.size(), 1, nearest.data(), nearest.size(), 1, false);
    QCOMPARE(nearest, (std::vector<float>{0, 4, 16, 25, -2}));
  }
  void zscoreNonZeroLeavesBackgroundAtZero() {
    Geometry g;
    g.size = {4, 1, 1};
    Volume v(g, std::vector<float>{0, 1, 2, 3});
    Normalization n;
    n.type = Normalization::Type::ZScoreNonZero;
    normalize(v, n);
    QCOMPARE(v.data()[0], 0.0f);
    QVERIFY(std::abs(v.data()[2]) < 1e-6);
    QVERIFY(std::abs(v.data()[3] - 1.2247449f) < 1e-5);
  }
  void clipScaleMapsTheCtWindow() {
    Geometry g;
    g.size = {3, 1, 1};
    Volume v(g, std::vector<float>{-2000, 0, 3000});
    Normalization n;
    n.type = Normalization::Type::ClipScale;
    n.aMin = -1000;
    n.aMax = 1000;
    normalize(v, n);
    QCOMPARE(v.voxels(), (std::vector<float>{0.0f, 0.5f, 1.0f}));
  }
  void devicesResolveWithAClearErrorWithoutCuda() {
    if (torch::cuda::is_available()) QSKIP("a CUDA device is present: covered by the GPU run");
    QCOMPARE(QString::fromStdString(resolveDevice("auto").str()), QString("cpu"));
    QVERIFY_THROWS_EXCEPTION(InputError, resolveDevice("cuda"));
    QVERIFY_THROWS_EXCEPTION(InputError, resolveDevice("tpu"));
  }
  void reducedPrecisionRequestIsHarmlessOnTheCpu() {
    // Autocast applies on CUDA only; on the CPU fp16 is ignored and the result equals fp32.
    ModelPackage pkg = ModelPackage::open(VOXPLAIN_DEMO_MODEL);
    const torch::Tensor x = torch::randn({1, 2, 24, 24, 24});
    PredictOptions fp32, fp16;
    fp16.precision = "fp16";
    QVERIFY(torch::equal(predictLogits(pkg, x, fp32, {}), predictLogits(pkg, x, fp16, {})));
    fp16.precision = "fp8";
    QVERIFY_THROWS_EXCEPTION(InputError, predictLogits(pkg, x, fp16, {}));
  }
  // The cancel is read between batches: after it, at most the batch in flight finishes and no
  // further patch starts. (How long that takes is measured by `voxplain-cli bench`, "cancel".)
  void cancelStopsARunningPredictionAtTheNextBatch() {
    ModelPackage pkg = ModelPackage::open(VOXPLAIN_DEMO_MODEL);
    pkg.manifest().patchSize = {24, 24, 24};
    LesionPhantomOptions o;
    o.size = {160, 160, 128};  // hundreds of patches: far longer than the test waits
    const Study s = phantomStudy(makeLesionPhantom(o));
    CancellationToken token;
    PatchCounter counter(token);
    PredictOptions options;
    options.batchSize = 1;
    std::atomic<bool> cancelled{false};
    std::thread worker([&] {
      try {
        predict(pkg, s, options, TaskControl(&counter, &token));
      } catch (const OperationCancelled&) {
        cancelled = true;
      }
    });
    while (counter.patches() < 3) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    token.cancel();
    worker.join();
    QVERIFY(cancelled);
    QVERIFY2(counter.patchesAfterCancel() <= 1, qPrintable(QString::number(counter.patchesAfterCancel())));
    QVERIFY(counter.lastFraction() < 0.5);
  }
};

QTEST_GUILESS_MAIN(TestPredict)
#include "test_predict.moc"
