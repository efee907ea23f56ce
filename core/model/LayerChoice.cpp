#include "model/LayerChoice.h"

#include <vector>

namespace voxplain {
namespace {

std::string typeName(const torch::jit::Module& m) {
  const auto name = m.type()->name();
  return name ? name->name() : std::string();
}

bool isConvolution(const torch::jit::Module& m) {
  return typeName(m).rfind("Conv", 0) == 0;
}

bool holdsConvolution(const torch::jit::Module& m) {
  if (isConvolution(m)) return true;
  for (const auto& child : m.modules())
    if (isConvolution(child)) return true;
  return false;
}

std::string joined(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : prefix + "." + name;
}

/// A ModuleList is never called as a module: its last convolution-holding element stands for it.
std::string callable(const torch::jit::Module& m, const std::string& path) {
  if (typeName(m) != "ModuleList") return path;
  std::string last;
  for (const auto& child : m.named_children())
    if (holdsConvolution(child.value)) last = callable(child.value, joined(path, child.name));
  return last.empty() ? path : last;
}

}  // namespace

LayerChoice lastBlockBeforeHead(const torch::jit::Module& module) {
  std::string head;
  for (const auto& m : module.named_modules())
    if (!m.name.empty() && isConvolution(m.value)) head = m.name;
  if (head.empty()) return {"", "the network has no convolution submodule to explain"};
  const std::string reason = "the last block before the output convolution " + head +
                             " (as pytorch-grad-cam advises for segmentation; name another with --param layers=...)";
  torch::jit::Module current = module;
  std::string prefix, before;  // before: the block before the one that holds the head, one level up
  while (true) {
    std::vector<torch::jit::NameModule> blocks;
    for (const auto& child : current.named_children())
      if (holdsConvolution(child.value)) blocks.push_back(child);
    if (blocks.empty()) break;
    const torch::jit::NameModule& last = blocks.back();
    const std::string lastPath = joined(prefix, last.name);
    if (blocks.size() >= 2)
      before = callable(blocks[blocks.size() - 2].value, joined(prefix, blocks[blocks.size() - 2].name));
    if (lastPath == head) break;
    current = last.value;  // the head is inside the last block: look among its children
    prefix = lastPath;
  }
  if (!before.empty()) return {before, reason};
  return {"", "no block stands before the output convolution " + head};
}

}  // namespace voxplain
