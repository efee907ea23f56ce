// Layer taps on scripted and traced models equal PyTorch's forward hooks, and one
// torch::autograd::grad call gives input and tap gradients equal to PyTorch's.
#include <QtTest>

#include <fstream>

#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/jit/passes/inliner.h>

#include "model/LayerTaps.h"
#include "task/InputError.h"

using namespace voxplain;

namespace {
const std::string kDir = VOXPLAIN_REFERENCE_NETWORKS;

double relativeError(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).norm().item<double>() / std::max(b.norm().item<double>(), 1e-12);
}

std::vector<std::string> layersOf(const std::string& net) {
  std::ifstream in(kDir + "/" + net + "_layers.txt");
  std::vector<std::string> layers;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) layers.push_back(line);
  return layers;
}

torch::jit::Module loadFrozen(const std::string& file) {
  torch::jit::Module m = torch::jit::load(file);
  m.eval();
  for (auto p : m.parameters()) p.set_requires_grad(false);
  return m;
}
}  // namespace

class TestLayerTaps : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void tapsEqualPyTorchHooks_data() {
    QTest::addColumn<QString>("net");
    QTest::addColumn<QString>("kind");
    for (const char* net : {"demo", "monai"})
      for (const char* kind : {"scripted", "traced"})
        QTest::newRow((std::string(net) + "_" + kind).c_str()) << QString(net) << QString(kind);
  }
  void tapsEqualPyTorchHooks() {
    QFETCH(QString, net);
    QFETCH(QString, kind);
    torch::jit::Module model = loadFrozen(kDir + "/" + net.toStdString() + "_" + kind.toStdString() + ".pt");
    torch::jit::Module refs = torch::jit::load(kDir + "/" + net.toStdString() + "_refs.pt");
    const std::vector<std::string> layers = layersOf(net.toStdString());
    TappedForward taps(model, layers);
    QCOMPARE(taps.tappedLayers().size(), layers.size());

    QVERIFY2(refs.attr("grad_input").toTensor().abs().max().item<double>() > 0, "degenerate reference: zero gradient");
    const torch::Tensor x = refs.attr("input").toTensor().clone().requires_grad_(true);
    const TappedForward::Result r = taps.run(x);
    // Logits are those of the untouched forward, bit for bit.
    QVERIFY(torch::equal(r.output, refs.attr("logits").toTensor()));
    const torch::Tensor score = r.output.select(1, 1).masked_select(r.output.argmax(1) == 1).sum();
    std::vector<torch::Tensor> wrt{x};
    for (const auto& a : r.activations) wrt.push_back(a);
    const std::vector<torch::Tensor> grads = torch::autograd::grad({score}, wrt);
    QVERIFY2(relativeError(grads[0], refs.attr("grad_input").toTensor()) <= 1e-4, "input gradient");
    for (std::size_t i = 0; i < layers.size(); ++i) {
      const std::string k = std::to_string(i);
      QVERIFY2(relativeError(r.activations[i], refs.attr("act" + k).toTensor()) <= 1e-6, layers[i].c_str());
      QVERIFY2(relativeError(grads[i + 1], refs.attr("grad" + k).toTensor()) <= 1e-4, layers[i].c_str());
    }
  }
  void unknownLayerIsAnErrorNamingIt() {
    torch::jit::Module model = loadFrozen(kDir + "/demo_scripted.pt");
    try {
      TappedForward taps(model, {"enc9"});
      QFAIL("no error");
    } catch (const InputError& e) {
      QVERIFY(QString(e.what()).contains("enc9"));
    }
  }
  void frozenModelExplainsWhyTapsFail() {
    torch::jit::Module model = loadFrozen(kDir + "/demo_scripted.pt");
    // A graph with its submodule calls inlined behaves like a frozen export.
    torch::jit::Module inlined = model.clone();
    auto graph = torch::jit::toGraphFunction(inlined.get_method("forward").function()).graph();
    torch::jit::Inline(*graph);
    try {
      TappedForward taps(inlined, {"enc2"});
      QFAIL("no error");
    } catch (const InputError& e) {
      QVERIFY2(QString(e.what()).contains("frozen"), e.what());
    }
  }
  void relaxedModeSkipsUntappableLayers() {
    torch::jit::Module model = loadFrozen(kDir + "/demo_traced.pt");
    TappedForward taps(model, {"enc2", "nope"}, /*relaxed=*/true);
    QCOMPARE(taps.tappedLayers(), std::vector<std::string>{"enc2"});
  }
};

QTEST_APPLESS_MAIN(TestLayerTaps)
#include "test_layer_taps.moc"
