#include "model/ReluOverride.h"

#include <torch/csrc/autograd/custom_function.h>
#include <torch/csrc/jit/ir/ir.h>
#include <torch/csrc/jit/passes/inliner.h>
#include <torch/library.h>

#include <algorithm>
#include <set>

#include "task/InputError.h"

namespace voxplain {
namespace {
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

struct GuidedReluFunction : public torch::autograd::Function<GuidedReluFunction> {
  static torch::Tensor forward(AutogradContext* ctx, torch::Tensor x) {
    torch::Tensor y = x.clamp_min(0);
    ctx->save_for_backward({x});
    return y;
  }
  static variable_list backward(AutogradContext* ctx, variable_list grad) {
    const torch::Tensor x = ctx->get_saved_variables()[0];
    return {grad[0].clamp_min(0) * (x > 0).to(grad[0].scalar_type())};
  }
};

struct DeepLiftReluFunction : public torch::autograd::Function<DeepLiftReluFunction> {
  static torch::Tensor forward(AutogradContext* ctx, torch::Tensor x) {
    ctx->save_for_backward({x});
    return x.clamp_min(0);
  }
  static variable_list backward(AutogradContext* ctx, variable_list grad) {
    const torch::Tensor x = ctx->get_saved_variables()[0];
    const std::int64_t n = x.size(0) / 2;
    TORCH_CHECK(n > 0 && x.size(0) == 2 * n, "DeepLift needs the batch as [inputs; baselines] in two equal halves");
    const torch::Tensor input = x.narrow(0, 0, n), reference = x.narrow(0, n, n);
    const torch::Tensor dx = input - reference;
    const torch::Tensor dy = input.clamp_min(0) - reference.clamp_min(0);
    const torch::Tensor derivative = (input > 0).to(x.scalar_type());
    const torch::Tensor multiplier =
        torch::where(dx.abs() > 1e-7, dy / torch::where(dx.abs() > 1e-7, dx, torch::ones_like(dx)), derivative);
    return {grad[0] * torch::cat({multiplier, multiplier}, 0)};
  }
};

torch::Tensor guidedRelu(const torch::Tensor& x) {
  return GuidedReluFunction::apply(x);
}
torch::Tensor deepliftRelu(const torch::Tensor& x) {
  return DeepLiftReluFunction::apply(x);
}

}  // namespace
}  // namespace voxplain

TORCH_LIBRARY(voxplain, m) {
  m.def("guided_relu(Tensor x) -> Tensor");
  m.def("deeplift_relu(Tensor x) -> Tensor");
}
TORCH_LIBRARY_IMPL(voxplain, CompositeImplicitAutograd, m) {
  m.impl("guided_relu", voxplain::guidedRelu);
  m.impl("deeplift_relu", voxplain::deepliftRelu);
}

namespace voxplain {

ReluOverrideReport applyReluOverride(torch::jit::Graph& graph, ReluOverrideMode mode, const std::string& modelName) {
  torch::jit::Inline(graph);
  const c10::Symbol replacement = c10::Symbol::fromQualString(
      mode == ReluOverrideMode::GuidedBackprop ? "voxplain::guided_relu" : "voxplain::deeplift_relu");
  static const std::set<std::string> kOther = {"aten::prelu",    "aten::leaky_relu", "aten::leaky_relu_", "aten::elu",
                                               "aten::elu_",     "aten::gelu",       "aten::selu",        "aten::silu",
                                               "aten::sigmoid",  "aten::tanh",       "aten::hardtanh",    "aten::relu6",
                                               "aten::softplus", "aten::mish"};
  ReluOverrideReport report;
  std::set<std::string> others;
  std::vector<torch::jit::Node*> relus;
  std::function<void(torch::jit::Block*)> visit = [&](torch::jit::Block* block) {
    for (torch::jit::Node* node : block->nodes()) {
      const std::string kind = node->kind().toQualString();
      if (kind == "aten::relu" || kind == "aten::relu_")
        relus.push_back(node);
      else if (kOther.count(kind))
        others.insert(kind);
      for (torch::jit::Block* sub : node->blocks()) visit(sub);
    }
  };
  visit(graph.block());
  for (torch::jit::Node* node : relus) {
    torch::jit::WithInsertPoint guard(node);
    torch::jit::Node* op = graph.create(replacement, {node->input(0)});
    op->output()->setType(node->output()->type());
    graph.insertNode(op);
    node->output()->replaceAllUsesWith(op->output());
    node->destroy();
  }
  report.replaced = relus.size();
  report.otherActivations.assign(others.begin(), others.end());
  if (report.replaced == 0) {
    std::string found;
    for (const auto& o : report.otherActivations) found += (found.empty() ? "" : ", ") + o;
    throw InputError(modelName,
                     std::string(mode == ReluOverrideMode::GuidedBackprop ? "Guided Backprop" : "DeepLift") +
                         " needs ReLU activations, and this model has none" +
                         (found.empty() ? std::string() : " (it uses " + found + ")") +
                         ": its result would equal plain gradients. Use Saliency or Integrated Gradients instead.");
  }
  return report;
}

}  // namespace voxplain
