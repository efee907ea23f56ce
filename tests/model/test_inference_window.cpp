// Which window a model runs with on a volume (model/InferenceWindow.h) and how many patches a
// pass takes (model/BatchProfile.h), on tiny TorchScript models compiled by the test: one that
// accepts any size, one that needs multiples of 8, one traced-like model that runs on 32^3 only.
#include <QtTest>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "model/BatchProfile.h"
#include "model/InferenceWindow.h"
#include "model/SlidingWindow.h"
#include "task/InputError.h"

using namespace voxplain;
namespace fs = std::filesystem;

namespace {

// A bare TorchScript file whose forward is `body` (x: [N, 2, X, Y, Z] -> two channels).
std::string modelFile(const QString& dir, const std::string& name, const std::string& body) {
  torch::jit::Module m("Tiny");
  m.define("def forward(self, x):\n" + body);
  const std::string path = (dir + "/").toStdString() + name + ".pt";
  m.save(path);
  return path;
}

const char* kAnySize = "    return torch.cat([x[:, :1] * 0.0, x[:, 1:2]], 1)\n";
const char* kMultipleOf8 =
    "    assert x.size(2) % 8 == 0 and x.size(3) % 8 == 0 and x.size(4) % 8 == 0, 'sizes must be multiples of 8'\n"
    "    return torch.cat([x[:, :1] * 0.0, x[:, 1:2]], 1)\n";
const char* kOnly32 =
    "    assert x.size(2) == 32 and x.size(3) == 32 and x.size(4) == 32, 'the position embedding is 32^3'\n"
    "    return torch.cat([x[:, :1] * 0.0, x[:, 1:2]], 1)\n";

bool hasNote(const std::vector<std::string>& notes, const std::string& text) {
  for (const std::string& n : notes)
    if (n.find(text) != std::string::npos) return true;
  return false;
}

using Size = std::array<std::int64_t, 3>;
}  // namespace

