// MONAI bundles run as MONAI runs them: configs/inference.json's SlidingWindowInferer and
// pre/post-processing are read (model/MonaiBundle.h), and a bundle laid out by
// make_monai_bundle.py gives MONAI's own predictions and saliency (written out there from MONAI's
// definitions): padding to the roi, overlap, Gaussian importance with its 1e-3 floor, RAS
// orientation, non-zero channel-wise z-scores.
#include <QtTest>

#include <nlohmann/json.hpp>

#include "../attribution/AttributionTestSupport.h"
#include "attribution/Explainer.h"
#include "model/MonaiBundle.h"
#include "model/Preprocessing.h"
#include "model/SegmentationRunner.h"
#include "task/InputError.h"

using namespace voxplain;
using nlohmann::json;
using voxplain::testing::relativeError;

namespace {
const std::string kDir = VOXPLAIN_FOREIGN_NETWORKS;

ModelManifest twoInputs() {
  ModelManifest m;
  m.inputs = {{"FLAIR", {}}, {"T1", {}}};
  return m;
}

bool hasNote(const std::vector<std::string>& notes, const std::string& text) {
  for (const std::string& n : notes)
    if (n.find(text) != std::string::npos) return true;
  return false;
}
}  // namespace

class TestMonaiBundle : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void inferenceConfigSetsTheWindowAndTransforms() {
    const json config = json::parse(R"({
      "roi": [96, 96, 64],
      "inferer": {"_target_": "SlidingWindowInferer", "roi_size": "$@roi", "sw_batch_size": 4, "overlap": 0.5,
                  "mode": "gaussian", "sigma_scale": 0.25},
      "preprocessing": {"_target_": "Compose", "transforms": [
        {"_target_": "LoadImaged", "keys": "image"},
        {"_target_": "Orientationd", "keys": "image", "axcodes": "RAS"},
        {"_target_": "Spacingd", "keys": ["image", "label"], "pixdim": [1.5, 1.5, 2.0], "mode": ["bilinear", "nearest"]},
        {"_target_": "ScaleIntensityRanged", "keys": "image", "a_min": -57, "a_max": 164, "b_min": 0.0, "b_max": 1.0, "clip": true},
        {"_target_": "RandFlipd", "keys": "image", "prob": 0.5},
        {"_target_": "Lambdad", "keys": "image", "func": "$lambda x: x * 2"}]},
      "postprocessing": {"_target_": "Compose", "transforms": [{"_target_": "Activationsd", "keys": "pred", "sigmoid": true}]}
    })");
    ModelManifest m = twoInputs();
    applyMonaiInferenceConfig(m, config, "inference.json");
    QCOMPARE(m.patchSize, (std::array<int, 3>{96, 96, 64}));
    QVERIFY(m.windowFit == ModelManifest::WindowFit::PadToWindow);
    QCOMPARE(m.overlap, 0.5);
    QCOMPARE(m.blend, std::string("gaussian"));
    QCOMPARE(m.gaussianSigmaScale, 0.25);
    QCOMPARE(m.importanceFloor, 1e-3);
    QCOMPARE(m.orientation, std::string("RAS"));
    QVERIFY(m.spacing && (*m.spacing == std::array<double, 3>{1.5, 1.5, 2.0}));
    QVERIFY(m.inputs[1].normalization.type == Normalization::Type::ClipScale);
    QCOMPARE(m.inputs[1].normalization.aMin, -57.0);
    QCOMPARE(m.inputs[1].normalization.aMax, 164.0);
    QVERIFY(m.inputs[1].normalization.clip);
    QCOMPARE(m.activation, std::string("sigmoid"));
    QVERIFY2(hasNote(m.notes, "not applied: RandFlipd, Lambdad"), qPrintable(QString::fromStdString(m.notes.back())));
  }
  void normalizeIntensityDefaultsAreMonais() {
    // MONAI's defaults: nonzero=False, channel_wise=False (one mean and deviation over all channels).
    ModelManifest m = twoInputs();
    applyMonaiInferenceConfig(
        m, json::parse(R"({"preprocessing": {"transforms": [{"_target_": "NormalizeIntensityd", "keys": "image"}]}})"),
        "inference.json");
    QVERIFY(m.inputs[0].normalization.type == Normalization::Type::ZScore);
    QVERIFY(m.inputs[0].normalization.joint && m.inputs[1].normalization.joint);
    QCOMPARE(m.blend, std::string("constant"));  // SlidingWindowInferer's default mode
    QVERIFY(hasNote(m.notes, "no inferer"));
  }
  void jointZScoresShareTheirStatistics() {
    ModelManifest m = twoInputs();
    for (ModelInput& in : m.inputs) in.normalization = {Normalization::Type::ZScore, 0, 1, 0, 1, 0.5, 99.5, true, true};
    Geometry g;
    g.size = {2, 1, 1};
    Study study;
    study.addModality("FLAIR", "a", Volume(g, {0.0f, 2.0f}));
    study.addModality("T1", "b", Volume(g, {4.0f, 6.0f}));
    const torch::Tensor x = modelInputTensor(study, m, g).flatten();
    // mean 3, population sd sqrt(5)
    const double sd = std::sqrt(5.0);
    for (int i = 0; i < 4; ++i) QVERIFY(std::abs(x[i].item<double>() - (2.0 * i - 3.0) / sd) < 1e-6);
  }
  void badInferenceConfigNamesTheField() {
    ModelManifest m = twoInputs();
    try {
      applyMonaiInferenceConfig(
          m, json::parse(R"({"inferer": {"_target_": "SlidingWindowInferer", "roi_size": [32, -1, 32]}})"),
          "inference.json");
      QFAIL("a negative roi_size was accepted");
    } catch (const InputError& e) {
      QCOMPARE(e.source(), std::string("inference.json"));
      QVERIFY2(std::string(e.reason()).find("inferer.roi_size") != std::string::npos, e.what());
    }
  }
  // fuzz_manifest found it: num_channels 144444444444444 made 10^14 labels (a hang); counts are
  // bounded and larger integers refused, never truncated.
  void absurdChannelCountsFailAtOnceNamingTheField() {
    for (const char* where : {"inputs", "outputs"}) {
      json metadata = json::parse(R"({"network_data_format": {"inputs": {"image": {"num_channels": 2}},
                                                               "outputs": {"pred": {"num_channels": 3}}}})");
      metadata["network_data_format"][where][std::string(where) == "inputs" ? "image" : "pred"]["num_channels"] =
          144444444444444LL;
      try {
        manifestFromMonaiMetadata(metadata, "model.ts", "metadata.json");
        QFAIL("an absurd channel count was accepted");
      } catch (const InputError& e) {
        QVERIFY2(std::string(e.reason()).find(std::string("network_data_format.") + where) != std::string::npos,
                 e.what());
      }
    }
  }
  // A bundle is named by its metadata's "name", else its "task" (the model zoo's older bundles),
  // else its folder — never "unnamed model".
  void bundleIsNamedByNameThenTaskThenFolder() {
    const json base = json::parse(R"({"network_data_format": {"inputs": {"image": {"num_channels": 1}},
                                                             "outputs": {"pred": {"num_channels": 2}}}})");
    json named = base, tasked = base;
    named["name"] = "Spleen CT segmentation";
    named["task"] = "Decathlon spleen segmentation";
    tasked["task"] = "Decathlon spleen segmentation";
    const std::filesystem::path file = "/bundles/spleen_ct_segmentation/models/model.ts";
    QCOMPARE(QString::fromStdString(manifestFromMonaiMetadata(named, file, "metadata.json").name),
             QString("Spleen CT segmentation"));
    QCOMPARE(QString::fromStdString(manifestFromMonaiMetadata(tasked, file, "metadata.json").name),
             QString("Decathlon spleen segmentation"));
    QCOMPARE(QString::fromStdString(manifestFromMonaiMetadata(base, file, "metadata.json").name),
             QString("spleen_ct_segmentation"));
  }
  void bundleRunsAsMonaiRunsIt() {
    ModelPackage package = ModelPackage::open(kDir + "/bundle");
    const torch::jit::Module refs = torch::jit::load(kDir + "/bundle_refs.pt");
    const torch::Tensor input = refs.attr("input").toTensor();
    Study study;
    Geometry g;
    g.size = {std::size_t(input.size(2)), std::size_t(input.size(3)), std::size_t(input.size(4))};
    study.addModality("FLAIR", "refs", volumeFromTensor(input[0][0], g));
    study.addModality("T1", "refs", volumeFromTensor(input[0][1], g));
    PredictOptions options;
    options.device = "cpu";
    const Prediction p = predict(package, study, options);
    const torch::Tensor expected = refs.attr("probabilities").toTensor();
    double worst = 0;
    for (std::size_t k = 0; k < p.probabilities.size(); ++k)
      worst = std::max(worst,
                       (tensorFromVolume(p.probabilities[k]) - expected[std::int64_t(k)]).abs().max().item<double>());
    QVERIFY2(worst <= 1e-5, qPrintable(QString("max |p - p_monai| = %1").arg(worst)));
    QCOMPARE(p.window, (std::array<std::int64_t, 3>{32, 32, 32}));
    QVERIFY(hasNote(p.notes, "zero-padded to the 32x32x32 window"));
    QVERIFY(hasNote(package.manifest().notes, "not applied: KeepLargestConnectedComponentd"));
    QVERIFY(!hasNote(package.manifest().notes, "CropForeground"));  // it acts on the label only

    ExplainRequest request;
    request.method = "saliency";
    request.target = TargetSpec::parse("class=1");
    request.runtime.device = "cpu";
    const Explanation e = explain(package, study, request);
    QCOMPARE(double(e.regions.at(0).voxels), refs.attr("mask").toTensor().sum().item<double>());
    const torch::Tensor saliency = refs.attr("saliency").toTensor();
    for (int m = 0; m < 2; ++m) {
      const double error = relativeError(tensorFromVolume(e.regions[0].perModality[std::size_t(m)]), saliency[m]);
      QVERIFY2(error <= 1e-4, qPrintable(QString("modality %1: relative L2 error %2").arg(m).arg(error)));
    }
  }
};

QTEST_APPLESS_MAIN(TestMonaiBundle)
#include "test_monai_bundle.moc"
