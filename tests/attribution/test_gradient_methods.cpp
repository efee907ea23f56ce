// Gradient methods on a whole volume larger than one patch equal an independent PyTorch
// implementation that differentiates the entire blended sliding-window graph at once
// (relative L2 error <= 1e-4 in fp32); Integrated Gradients is complete within 1% at 64 steps.
#include <QtTest>

#include "AttributionTestSupport.h"

#include "attribution/AttributionMethod.h"
#include "attribution/CamMethods.h"
#include "attribution/Explainer.h"
#include "attribution/GradientMethods.h"
#include "model/Preprocessing.h"
#include "synthetic/LesionPhantom.h"
#include "task/InputError.h"

using namespace voxplain;
using voxplain::testing::regionFrom;
using voxplain::testing::relativeError;

namespace {
struct Fixture {
  ModelPackage package = ModelPackage::open(VOXPLAIN_DEMO_MODEL);
  torch::jit::Module refs = torch::jit::load(std::string(VOXPLAIN_ATTRIBUTION_REFERENCES) + "/attribution_refs.pt");
  std::vector<TargetRegion> regions = regionFrom(refs.attr("mask").toTensor());
  AttributionOutput run(const std::string& method, ParameterSet params) {
    AttributionContext context{package, refs.attr("input").toTensor(), regions};
    context.channel = 1;
    context.window.patch = {48, 48, 48};
    context.window.overlap = 0.25;
    context.window.setBatch(2);
    return findMethod(method).create()->run(context, params);
  }
};
}  // namespace

