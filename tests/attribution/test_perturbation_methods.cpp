// DeepLift, KWC, layer activations and the perturbation methods (occlusion, modality Shapley,
// Kernel SHAP, LIME) against independent PyTorch references (make_attribution_references.py),
// closed-form values on a linear model, and a KWC case checked by hand.
#include <QtTest>

#include "AttributionTestSupport.h"

#include <cmath>

#include "analysis/Supervoxels.h"
#include "attribution/AttributionMethod.h"
#include "attribution/FaithfulnessCurves.h"
#include "attribution/LinearSurrogate.h"
#include "attribution/PerturbationMethods.h"
#include "model/ParameterRandomisation.h"
#include "model/SplitForward.h"
#include "task/InputError.h"

using namespace voxplain;
using voxplain::testing::regionFrom;
using voxplain::testing::relativeError;

namespace {
const std::string kRefs = VOXPLAIN_ATTRIBUTION_REFERENCES;

AttributionOutput runMethod(ModelPackage& package, const torch::Tensor& input, const std::vector<TargetRegion>& regions,
                            const std::string& method, const std::vector<std::string>& params, int patch = 48) {
  AttributionContext context{package, input, regions};
  context.channel = 1;
  context.window.patch = {patch, patch, patch};
  context.window.overlap = 0.25;
  context.window.setBatch(2);
  ParameterSet p = ParameterSet::parse(params);
  return findMethod(method).create()->run(context, p);
}

struct Refs {
  ModelPackage package = ModelPackage::open(VOXPLAIN_DEMO_MODEL);
  torch::jit::Module refs = torch::jit::load(kRefs + "/attribution_refs.pt");
  torch::Tensor t(const std::string& name) { return refs.attr(name).toTensor(); }
};

// The linear model: logit_1 = 0.7 FLAIR - 1.3 T1 + 0.2, on a 20x18x16 volume, target = a box.
struct Linear {
  ModelPackage package = ModelPackage::open(kRefs + "/linear.json");
  torch::Tensor input;
  torch::Tensor mask = torch::zeros({20, 18, 16});
  Linear() {
    torch::manual_seed(3);
    input = torch::randn({1, 2, 20, 18, 16});
    mask.slice(0, 4, 15).slice(1, 3, 12).slice(2, 2, 9).fill_(1.0);
  }
  std::vector<double> exact() {
    return {0.7 * (input[0][0] * mask).sum().item<double>(), -1.3 * (input[0][1] * mask).sum().item<double>()};
  }
};
}  // namespace

