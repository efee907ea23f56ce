// Kernel-weighted contribution (KWC), seed paper 000: Mullan et al., "Kernel-weighted contribution:
// a method of visual attribution for 3D deep learning segmentation in medical imaging", J Med
// Imaging 10(5) 054001 (2023); public code Mullans/AttributionQuality,
// attribution_quality/kernel_weighted.py. No gradients. Per layer with K channels, activations A:
//   y = the model's probabilities, T(y) = p_c(y) x target (>= 0), Y = sum_v T(y);
//   dependent   D_k = sum_v [T(y) - min(T(y_-k), T(y))]  (y_-k: channel k of A zeroed)
//   independent I_k = sum_v min(T(y_k), T(y))             (y_k: only channel k of A kept)
//   w_k = D_k I_k / Y,  map = sum_k w_k |A_k| / max|A|  (no ReLU), resized to the input.
// The 2K variants are partial passes: the network is cut at the layer (model/SplitForward.h) and
// only the rest runs again, in batches. Through sliding windows the target of each patch is its
// share T w_p / sum w (PatchMapBlender), the per-patch maps are blended; maps of several layers are
// summed (design.md section 5). The score is always the probability (T must be >= 0).
#include "attribution/CamMethods.h"
#include "attribution/PatchMapBlender.h"
#include "model/SplitForward.h"

