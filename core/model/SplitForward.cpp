#include "model/SplitForward.h"

#include <torch/csrc/jit/api/function_impl.h>
#include <torch/csrc/jit/ir/ir.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>

#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "model/LayerTaps.h"
#include "task/InputError.h"

namespace voxplain {
namespace jit = torch::jit;
namespace {

// A value identified independently of the graph copy it lives in.
struct ValueRef {
  bool graphInput = false;
  std::size_t node = 0;  // top-level node position, or graph input index
  std::size_t offset = 0;
};

std::vector<jit::Node*> topLevelNodes(jit::Graph& graph) {
  std::vector<jit::Node*> nodes;
  for (jit::Node* n : graph.nodes()) nodes.push_back(n);
  return nodes;
}

jit::Value* resolve(jit::Graph& graph, const std::vector<jit::Node*>& nodes, const ValueRef& ref) {
  return ref.graphInput ? graph.inputs()[ref.node] : nodes[ref.node]->outputs()[ref.offset];
}

// Tensors (and lists of tensors) of the head's batch are repeated to the tail's batch.
c10::IValue repeatBatch(const c10::IValue& value, std::int64_t batch, std::int64_t times) {
  if (times == 1) return value;
  if (value.isTensor()) {
    const torch::Tensor t = value.toTensor();
    if (t.dim() > 0 && t.size(0) == batch) {
      std::vector<std::int64_t> reps(std::size_t(t.dim()), 1);
      reps[0] = times;
      return t.repeat(reps);
    }
    return value;
  }
  if (value.isTensorList()) {
    c10::List<torch::Tensor> out;
    for (const torch::Tensor& t : value.toTensorVector()) out.push_back(repeatBatch(t, batch, times).toTensor());
    return out;
  }
  return value;
}

// Removes top-level nodes in [first, last] (walking backwards) whose outputs nobody uses.
// EliminateDeadCode alone keeps prim::CallMethod nodes (calls count as side effects), so the
// halves would still run the whole network.
void removeUnused(jit::Graph& graph, std::size_t first, std::size_t last) {
  std::vector<jit::Node*> nodes = topLevelNodes(graph);
  for (std::size_t i = last + 1; i-- > first;) {
    jit::Node* n = nodes[i];
    bool used = false;
    for (jit::Value* out : n->outputs()) used = used || out->hasUses();
    if (!used) n->destroy();
  }
}

}  // namespace

SplitForward::SplitForward(const torch::jit::Module& module, const std::string& layer)
    : module_(module), layer_(layer) {
  std::shared_ptr<jit::Graph> graph = jit::toGraphFunction(module_.get_method("forward").function()).graph()->copy();
  std::string reason;
  jit::Node* call = locateLayerCall(*graph, submodulePaths(module_), layer, reason);
  if (!call) throw InputError("layer '" + layer + "'", reason);

  const std::vector<jit::Node*> nodes = topLevelNodes(*graph);
  std::unordered_map<const jit::Node*, std::size_t> position;
  for (std::size_t i = 0; i < nodes.size(); ++i) position[nodes[i]] = i;
  const std::size_t cut = position.at(call);

  std::vector<ValueRef> carried;
  std::unordered_set<const jit::Value*> seen;
  auto consider = [&](jit::Value* v) {
    if (v == graph->inputs()[0] || seen.count(v)) return;
    if (v->type()->kind() == c10::TypeKind::ClassType) return;  // modules come from self in the tail
    ValueRef ref;
    if (v->node()->kind() == c10::prim::Param) {
      ref.graphInput = true;
      ref.node = v->offset();
    } else {
      const auto it = position.find(v->node());
      if (it == position.end() || it->second > cut) return;  // local to a block, or defined after the cut
      ref.node = it->second;
      ref.offset = v->offset();
    }
    seen.insert(v);
    carried.push_back(ref);
  };
  // The layer's output first, then everything else the second half reads.
  consider(call->output(0));
  std::function<void(jit::Block*)> visit = [&](jit::Block* block) {
    for (jit::Node* n : block->nodes()) {
      for (jit::Value* in : n->inputs()) consider(in);
      for (jit::Block* sub : n->blocks()) visit(sub);
    }
    for (jit::Value* in : block->return_node()->inputs()) consider(in);
  };
  for (std::size_t i = cut + 1; i < nodes.size(); ++i) {
    for (jit::Value* in : nodes[i]->inputs()) consider(in);
    for (jit::Block* sub : nodes[i]->blocks()) visit(sub);
  }
  for (jit::Value* in : graph->return_node()->inputs()) consider(in);
  activationSlot_ = 0;

  // Head: the carried values as one tuple.
  std::shared_ptr<jit::Graph> head = graph->copy();
  {
    const std::vector<jit::Node*> h = topLevelNodes(*head);
    std::vector<jit::Value*> outs;
    for (const ValueRef& ref : carried) outs.push_back(resolve(*head, h, ref));
    while (!head->outputs().empty()) head->eraseOutput(head->outputs().size() - 1);
    jit::Node* tuple = head->createTuple(outs);
    head->appendNode(tuple);
    head->registerOutput(tuple->output());
    removeUnused(*head, cut + 1, h.size() - 1);
    jit::EliminateDeadCode(head);
  }
  // Tail: carried values become inputs after (self, x).
  std::shared_ptr<jit::Graph> tail = graph->copy();
  {
    const std::vector<jit::Node*> t = topLevelNodes(*tail);
    const jit::Node* cutNode = t[cut];
    std::vector<std::pair<jit::Value*, jit::Value*>> replace;
    for (const ValueRef& ref : carried) {
      jit::Value* v = resolve(*tail, t, ref);
      jit::Value* in = tail->addInput();
      in->setType(v->type());
      replace.push_back({v, in});
    }
    for (auto& [v, in] : replace) {
      v->replaceAllUsesAfterNodeWith(cutNode, in);
      // A use by the graph's return is not "after" a node in every version: rewire it explicitly.
      for (std::size_t i = 0; i < tail->outputs().size(); ++i)
        if (tail->outputs()[i] == v) tail->return_node()->replaceInput(i, in);
    }
    removeUnused(*tail, 0, cut);
    jit::EliminateDeadCode(tail);
  }
  head_ = std::make_unique<jit::GraphFunction>(c10::QualifiedName("voxplain.split_head"), head, nullptr);
  tail_ = std::make_unique<jit::GraphFunction>(c10::QualifiedName("voxplain.split_tail"), tail, nullptr);
}

SplitForward::~SplitForward() = default;

SplitForward::Head SplitForward::Head::firstRows(std::int64_t rows) const {
  const std::int64_t batch = activation.size(0);
  if (rows >= batch) return *this;
  auto cut = [&](const c10::IValue& v) -> c10::IValue {
    if (v.isTensor() && v.toTensor().dim() > 0 && v.toTensor().size(0) == batch) return v.toTensor().slice(0, 0, rows);
    if (v.isTensorList()) {
      c10::List<torch::Tensor> out;
      for (const torch::Tensor& t : v.toTensorVector())
        out.push_back(t.dim() > 0 && t.size(0) == batch ? t.slice(0, 0, rows) : t);
      return out;
    }
    return v;
  };
  Head h;
  h.input = input.slice(0, 0, rows);
  for (const c10::IValue& v : carried) h.carried.push_back(cut(v));
  h.activation = activation.slice(0, 0, rows);
  return h;
}

SplitForward::Head SplitForward::head(const torch::Tensor& input) const {
  std::vector<c10::IValue> stack{module_._ivalue(), input};
  const c10::IValue out = (*head_)(std::move(stack));
  Head h;
  h.input = input;
  for (const c10::IValue& v : out.toTupleRef().elements()) h.carried.push_back(v);
  h.activation = h.carried[activationSlot_].toTensor();
  return h;
}

torch::Tensor SplitForward::tail(const Head& head, const torch::Tensor& activations) const {
  const std::int64_t batch = head.activation.size(0);
  if (activations.size(0) % batch != 0)
    throw std::invalid_argument("SplitForward::tail: batch is not a multiple of the head's");
  const std::int64_t times = activations.size(0) / batch;
  std::vector<c10::IValue> stack{module_._ivalue(), head.input};  // unused unless carried
  for (std::size_t i = 0; i < head.carried.size(); ++i)
    stack.push_back(i == activationSlot_ ? c10::IValue(activations) : repeatBatch(head.carried[i], batch, times));
  return (*tail_)(std::move(stack)).toTensor();
}

}  // namespace voxplain
