#include "model/LayerTaps.h"

#include <torch/csrc/jit/api/function_impl.h>
#include <torch/csrc/jit/ir/ir.h>
#include <torch/csrc/jit/runtime/graph_executor.h>

#include <algorithm>
#include <functional>
#include <optional>

#include "task/InputError.h"

namespace voxplain {
namespace jit = torch::jit;
namespace {

// Dotted module path of a value produced by a chain of prim::GetAttr from the graph's self input;
// nullopt when the chain does not start at self.
std::optional<std::string> modulePath(jit::Value* value, jit::Value* self) {
  std::vector<std::string> parts;
  while (value != self) {
    jit::Node* node = value->node();
    if (node->kind() != c10::prim::GetAttr) return std::nullopt;
    parts.push_back(node->s(c10::attr::name));
    value = node->input(0);
  }
  std::string path;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) path += (path.empty() ? "" : ".") + *it;
  return path;
}

bool isPrefixPath(const std::string& prefix, const std::string& path) {
  return path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0 && path[prefix.size()] == '.';
}

// One search step over the top-level block: the call of `path` itself, or a call of one of its
// ancestors (to be inlined), or null.
jit::Node* findCall(jit::Graph& graph, const std::string& path, bool& isAncestor) {
  jit::Value* self = graph.inputs()[0];
  for (jit::Node* node : graph.nodes()) {
    if (node->kind() != c10::prim::CallMethod || node->s(c10::attr::name) != "forward") continue;
    const auto p = modulePath(node->input(0), self);
    if (!p) continue;
    if (*p == path) {
      isAncestor = false;
      return node;
    }
    if (isPrefixPath(*p, path)) {
      isAncestor = true;
      return node;
    }
  }
  return nullptr;
}

void inlineOneLevel(jit::Node* call) {
  auto classType = call->input(0)->type()->expect<c10::ClassType>();
  jit::GraphFunction& callee = jit::toGraphFunction(classType->getMethod("forward"));
  jit::inlineCallTo(call, &callee, callee.graph().get());
}

bool calledInsideBlocks(jit::Graph& graph, const std::string& path) {
  jit::Value* self = graph.inputs()[0];
  std::function<bool(jit::Block*)> search = [&](jit::Block* block) {
    for (jit::Node* node : block->nodes()) {
      for (jit::Block* sub : node->blocks()) {
        for (jit::Node* inner : sub->nodes())
          if (inner->kind() == c10::prim::CallMethod) {
            const auto p = modulePath(inner->input(0), self);
            if (p && (*p == path || isPrefixPath(*p, path))) return true;
          }
        if (search(sub)) return true;
      }
    }
    return false;
  };
  return search(graph.block());
}

}  // namespace

jit::Node* locateLayerCall(jit::Graph& graph, const std::vector<std::string>& known, const std::string& layer,
                           std::string& reason) {
  if (std::find(known.begin(), known.end(), layer) == known.end()) {
    reason = "no submodule with this name (the model's layer list names them)";
    return nullptr;
  }
  for (int depth = 0; depth < 64; ++depth) {
    bool ancestor = false;
    jit::Node* found = findCall(graph, layer, ancestor);
    if (!found) break;
    if (!ancestor) return found;
    inlineOneLevel(found);
  }
  if (calledInsideBlocks(graph, layer))
    reason = "is called inside a loop or branch of forward(); tap its parent or a block called directly";
  else
    reason =
        "is never called as a module in forward() (a frozen or optimize_for_inference export loses submodule "
        "calls: export with torch.jit.script or torch.jit.trace and save, without freezing)";
  return nullptr;
}

std::vector<std::string> submodulePaths(const torch::jit::Module& module) {
  std::vector<std::string> out;
  for (const auto& m : module.named_modules())
    if (!m.name.empty()) out.push_back(m.name);
  return out;
}

TappedForward::TappedForward(const torch::jit::Module& module, const std::vector<std::string>& layers, bool relaxed)
    : module_(module) {
  graph_ = jit::toGraphFunction(module_.get_method("forward").function()).graph()->copy();
  if (graph_->outputs().size() != 1) throw InputError("model", "forward() must return one value");
  const std::vector<std::string> known = submodulePaths(module_);

  // Taps are registered as graph outputs right away: inlining a parent later rewires their uses.
  // Shallow paths go first, so that "dec1" is tapped before "dec1.conv2" inlines its call.
  std::vector<std::size_t> order(layers.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::count(layers[a].begin(), layers[a].end(), '.') < std::count(layers[b].begin(), layers[b].end(), '.');
  });
  std::vector<std::size_t> outputIndex(layers.size(), 0);  // 0: not tapped
  for (std::size_t i : order) {
    const std::string& layer = layers[i];
    auto fail = [&](const std::string& reason) {
      if (!relaxed) throw InputError("layer '" + layer + "'", reason);
    };
    std::string reason;
    jit::Node* call = locateLayerCall(*graph_, known, layer, reason);
    if (!call) {
      fail(reason);
      continue;
    }
    outputIndex[i] = graph_->registerOutput(call->output(0));
  }
  // Pack (output, taps in the order asked for) into one tuple so the function returns one value.
  std::vector<jit::Value*> all{graph_->outputs()[0]};
  for (std::size_t i = 0; i < layers.size(); ++i)
    if (outputIndex[i] > 0) {
      all.push_back(graph_->outputs()[outputIndex[i]]);
      tapped_.push_back(layers[i]);
    }
  // Pack (output, taps...) into one tuple so the function returns a single value.
  while (!graph_->outputs().empty()) graph_->eraseOutput(graph_->outputs().size() - 1);
  jit::Node* tuple = graph_->createTuple(all);
  graph_->appendNode(tuple);
  graph_->registerOutput(tuple->output());
  setGraph(graph_);
  plain_ = layers.empty();
}

void TappedForward::setGraph(std::shared_ptr<torch::jit::Graph> graph) {
  plain_ = false;  // a pass (ReLU override) rewrote it
  graph_ = std::move(graph);
  function_ = std::make_unique<jit::GraphFunction>(c10::QualifiedName("voxplain.tapped_forward"), graph_, nullptr);
}

TappedForward::Result TappedForward::run(const torch::Tensor& input) const {
  if (plain_) {
    // No taps and no rewritten graph: the module's own forward, whose executor the prediction has
    // already warmed up (a new graph's first run is TorchScript's slower profiling run).
    c10::IValue out = module_.get_method("forward")({input});
    if (out.isTuple()) out = out.toTupleRef().elements()[0];
    if (out.isTensorList()) out = out.toTensorList().get(0);
    return {out.toTensor(), {}};
  }
  std::vector<c10::IValue> stack{module_._ivalue(), input};
  // A rewritten graph runs as written: TorchScript's profiling executor would spend its first run
  // profiling and then optimising a graph that a method often runs only once or twice.
  torch::jit::GraphOptimizerEnabledGuard asWritten(false);
  const c10::IValue out = (*function_)(std::move(stack));
  const auto elements = out.toTupleRef().elements();
  Result r;
  r.output = elements[0].toTensor();
  for (std::size_t i = 1; i < elements.size(); ++i)
    r.activations.push_back(elements[i].isTensor() ? elements[i].toTensor() : torch::Tensor());
  return r;
}

}  // namespace voxplain
