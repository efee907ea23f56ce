#include "model/PredictedLabels.h"

#include <algorithm>
#include <stdexcept>

namespace voxplain {

int labelValueOfChannel(const ModelManifest& manifest, int channel) {
  if (channel >= 0 && std::size_t(channel) < manifest.labels.size()) return manifest.labels[std::size_t(channel)].value;
  return manifest.activation == "sigmoid" ? channel + 1 : channel;
}

LabelVolume labelsFromLogits(const torch::Tensor& logits, const ModelManifest& manifest, const Geometry& grid) {
  if (logits.dim() != 4 || logits.size(1) != grid.size[0] || logits.size(2) != grid.size[1] ||
      logits.size(3) != grid.size[2])
    throw std::invalid_argument("labelsFromLogits: logits " + std::to_string(logits.dim()) +
                                "-D do not match the grid");
  torch::NoGradGuard noGrad;
  const torch::Tensor scores = logits.to(torch::kCPU, torch::kFloat32);
  torch::Tensor channel = scores.argmax(0);  // [X, Y, Z]
  const bool sigmoid = manifest.activation == "sigmoid";
  if (sigmoid) {
    // Highest logit among channels >= 0 (sigmoid >= 0.5): the argmax, unless even it is below 0.
    const torch::Tensor reached = std::get<0>(scores.max(0)) >= 0.0f;
    channel = torch::where(reached, channel, torch::full_like(channel, -1));
  }
  // Channel -> label value, indexed once per channel (K is small).
  const std::int64_t k = scores.size(0);
  std::vector<std::uint16_t> valueOf(std::size_t(k) + 1);
  valueOf[0] = 0;  // index 0 holds "no channel" (sigmoid)
  for (std::int64_t c = 0; c < k; ++c)
    valueOf[std::size_t(c) + 1] = std::uint16_t(std::clamp(labelValueOfChannel(manifest, int(c)), 0, 65535));
  const torch::Tensor zyx = (channel + 1).permute({2, 1, 0}).contiguous().to(torch::kLong);
  const std::int64_t* p = zyx.data_ptr<std::int64_t>();
  LabelVolume labels(grid);
  for (std::size_t i = 0; i < labels.voxelCount(); ++i) labels.data()[i] = valueOf[std::size_t(p[i])];
  return labels;
}

}  // namespace voxplain