class TestInferenceWindow : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    qputenv("VOXPLAIN_CACHE_DIR", (dir_.path() + "/cache").toUtf8());
  }
  void aSmallVolumeRunsAsOneWindowOfItsSize() {
    ModelPackage p = ModelPackage::open(modelFile(dir_.path(), "any", kAnySize), {"A", "B"});
    const InferenceWindow w = inferenceWindow(p, {20, 30, 10});
    QCOMPARE(w.options.patch, (Size{20, 30, 10}));
    QVERIFY(w.notes.empty());
    QCOMPARE(planPatches({20, 30, 10}, w.options).starts.size(), std::size_t(1));
  }
  void aLargeVolumeKeepsTheDeclaredPatch() {
    ModelPackage p = ModelPackage::open(modelFile(dir_.path(), "any", kAnySize), {"A", "B"});
    p.manifest().patchSize = {16, 16, 16};
    p.manifest().patchDeclared = true;
    QCOMPARE(inferenceWindow(p, {40, 20, 16}).options.patch, (Size{16, 16, 16}));
  }
  void theSmallestAcceptedPaddingIsFound() {
    ModelPackage p = ModelPackage::open(modelFile(dir_.path(), "mult8", kMultipleOf8), {"A", "B"});
    const InferenceWindow w = inferenceWindow(p, {20, 30, 10});
    QCOMPARE(w.options.patch, (Size{24, 32, 16}));
    QVERIFY2(hasNote(w.notes, "zero-padded symmetrically to a 24x32x16 window"),
             w.notes.empty() ? "no note" : w.notes[0].c_str());
    QVERIFY(hasNote(w.notes, "sizes must be multiples of 8"));
    const PatchPlan plan = planPatches({20, 30, 10}, w.options);
    QCOMPARE(plan.padLow, (Size{2, 1, 3}));  // the low side gets the smaller half
  }
  void aFixedShapeModelGetsItsShape() {
    ModelPackage p = ModelPackage::open(modelFile(dir_.path(), "only32", kOnly32), {"A", "B"});
    QCOMPARE(p.classes(), 2);  // learnt by a dry run on 32^3, the first cube tried
    QCOMPARE(inferenceWindow(p, {28, 30, 32}).options.patch, (Size{32, 32, 32}));
    const InferenceWindow larger = inferenceWindow(p, {40, 36, 32});  // slides the one size it takes
    QCOMPARE(larger.options.patch, (Size{32, 32, 32}));
    QVERIFY(hasNote(larger.notes, "sliding 32x32x32 windows"));
  }
  void divisibleByIsTrustedWithoutADryRun() {
    ModelPackage p = ModelPackage::open(modelFile(dir_.path(), "mult8", kMultipleOf8), {"A", "B"});
    p.manifest().patchSize = {64, 64, 64};
    p.manifest().patchDeclared = true;
    p.manifest().divisibleBy = {8, 8, 8};
    const InferenceWindow w = inferenceWindow(p, {20, 30, 10});
    QCOMPARE(w.options.patch, (Size{24, 32, 16}));
    QVERIFY(hasNote(w.notes, "divisible_by"));
  }
  void padToWindowPadsAsMonaiDoes() {
    ModelPackage p = ModelPackage::open(modelFile(dir_.path(), "any", kAnySize), {"A", "B"});
    p.manifest().windowFit = ModelManifest::WindowFit::PadToWindow;
    p.manifest().patchSize = {32, 32, 32};
    const InferenceWindow w = inferenceWindow(p, {20, 40, 10});
    QCOMPARE(w.options.patch, (Size{32, 32, 32}));
    QVERIFY(hasNote(w.notes, "as MONAI's sliding window does"));
  }
  void noAcceptedWindowNamesTheModel() {
    const std::string file = modelFile(dir_.path(), "only32", kOnly32);
    ModelPackage p = ModelPackage::open(file, {"A", "B"});
    p.manifest().patchSize = {40, 40, 40};
    p.manifest().patchDeclared = true;
    try {
      (void)inferenceWindow(p, {36, 36, 36});
      QFAIL("no window fits, yet one was chosen");
    } catch (const InputError& e) {
      QCOMPARE(e.source(), file);
      QVERIFY2(e.reason().find("36x36x36") != std::string::npos &&
                   e.reason().find("position embedding") != std::string::npos,
               e.what());
    }
  }
  void passBatchPadsSmallPassesWhenThatIsCheaper() {
    BatchProfile profile;
    profile.costs = {{1, 3.32}, {2, 1.14}, {4, 1.10}, {8, 1.20}};
    const PassBatch b = profile.passBatch();
    QCOMPARE(b.size, 4);
    QCOMPARE(b.minimum, 2);  // 2 x 1.14 < 3.32, the smallest such batch
    QCOMPARE(b.rowsFor(1), std::int64_t(2));
    QCOMPARE(b.rowsFor(3), std::int64_t(3));
    profile.costs = {{1, 1.0}, {2, 0.9}};
    QCOMPARE(profile.passBatch().minimum, 1);  // 2 x 0.9 > 1.0: never pad
  }
  void padBatchRowsRepeatsTheFirstRow() {
    const torch::Tensor b = torch::arange(6, torch::kFloat32).view({1, 6});
    const torch::Tensor p = padBatchRows(b, 3);
    QCOMPARE(p.size(0), std::int64_t(3));
    QVERIFY(torch::equal(p[2], b[0]));
    QVERIFY(padBatchRows(p, 2).size(0) == 3);
  }
  void profilesAreMeasuredOnceThenCached() {
    ModelPackage p = ModelPackage::open(modelFile(dir_.path(), "any", kAnySize), {"A", "B"});
    const Size window{8, 8, 8};
    const BatchProfile first = batchProfile(p, window, torch::kCPU, "fp32", PassKind::ForwardBackward);
    QVERIFY(!first.cached);
    QVERIFY(!first.costs.empty() && first.costs.front().batch == 1);
    const BatchProfile second = batchProfile(p, window, torch::kCPU, "fp32", PassKind::ForwardBackward);
    QVERIFY(second.cached);
    QCOMPARE(second.costs.size(), first.costs.size());
    // A damaged cache is measured again and replaced, never an error.
    std::ofstream(batchProfileCacheFile()) << "{ not json";
    QVERIFY(!batchProfile(p, window, torch::kCPU, "fp32", PassKind::ForwardBackward).cached);
    QVERIFY(batchProfile(p, window, torch::kCPU, "fp32", PassKind::ForwardBackward).cached);
  }
  void monaiImportanceIsFlooredNotRescaled() {
    SlidingWindowOptions o;
    o.importanceFloor = 1e-3;
    const torch::Tensor m = importanceMap({32, 32, 32}, o);
    QVERIFY(std::abs(m.min().item<double>() - 1e-3) < 1e-9);
    const double sigma = 0.125 * 32, centre = std::exp(-(0.5 * 0.5) / (2 * sigma * sigma));
    QVERIFY(std::abs(m[16][16][16].item<double>() - centre * centre * centre) < 1e-6);  // not rescaled to 1
  }
};

QTEST_GUILESS_MAIN(TestInferenceWindow)
#include "test_inference_window.moc"
