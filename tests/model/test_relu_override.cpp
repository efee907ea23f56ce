// ReLU backward overrides: Guided Backprop and DeepLift (Rescale) input gradients equal an
// independent PyTorch implementation; the forward is unchanged; models without ReLU are refused.
#include <QtTest>

#include <torch/csrc/autograd/autograd.h>

#include "model/LayerTaps.h"
#include "model/ReluOverride.h"
#include "task/InputError.h"

using namespace voxplain;

namespace {
const std::string kDir = VOXPLAIN_REFERENCE_NETWORKS;
double relativeError(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).norm().item<double>() / std::max(b.norm().item<double>(), 1e-12);
}
torch::jit::Module loadFrozen(const std::string& file) {
  torch::jit::Module m = torch::jit::load(file);
  m.eval();
  for (auto p : m.parameters()) p.set_requires_grad(false);
  return m;
}
torch::Tensor classOneScore(const torch::Tensor& logits) {
  return logits.select(1, 1).masked_select(logits.argmax(1) == 1).sum();
}
}  // namespace

class TestReluOverride : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void guidedBackpropEqualsReference_data() {
    QTest::addColumn<QString>("kind");
    QTest::newRow("scripted") << "scripted";
    QTest::newRow("traced") << "traced";
  }
  void guidedBackpropEqualsReference() {
    QFETCH(QString, kind);
    torch::jit::Module model = loadFrozen(kDir + "/demo_" + kind.toStdString() + ".pt");
    torch::jit::Module refs = torch::jit::load(kDir + "/demo_refs.pt");
    TappedForward forward(model, {});
    const ReluOverrideReport report = applyReluOverride(*forward.graph(), ReluOverrideMode::GuidedBackprop, "demo");
    forward.setGraph(forward.graph());
    QCOMPARE(report.replaced, std::size_t(10));
    const torch::Tensor x = refs.attr("input").toTensor().clone().requires_grad_(true);
    const torch::Tensor logits = forward.run(x).output;
    QVERIFY(torch::allclose(logits, refs.attr("logits").toTensor(), 1e-6, 1e-6));  // forward unchanged
    const torch::Tensor g = torch::autograd::grad({classOneScore(logits)}, {x})[0];
    QVERIFY2(relativeError(g, refs.attr("guided_grad").toTensor()) <= 1e-4, "guided gradient");
    QVERIFY(relativeError(g, refs.attr("grad_input").toTensor()) > 1e-2);  // and it differs from the plain one
  }
  void deepLiftRescaleEqualsReference() {
    torch::jit::Module model = loadFrozen(kDir + "/demo_scripted.pt");
    torch::jit::Module refs = torch::jit::load(kDir + "/demo_refs.pt");
    TappedForward forward(model, {});
    applyReluOverride(*forward.graph(), ReluOverrideMode::DeepLiftRescale, "demo");
    forward.setGraph(forward.graph());
    const torch::Tensor x = refs.attr("input").toTensor();
    const torch::Tensor both = torch::cat({x, torch::zeros_like(x)}).requires_grad_(true);
    const torch::Tensor logits = forward.run(both).output.narrow(0, 0, 1);
    const torch::Tensor g = torch::autograd::grad({classOneScore(logits)}, {both})[0].narrow(0, 0, 1);
    QVERIFY2(relativeError(g, refs.attr("deeplift_grad").toTensor()) <= 1e-4, "DeepLift multipliers");
  }
  void modelWithoutReluIsRefusedNamingItsActivation() {
    torch::jit::Module model = loadFrozen(kDir + "/monai_scripted.pt");
    TappedForward forward(model, {});
    try {
      applyReluOverride(*forward.graph(), ReluOverrideMode::GuidedBackprop, "monai_scripted.pt");
      QFAIL("accepted");
    } catch (const InputError& e) {
      QVERIFY2(QString(e.what()).contains("aten::prelu"), e.what());
    }
  }
};

QTEST_APPLESS_MAIN(TestReluOverride)
#include "test_relu_override.moc"
