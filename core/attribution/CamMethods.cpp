#include "attribution/CamMethods.h"

#include "model/LayerChoice.h"

#include <torch/csrc/autograd/autograd.h>

#include <sstream>

#include "attribution/PatchMapBlender.h"
#include "task/InputError.h"

namespace voxplain {
namespace {

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream ss(list);
  for (std::string item; std::getline(ss, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

// Map of one layer for one batch row: ReLU(sum_k w_k A_k), [a, b, c] from A, g of shape [K, a, b, c].
torch::Tensor camOf(const torch::Tensor& a, const torch::Tensor& g, bool plusPlus) {
  torch::Tensor w;
  if (!plusPlus) {
    w = g.mean({1, 2, 3});
  } else {
    const torch::Tensor g2 = g * g, g3 = g2 * g;
    const torch::Tensor denominator = 2 * g2 + (a * g3).sum({1, 2, 3}, true);
    const torch::Tensor safe = torch::where(denominator != 0, denominator, torch::ones_like(denominator));
    const torch::Tensor alpha = torch::where(denominator != 0, g2 / safe, torch::zeros_like(g2));
    w = (alpha * torch::relu(g)).sum({1, 2, 3});
  }
  return torch::relu((w.view({-1, 1, 1, 1}) * a).sum(0));
}

}  // namespace

std::vector<std::string> camLayers(const ModelPackage& package, ParameterSet& params, std::string* chosenBecause) {
  const ModelManifest& m = package.manifest();
  const std::string layers = params.text("layers", "");
  const std::string group = params.text("group", "");
  if (!layers.empty() && !group.empty())
    throw InputError(InputField::Parameter, "layers", "give layers=... or group=..., not both");
  if (!layers.empty()) return split(layers);
  const std::string chosen = !group.empty() ? group : m.layerGroups.count("decoder") ? "decoder" : "";
  if (chosen.empty()) {
    const LayerChoice choice = lastBlockBeforeHead(package.module());
    if (choice.layer.empty())
      throw InputError(InputField::Parameter, "layers",
                       "name the layers (the model's layer list has them) or a layer group: " + choice.reason);
    if (chosenBecause) *chosenBecause = choice.layer + ": " + choice.reason;
    return {choice.layer};
  }
  if (!m.layerGroups.count(chosen)) {
    std::string known;
    for (const auto& [name, list] : m.layerGroups) known += (known.empty() ? "" : ", ") + name;
    throw InputError(InputField::Parameter, "group=" + chosen,
                     "the manifest has no such layer group (it has: " + (known.empty() ? "none" : known) + ")");
  }
  return m.layerGroups.at(chosen);
}

AttributionOutput GradCamMethod::run(AttributionContext& context, ParameterSet& params) {
  std::string chosenBecause;
  const std::vector<std::string> layers = camLayers(context.package, params, &chosenBecause);
  params.rejectUnused(plusPlus_ ? "gradcam++" : "gradcam");
  const TappedForward taps(context.package.module(), layers);
  PatchMapBlender blender(context, layers.size());
  const std::vector<std::size_t>& patches = blender.patches();
  const std::size_t regions = context.regions.size();
  const std::size_t batch = std::size_t(std::max(1, context.window.gradientBatch.size));
  for (std::size_t begin = 0; begin < patches.size(); begin += batch) {
    context.control.step(double(begin) / double(std::max<std::size_t>(patches.size(), 1)),
                         "CAM patch " + std::to_string(begin + 1) + "/" + std::to_string(patches.size()));
    const std::size_t end = std::min(begin + batch, patches.size());
    // The input requires grad only so that the taps are part of an autograd graph.
    const torch::Tensor xb =
        blender.inputBatch(begin, end, context.device, context.window.gradientBatch).set_requires_grad(true);
    const TappedForward::Result out = taps.run(xb);
    const torch::Tensor scored = scoredChannel(out.output, context.channel, context.probability);
    for (std::size_t r = 0; r < regions; ++r) {
      torch::Tensor score = torch::zeros({}, scored.options());
      for (std::size_t i = begin; i < end; ++i)
        score = score + (scored[std::int64_t(i - begin)] * blender.targetShare(r, patches[i]).to(context.device)).sum();
      const std::vector<torch::Tensor> grads =
          torch::autograd::grad({score}, out.activations, {}, /*retain_graph=*/r + 1 < regions);
      for (std::size_t l = 0; l < layers.size(); ++l)
        for (std::size_t i = begin; i < end; ++i) {
          const std::int64_t row = std::int64_t(i - begin);
          blender.add(r, l, patches[i],
                      camOf(out.activations[l][row].detach().to(torch::kFloat32), grads[l][row].to(torch::kFloat32),
                            plusPlus_));
        }
    }
  }
  context.control.step(1.0, "CAM done");
  AttributionOutput result;
  result.passes = patches.size();
  result.details["layers"] = layers;
  if (!chosenBecause.empty()) result.details["layer_choice"] = chosenBecause;
  result.details["note"] = "CAM maps are not modality-specific: every modality gets the same map";
  result.maps = blender.maps(PatchMapBlender::Combine::NormalisedMean);
  return result;
}

}  // namespace voxplain