namespace voxplain {

AttributionOutput KwcMethod::run(AttributionContext& context, ParameterSet& params) {
  std::string chosenBecause;
  const std::vector<std::string> layers = camLayers(context.package, params, &chosenBecause);
  // Variants per tail pass: the measured cheapest forward batch (model/BatchProfile.h).
  const int variantBatch = params.integer("variant_batch", std::max(1, context.window.forwardBatch.size), 1, 4096);
  params.rejectUnused("kwc");
  const ModelManifest& manifest = context.package.manifest();
  PatchMapBlender blender(context, layers.size());
  const std::vector<std::size_t>& patches = blender.patches();
  const std::size_t regions = context.regions.size();
  torch::NoGradGuard noGrad;
  auto probability = [&](const torch::Tensor& logits) {
    const torch::Tensor l = logits.to(torch::kFloat32);
    return (manifest.activation == "sigmoid" ? torch::sigmoid(l) : torch::softmax(l, 1)).select(1, context.channel);
  };
  const bool zyx = manifest.layout == "NCZYX";
  std::size_t partialPasses = 0;
  nlohmann::json weights = nlohmann::json::array();
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const SplitForward split(context.package.module(), layers[l]);
    // Heads run on batches of patches; each variant is applied to the whole batch, so a tail batch
    // holds V variants x B patches (SplitForward::tail repeats the carried values in blocks of B).
    const std::size_t batch = std::size_t(std::max(1, context.window.forwardBatch.size));
    for (std::size_t begin = 0; begin < patches.size(); begin += batch) {
      context.control.step(
          (double(l) + double(begin) / double(patches.size())) / double(layers.size()),
          "KWC " + layers[l] + " patch " + std::to_string(begin + 1) + "/" + std::to_string(patches.size()));
      const std::size_t end = std::min(begin + batch, patches.size());
      const std::int64_t b = std::int64_t(end - begin);
      torch::Tensor xb = blender.inputBatch(begin, end, context.device, context.window.forwardBatch);
      if (zyx) xb = xb.permute({0, 1, 4, 3, 2});
      // A head run on a padded batch keeps its real rows only: the variants multiply them.
      const SplitForward::Head head = split.head(xb).firstRows(b);
      const torch::Tensor a = head.activation;  // [B, K, ...]
      const std::int64_t k = a.size(1);
      auto outputOf = [&](const torch::Tensor& activations) {
        torch::Tensor p = probability(split.tail(head, activations));
        return zyx ? p.permute({0, 3, 2, 1}) : p;  // [N, px, py, pz]
      };
      // Variants 0..K-1: channel k zeroed; K..2K-1: only channel k kept; 2K: unchanged (y itself).
      // A chunk with fewer rows than the forward pass's minimum gets extra unchanged variants.
      const torch::Tensor eye = torch::eye(k, a.options()).view({k, 1, k, 1, 1, 1});
      const std::int64_t perChunk = std::max<std::int64_t>(1, variantBatch / b);
      std::vector<torch::Tensor> outputs;
      for (std::int64_t v0 = 0; v0 <= 2 * k; v0 += perChunk) {
        const std::int64_t v1 = std::min<std::int64_t>(v0 + perChunk, 2 * k + 1);
        std::vector<torch::Tensor> rows;
        for (std::int64_t v = v0; v < v1; ++v)
          rows.push_back(v < k ? a * (1 - eye[v]) : v < 2 * k ? a * eye[v - k] : a);
        std::int64_t extra = 0;
        while ((v1 - v0 + extra) * b < context.window.forwardBatch.rowsFor((v1 - v0) * b)) rows.push_back(a), ++extra;
        const torch::Tensor out = outputOf(torch::cat(rows, 0)).to(torch::kCPU);
        outputs.push_back(out.slice(0, 0, (v1 - v0) * b).view({v1 - v0, b, out.size(1), out.size(2), out.size(3)}));
        context.control.checkpoint();
      }
      partialPasses += std::size_t(b * (2 * k + 1));
      const torch::Tensor all = torch::cat(outputs, 0);  // [2K + 1, B, px, py, pz]
      const torch::Tensor variants = all.slice(0, 0, 2 * k);
      const torch::Tensor y = all[2 * k];  // [B, ...]
      for (std::int64_t row = 0; row < b; ++row) {
        const std::size_t patch = patches[begin + std::size_t(row)];
        const torch::Tensor absA = a[row].abs().to(torch::kFloat32);
        const double peak = absA.max().item<double>();
        const torch::Tensor t = y[row];
        for (std::size_t r = 0; r < regions; ++r) {
          const torch::Tensor share = blender.targetShare(r, patch);
          const torch::Tensor tr = t * share;
          const double total = tr.sum().item<double>();
          if (!(total > 0) || !(peak > 0)) continue;
          const torch::Tensor tDropped = variants.slice(0, 0, k).select(1, row) * share,
                              tAlone = variants.slice(0, k, 2 * k).select(1, row) * share;
          const torch::Tensor dependent = (tr.unsqueeze(0) - torch::minimum(tDropped, tr.unsqueeze(0))).sum({1, 2, 3});
          const torch::Tensor independent = torch::minimum(tAlone, tr.unsqueeze(0)).sum({1, 2, 3});
          const torch::Tensor w = (dependent * independent / total).to(absA.device());
          torch::Tensor map = (w.view({k, 1, 1, 1}) * absA).sum(0) / peak;
          if (zyx) map = map.permute({2, 1, 0});
          blender.add(r, l, patch, map);
          if (weights.size() == l && r == 0) {
            const torch::Tensor wc = w.to(torch::kCPU).contiguous();
            weights.push_back(
                {{"layer", layers[l]},
                 {"first_patch_weights", std::vector<double>(wc.data_ptr<float>(), wc.data_ptr<float>() + k)}});
          }
        }
      }
    }
  }
  context.control.step(1.0, "KWC done");
  AttributionOutput out;
  out.passes = partialPasses;  // each partial pass counted as a forward pass (it runs less than one)
  out.details["layers"] = layers;
  if (!chosenBecause.empty()) out.details["layer_choice"] = chosenBecause;
  out.details["partial_passes"] = partialPasses;
  out.details["channel_weights"] = weights;
  out.details["note"] = "KWC maps are not modality-specific: every modality gets the same map; scored on probabilities";
  out.maps = blender.maps(PatchMapBlender::Combine::Sum);
  return out;
}

}  // namespace voxplain