class TestGradientMethods : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void methodsEqualTheWholeGraphReference_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("params");
    QTest::newRow("saliency") << "saliency"
                              << "";
    QTest::newRow("input_x_gradient") << "input_x_gradient"
                                      << "";
    QTest::newRow("integrated_gradients") << "integrated_gradients"
                                          << "steps=4";
  }
  void methodsEqualTheWholeGraphReference() {
    QFETCH(QString, method);
    QFETCH(QString, params);
    Fixture f;
    std::vector<std::string> items;
    if (!params.isEmpty()) items.push_back(params.toStdString());
    const AttributionOutput out = f.run(method.toStdString(), ParameterSet::parse(items));
    const torch::Tensor expected = f.refs.attr(method.toStdString()).toTensor()[0];
    QVERIFY2(expected.abs().max().item<double>() > 0, "degenerate reference: zero attribution");
    const double error = relativeError(out.maps[0], expected);
    QVERIFY2(error <= 1e-4, qPrintable(QString("relative L2 error %1").arg(error)));
  }
  void camMethodsEqualHookBasedReference_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("layers");
    QTest::addColumn<QString>("reference");
    QTest::newRow("gradcam dec2") << "gradcam"
                                  << "dec2"
                                  << "gradcam_dec2";
    QTest::newRow("gradcam++ dec2") << "gradcam++"
                                    << "dec2"
                                    << "gradcampp_dec2";
    QTest::newRow("gradcam enc2+dec1") << "gradcam"
                                       << "enc2,dec1"
                                       << "gradcam_enc2_dec1";
  }
  void camMethodsEqualHookBasedReference() {
    QFETCH(QString, method);
    QFETCH(QString, layers);
    QFETCH(QString, reference);
    ModelPackage package = ModelPackage::open(VOXPLAIN_DEMO_MODEL);
    torch::jit::Module refs = torch::jit::load(std::string(VOXPLAIN_ATTRIBUTION_REFERENCES) + "/attribution_refs.pt");
    const std::vector<TargetRegion> regions = regionFrom(refs.attr("cam_mask").toTensor());
    AttributionContext context{package, refs.attr("cam_input").toTensor(), regions};
    context.channel = 1;
    context.window.patch = {48, 48, 48};
    ParameterSet params = ParameterSet::parse({"layers=" + layers.toStdString()});
    const AttributionOutput out = findMethod(method.toStdString()).create()->run(context, params);
    const torch::Tensor expected = refs.attr(reference.toStdString()).toTensor();
    QVERIFY2(expected.max().item<double>() > 0, "degenerate reference");
    QVERIFY(torch::equal(out.maps[0][0], out.maps[0][1]));  // the same map for both modalities
    const double error = relativeError(out.maps[0][0], expected);
    QVERIFY2(error <= 1e-4, qPrintable(QString("relative L2 error %1").arg(error)));
  }
  void guidedBackpropEqualsTheHookReference() {
    // One 32^3 patch: the reference of tests/model (forward hooks clamping ReLU input gradients).
    ModelPackage package = ModelPackage::open(VOXPLAIN_DEMO_MODEL);
    torch::jit::Module refs = torch::jit::load(std::string(VOXPLAIN_REFERENCE_NETWORKS) + "/demo_refs.pt");
    const torch::Tensor logits = refs.attr("logits").toTensor();
    const std::vector<TargetRegion> regions = regionFrom(logits.argmax(1)[0] == 1);
    AttributionContext context{package, refs.attr("input").toTensor(), regions};
    context.channel = 1;
    context.window.patch = {32, 32, 32};
    ParameterSet params;
    const AttributionOutput out = findMethod("guided_backprop").create()->run(context, params);
    const torch::Tensor expected = refs.attr("guided_grad").toTensor()[0];
    QVERIFY2(expected.abs().max().item<double>() > 0, "degenerate reference");
    const double error = relativeError(out.maps[0], expected);
    QVERIFY2(error <= 1e-4, qPrintable(QString("relative L2 error %1").arg(error)));
    QCOMPARE(out.details["relu_nodes_overridden"].get<int>(), 10);
  }
  void methodsEqualTheReferenceOnAMonaiStyleNet_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("params");
    QTest::newRow("saliency") << "saliency"
                              << "";
    QTest::newRow("input_x_gradient") << "input_x_gradient"
                                      << "";
    QTest::newRow("integrated_gradients") << "integrated_gradients"
                                          << "steps=4";
    QTest::newRow("gradcam bottom") << "gradcam"
                                    << "layers=bottom";
  }
  void methodsEqualTheReferenceOnAMonaiStyleNet() {
    // Residual units, PReLU, instance norm, transposed convolution, skip concatenation; 16^3
    // patches over a 28x24x20 volume (CAM: one patch), 3 output classes, class 1 scored.
    QFETCH(QString, method);
    QFETCH(QString, params);
    const std::string refsDir = VOXPLAIN_ATTRIBUTION_REFERENCES;
    ModelPackage package = ModelPackage::open(refsDir + "/monai_style.json");
    torch::jit::Module refs = torch::jit::load(refsDir + "/attribution_refs.pt");
    const bool cam = method == "gradcam";
    const std::vector<TargetRegion> regions = regionFrom(refs.attr(cam ? "monai_cam_mask" : "monai_mask").toTensor());
    QVERIFY(regions[0].voxels > 0);
    AttributionContext context{package, refs.attr(cam ? "monai_cam_input" : "monai_input").toTensor(), regions};
    context.channel = 1;
    context.window.patch = {16, 16, 16};
    context.window.setBatch(2);
    std::vector<std::string> items;
    if (!params.isEmpty()) items.push_back(params.toStdString());
    ParameterSet p = ParameterSet::parse(items);
    const AttributionOutput out = findMethod(method.toStdString()).create()->run(context, p);
    const torch::Tensor expected = refs.attr(cam ? "monai_gradcam_bottom" : "monai_" + method.toStdString()).toTensor();
    QVERIFY2(expected.abs().max().item<double>() > 0, "degenerate reference");
    const double error = relativeError(cam ? out.maps[0][0] : out.maps[0], cam ? expected : expected[0]);
    QVERIFY2(error <= 1e-4, qPrintable(QString("relative L2 error %1").arg(error)));
  }
  void reluMethodsRefuseANetWithoutRelu_data() {
    QTest::addColumn<QString>("method");
    QTest::newRow("guided_backprop") << "guided_backprop";
    QTest::newRow("deeplift") << "deeplift";
  }
  void reluMethodsRefuseANetWithoutRelu() {
    QFETCH(QString, method);
    const std::string refsDir = VOXPLAIN_ATTRIBUTION_REFERENCES;
    ModelPackage package = ModelPackage::open(refsDir + "/monai_style.json");
    const std::vector<TargetRegion> regions = regionFrom(torch::ones({16, 16, 16}));
    AttributionContext context{package, torch::randn({1, 2, 16, 16, 16}), regions};
    context.window.patch = {16, 16, 16};
    ParameterSet p;
    QVERIFY_THROWS_EXCEPTION(InputError, findMethod(method.toStdString()).create()->run(context, p));
  }
  void customBaselineIsRequiredWhenAsked() {
    Fixture f;
    QVERIFY_THROWS_EXCEPTION(InputError, f.run("integrated_gradients", ParameterSet::parse({"baseline=custom"})));
  }
  void camRefusesAnUnknownGroup() {
    ModelPackage package = ModelPackage::open(VOXPLAIN_DEMO_MODEL);
    ParameterSet p = ParameterSet::parse({"group=middle"});
    QVERIFY_THROWS_EXCEPTION(InputError, camLayers(package, p));
  }
  void integratedGradientsIsCompleteAt64Steps() {
    ModelPackage package = ModelPackage::open(VOXPLAIN_DEMO_MODEL);
    const Study study = testing::phantomStudy({48, 48, 48}, 11);
    ExplainRequest request;
    request.method = "integrated_gradients";
    request.params = ParameterSet::parse({"steps=64"});
    request.target = TargetSpec::parse("class=1");
    const Explanation e = explain(package, study, request);
    const double gap = e.completeness.at(0).relativeGap();
    QCOMPARE(e.record["details"]["completeness"][0]["relative_gap"].get<double>(), gap);  // the record's copy
    QVERIFY2(gap <= 0.01, qPrintable(QString("completeness gap %1").arg(gap)));
  }
  void smoothGradWithoutNoiseIsSaliency() {
    Fixture f;
    const AttributionOutput s = f.run("saliency", {});
    const AttributionOutput sg = f.run("smoothgrad", ParameterSet::parse({"samples=1", "noise=0"}));
    QVERIFY(relativeError(sg.maps[0], s.maps[0]) < 1e-6);
  }
  void quadratureRulesIntegratePolynomials() {
    for (const char* rule : {"riemann", "gausslegendre"}) {
      double weights = 0, cubic = 0;
      for (const auto& [a, w] : quadrature(8, rule)) weights += w, cubic += w * a * a * a;
      QVERIFY(std::abs(weights - 1.0) < 1e-12);
      QVERIFY(std::abs(cubic - 0.25) < (std::string(rule) == "riemann" ? 1e-2 : 1e-12));
    }
  }
  void blurKeepsAConstantInteriorConstant() {
    const torch::Tensor x = torch::full({1, 2, 20, 20, 20}, 3.0);
    const torch::Tensor b = gaussianBlur(x, 1.5);
    QCOMPARE(b.sizes().vec(), x.sizes().vec());
    QVERIFY(std::abs(b[0][1][10][10][10].item<double>() - 3.0) < 1e-5);
    QVERIFY(b[0][0][0][0][0].item<double>() < 3.0);  // zero padding at the border
  }
  void unknownParameterIsRejected() {
    Fixture f;
    QVERIFY_THROWS_EXCEPTION(InputError, f.run("saliency", ParameterSet::parse({"stepz=3"})));
    QVERIFY_THROWS_EXCEPTION(InputError, f.run("integrated_gradients", ParameterSet::parse({"steps=0"})));
    QVERIFY_THROWS_EXCEPTION(InputError, findMethod("gradcam++++"));
  }
};

QTEST_GUILESS_MAIN(TestGradientMethods)
#include "test_gradient_methods.moc"