class TestPerturbationMethods : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void deepLiftEqualsTheRescaleReference() {
    Refs r;
    const AttributionOutput out = runMethod(r.package, r.t("input"), regionFrom(r.t("mask")), "deeplift", {});
    const torch::Tensor expected = r.t("deeplift")[0];
    QVERIFY(expected.abs().max().item<double>() > 0);
    const double error = relativeError(out.maps[0], expected);
    QVERIFY2(error <= 1e-4, qPrintable(QString("relative L2 error %1").arg(error)));
    const double delta = out.completeness.at(0).scoreDifference;
    QVERIFY2(std::abs(delta - r.t("deeplift_delta").item<double>()) <= 1e-3 * std::abs(delta),
             "S(x) - S(x') differs from the reference");
  }
  void kwcEqualsTheHookReference_data() {
    QTest::addColumn<QString>("layers");
    QTest::addColumn<QString>("reference");
    QTest::newRow("dec1") << "dec1"
                          << "kwc_dec1";
    QTest::newRow("enc2+dec1") << "enc2,dec1"
                               << "kwc_enc2_dec1";
  }
  void kwcEqualsTheHookReference() {
    QFETCH(QString, layers);
    QFETCH(QString, reference);
    Refs r;
    const AttributionOutput out =
        runMethod(r.package, r.t("cam_input"), regionFrom(r.t("cam_mask")), "kwc", {"layers=" + layers.toStdString()});
    const torch::Tensor expected = r.t(reference.toStdString());
    QVERIFY(expected.max().item<double>() > 0);
    const double error = relativeError(out.maps[0][0], expected);
    QVERIFY2(error <= 1e-4, qPrintable(QString("relative L2 error %1").arg(error)));
  }
  void kwcByHandOnATinyModel() {
    // feat: A_0 = x, A_1 = 0; head: logit_1 = A_0 + 5 A_1, logit_0 = 0; x = 2 on a 4^3 patch, so
    // p_1 = sigmoid(2) everywhere, all 64 voxels are the target, Y = 64 sigmoid(2).
    // Channel 0: zeroed -> p = 1/2, D_0 = 64 (sigmoid(2) - 1/2); alone -> unchanged, I_0 = Y; w_0 = D_0.
    // Channel 1: zeroed -> unchanged, D_1 = 0, w_1 = 0. Map = w_0 |A_0| / max|A| = 64 (sigmoid(2) - 1/2).
    ModelPackage package = ModelPackage::open(kRefs + "/tiny_kwc.json");
    const AttributionOutput out = runMethod(package, torch::full({1, 1, 4, 4, 4}, 2.0),
                                            regionFrom(torch::ones({4, 4, 4})), "kwc", {"layers=feat"}, 4);
    const double expected = 64.0 * (1.0 / (1.0 + std::exp(-2.0)) - 0.5);
    QVERIFY2(std::abs(out.maps[0].min().item<double>() - expected) < 1e-4 &&
                 std::abs(out.maps[0].max().item<double>() - expected) < 1e-4,
             qPrintable(QString("map %1..%2, expected %3")
                            .arg(out.maps[0].min().item<double>())
                            .arg(out.maps[0].max().item<double>())
                            .arg(expected)));
    const auto w = out.details["channel_weights"][0]["first_patch_weights"].get<std::vector<double>>();
    QVERIFY(std::abs(w[0] - expected) < 1e-4);
    QCOMPARE(w[1], 0.0);
  }
  void splitForwardHeadThenTailEqualsForward_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("layer");
    QTest::newRow("demo enc2 (skips carried)") << "demo"
                                               << "enc2";
    QTest::newRow("demo dec1.conv2 (nested)") << "demo"
                                              << "dec1.conv2";
    QTest::newRow("monai down_layers.1") << "monai"
                                         << "down_layers.1";
    QTest::newRow("monai traced bottom") << "monai_traced"
                                         << "bottom";
  }
  void splitForwardHeadThenTailEqualsForward() {
    QFETCH(QString, model);
    QFETCH(QString, layer);
    const std::string base = std::string(VOXPLAIN_REFERENCE_NETWORKS) + "/";
    const std::string file =
        model == "monai_traced" ? base + "monai_traced.pt" : base + model.toStdString() + "_scripted.pt";
    torch::jit::Module m = torch::jit::load(file);
    m.eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::randn({2, 2, 16, 16, 16});
    const torch::Tensor expected = m.forward({x}).toTensor();
    const SplitForward split(m, layer.toStdString());
    const SplitForward::Head head = split.head(x);
    QVERIFY(relativeError(split.tail(head, head.activation), expected) < 1e-6);
    // Repeated blocks: 3 x the batch of 2 with the same activations gives the same rows.
    const torch::Tensor tripled = split.tail(head, head.activation.repeat({3, 1, 1, 1, 1}));
    QVERIFY(relativeError(tripled.slice(0, 4, 6), expected) < 1e-6);
  }
  void occlusionEqualsBruteForce() {
    Refs r;
    const AttributionOutput out =
        runMethod(r.package, r.t("input"), regionFrom(r.t("mask")), "occlusion", {"block=30"});
    const torch::Tensor expected = r.t("occlusion_block30")[0];
    QVERIFY(expected.abs().max().item<double>() > 0);
    // Score differences of float32 sums: 1e-3 (the reference re-runs every patch, we only touched ones).
    const double error = relativeError(out.maps[0], expected);
    QVERIFY2(error <= 1e-3, qPrintable(QString("relative L2 error %1").arg(error)));
  }
  void modalityShapleyEqualsReferenceAndIsEfficient() {
    Refs r;
    const AttributionOutput out = runMethod(r.package, r.t("input"), regionFrom(r.t("mask")), "modality_shapley", {});
    const ShapleyValues& s = out.shapley.at(0);
    const std::vector<double>& phi = s.values;
    const torch::Tensor expected = r.t("modality_shapley");
    for (int i = 0; i < 2; ++i)
      QVERIFY2(std::abs(phi[std::size_t(i)] - expected[i].item<double>()) <= 1e-3 * expected.abs().max().item<double>(),
               "value");
    const double scoreDifference = s.score - s.baselineScore;
    QVERIFY(std::abs(phi[0] + phi[1] - scoreDifference) <= 1e-6 * std::abs(scoreDifference));
    QCOMPARE(out.maps[0][0][3][4][5].item<double>(), double(float(phi[0])));
  }
  void faithfulnessCurvesOfTheExactMapOnALinearModel() {
    // S(x) = sum over the box of 0.7 FLAIR - 1.3 T1 + 0.2; with the zero baseline, deleting feature
    // f changes S by exactly -A_f for A = w x on the box (0 elsewhere): the deletion curve at
    // fraction k is (S - sum of the k largest A) / S, insertion (S(x') + that sum) / S.
    Linear l;
    const std::vector<TargetRegion> regions = regionFrom(l.mask);
    AttributionContext context{l.package, l.input, regions};
    context.channel = 1;
    context.window.patch = {16, 16, 16};
    context.window.overlap = 0.25;
    context.window.setBatch(2);
    const torch::Tensor w = torch::tensor({0.7f, -1.3f}).view({2, 1, 1, 1});
    const torch::Tensor map = w * l.input[0] * l.mask;
    FaithfulnessOptions options;
    options.steps = 4;
    options.maxFraction = 0.2;
    const FaithfulnessCurves c = faithfulnessCurves(context, map, 0, options);
    const double s = l.exact()[0] + l.exact()[1] + 0.2 * l.mask.sum().item<double>(),
                 sBaseline = 0.2 * l.mask.sum().item<double>();
    QVERIFY(std::abs(c.score - s) <= 1e-4 * std::abs(s));
    const torch::Tensor sorted = std::get<0>(map.reshape({-1}).sort(0, /*descending=*/true)).to(torch::kFloat64);
    for (int i = 0; i <= options.steps; ++i) {
      const auto k = std::int64_t(options.maxFraction * i / options.steps * double(map.numel()) + 0.5);
      const double top = k > 0 ? sorted.slice(0, 0, k).sum().item<double>() : 0.0;
      QVERIFY2(std::abs(c.deletion[std::size_t(i)] - (s - top) / s) <= 1e-4,
               qPrintable(QString("deletion at step %1").arg(i)));
      QVERIFY2(std::abs(c.insertion[std::size_t(i)] - (sBaseline + top) / s) <= 1e-4,
               qPrintable(QString("insertion at step %1").arg(i)));
    }
    QVERIFY(c.deletionArea < 1.0 && c.insertionArea > sBaseline / s);
  }
  void cascadingRandomisationGoesInwardAndRestores() {
    Refs r;
    CascadingRandomisation cascade(r.package.module(), 1);
    QCOMPARE(cascade.blocks().front(), std::string("head"));
    QCOMPARE(cascade.blocks().back(), std::string("enc1"));
    auto param = [&](const std::string& block) {
      return r.package.module().attr(block).toModule().parameters().begin().operator*().detach().clone();
    };
    const torch::Tensor head = param("head"), enc1 = param("enc1");
    cascade.randomiseFirst(1);
    QVERIFY(!torch::equal(param("head"), head));
    QVERIFY(torch::equal(param("enc1"), enc1));
    cascade.randomiseFirst(cascade.blocks().size());
    QVERIFY(!torch::equal(param("enc1"), enc1));
    cascade.restore();
    QVERIFY(torch::equal(param("head"), head) && torch::equal(param("enc1"), enc1));
  }
  void kernelShapOverModalitiesIsExact() {
    Linear l;
    const AttributionOutput out =
        runMethod(l.package, l.input, regionFrom(l.mask), "kernel_shap", {"features=modalities"}, 16);
    QVERIFY(out.details["exact"].get<bool>());
    const std::vector<double> phi = out.shapley.at(0).values;
    const auto exact = l.exact();
    for (std::size_t i = 0; i < 2; ++i)
      QVERIFY2(std::abs(phi[i] - exact[i]) <= 1e-4 * std::abs(exact[i]),
               qPrintable(QString("phi %1 vs %2").arg(phi[i]).arg(exact[i])));
  }
  void kernelShapOverSupervoxelsRecoversTheLinearModel() {
    // For a linear model the Shapley value of a supervoxel x modality feature f is
    // w_c x (sum of x_c over the target voxels of f), and the map holds it at every voxel of f.
    Linear l;
    const AttributionOutput out =
        runMethod(l.package, l.input, regionFrom(l.mask), "kernel_shap", {"supervoxels=6", "samples=200"}, 16);
    QVERIFY(!out.details["exact"].get<bool>());
    const torch::Tensor map = out.maps[0];  // [2, X, Y, Z], constant per feature
    for (int c = 0; c < 2; ++c) {
      const double w = c == 0 ? 0.7 : -1.3;
      const torch::Tensor contribution = w * l.input[0][c] * l.mask;
      // Group voxels by their (constant) feature value: each group's contribution sum equals it.
      const torch::Tensor values = std::get<0>(torch::_unique(map[c].flatten()));
      QVERIFY(values.numel() >= 2);
      for (std::int64_t i = 0; i < values.numel(); ++i) {
        const torch::Tensor members = map[c] == values[i];
        const double expected = contribution.masked_select(members).sum().item<double>();
        QVERIFY2(std::abs(values[i].item<double>() - expected) <= 1e-3 * std::max(1.0, std::abs(expected)),
                 qPrintable(QString("feature value %1, contribution %2").arg(values[i].item<double>()).arg(expected)));
      }
    }
  }
  void limeWithoutRidgeRecoversTheLinearModel() {
    Linear l;
    const AttributionOutput out =
        runMethod(l.package, l.input, regionFrom(l.mask), "lime", {"features=modalities", "alpha=0", "samples=16"}, 16);
    const auto exact = l.exact();
    for (int c = 0; c < 2; ++c) {
      const double value = out.maps[0][c][0][0][0].item<double>();
      QVERIFY2(std::abs(value - exact[std::size_t(c)]) <= 1e-3 * std::abs(exact[std::size_t(c)]),
               qPrintable(QString("%1 vs %2").arg(value).arg(exact[std::size_t(c)])));
    }
    QVERIFY(out.details["fit"][0]["weighted_r2"].get<double>() > 0.999);
  }
  void kernelShapRegressionIsExactForLinearFunctions() {
    const int m = 40;
    std::vector<double> w(m);
    for (int j = 0; j < m; ++j) w[std::size_t(j)] = std::sin(j + 1.0) * 3.0;
    const CoalitionSample sample = shapleyCoalitions(m, 120, 7);
    std::vector<double> f;
    for (const Coalition& z : sample.coalitions) {
      double v = 0.5;
      for (int j = 0; j < m; ++j) v += w[std::size_t(j)] * z[std::size_t(j)];
      f.push_back(v);
    }
    double full = 0.5;
    for (double x : w) full += x;
    const std::vector<double> phi = kernelShapValues(sample, f, 0.5, full);
    for (int j = 0; j < m; ++j) QVERIFY(std::abs(phi[std::size_t(j)] - w[std::size_t(j)]) < 1e-8);
  }
  void exactKernelShapEqualsShapleyOnAGame() {
    // v(S) = |S|^2 on 3 players: symmetric, so phi_i = v(N) / 3 = 3.
    const CoalitionSample sample = shapleyCoalitions(3, 100, 0);
    QVERIFY(sample.exact);
    QCOMPARE(int(sample.coalitions.size()), 6);
    std::vector<double> f;
    for (const Coalition& z : sample.coalitions) {
      const double size = z[0] + z[1] + z[2];
      f.push_back(size * size);
    }
    for (double phi : kernelShapValues(sample, f, 0.0, 9.0)) QVERIFY(std::abs(phi - 3.0) < 1e-9);
  }
  void supervoxelsFollowAnEdge() {
    const Size3 size{16, 16, 16};
    std::vector<float> image(16 * 16 * 16);
    for (std::size_t i = 0; i < image.size(); ++i) image[i] = (i % 16) < 8 ? 0.0f : 1.0f;  // edge at x = 8
    const Supervoxels s = slicSupervoxels(image, size, 8);
    QVERIFY(s.count >= 4 && s.count <= 16);
    std::vector<std::set<float>> valuesOf(std::size_t(s.count));
    for (std::size_t i = 0; i < image.size(); ++i) valuesOf[std::size_t(s.labels[i])].insert(image[i]);
    for (const auto& v : valuesOf) QCOMPARE(int(v.size()), 1);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, slicSupervoxels(image, size, 0));
  }
  void layerActivationsShowAChannelOrTheMean() {
    Refs r;
    const auto regions = regionFrom(r.t("cam_mask"));
    const AttributionOutput mean = runMethod(r.package, r.t("cam_input"), regions, "activations", {"layer=enc1"});
    QVERIFY(mean.maps[0].min().item<double>() >= 0);
    QVERIFY(mean.maps[0].max().item<double>() > 0);
    QCOMPARE(mean.details["channels"].get<int>(), 8);  // demo U-Net width
    QVERIFY_THROWS_EXCEPTION(
        InputError, runMethod(r.package, r.t("cam_input"), regions, "activations", {"layer=enc1", "channel=99"}));
    QVERIFY_THROWS_EXCEPTION(InputError,
                             runMethod(r.package, r.t("cam_input"), regions, "activations", {"layer=nosuch"}));
  }
  void blockStartsCoverTheAxis() {
    QCOMPARE(blockStarts(60, 30, 30), (std::vector<std::int64_t>{0, 30}));
    QCOMPARE(blockStarts(52, 30, 30), (std::vector<std::int64_t>{0, 22}));
    QCOMPARE(blockStarts(10, 16, 16), (std::vector<std::int64_t>{0}));
    QCOMPARE(blockStarts(40, 16, 8), (std::vector<std::int64_t>{0, 8, 16, 24}));
  }
};

QTEST_GUILESS_MAIN(TestPerturbationMethods)
#include "test_perturbation_methods.moc"
