#include "model/SlidingWindow.h"

#include <cmath>
#include <stdexcept>

namespace voxplain {

std::vector<std::int64_t> patchStarts(std::int64_t size, std::int64_t patch, double overlap) {
  if (patch > size || patch < 1) throw std::invalid_argument("patchStarts: patch must be 1..size");
  if (patch == size) return {0};
  const std::int64_t step = std::max<std::int64_t>(1, std::int64_t(double(patch) * (1.0 - overlap)));
  const std::int64_t count = (size - patch + step - 1) / step + 1;
  std::vector<std::int64_t> starts;
  for (std::int64_t i = 0; i < count; ++i) starts.push_back(std::min(i * step, size - patch));
  return starts;
}

torch::Tensor importanceMap(const std::array<std::int64_t, 3>& patch, bool gaussian, double sigmaScale) {
  if (!gaussian) return torch::ones({patch[0], patch[1], patch[2]});
  std::vector<torch::Tensor> axes;
  for (int d = 0; d < 3; ++d) {
    const double sigma = std::max(sigmaScale * double(patch[d]), 1e-3);
    const torch::Tensor x = torch::arange(patch[d], torch::kFloat64) - (double(patch[d]) - 1.0) / 2.0;
    axes.push_back(torch::exp(-(x * x) / (2.0 * sigma * sigma)));
  }
  torch::Tensor map = axes[0].view({-1, 1, 1}) * axes[1].view({1, -1, 1}) * axes[2].view({1, 1, -1});
  map = map / map.max();
  const double smallest = map.masked_select(map > 0).min().item<double>();
  return map.clamp_min(smallest).to(torch::kFloat32);
}

torch::Tensor slidingWindow(const torch::Tensor& input, const std::function<torch::Tensor(const torch::Tensor&)>& predictor,
                            const SlidingWindowOptions& options, const TaskControl& control) {
  if (input.dim() != 5 || input.size(0) != 1) throw std::invalid_argument("slidingWindow: input must be [1, C, X, Y, Z]");
  const std::array<std::int64_t, 3> size{input.size(2), input.size(3), input.size(4)};
  // Pad symmetrically to at least one patch.
  std::array<std::int64_t, 3> padLow{}, padded{};
  std::vector<std::int64_t> pad;  // torch order: last dim first
  for (int d = 2; d >= 0; --d) {
    const std::int64_t total = std::max<std::int64_t>(options.patch[d] - size[d], 0);
    padLow[d] = total / 2;
    pad.push_back(padLow[d]);
    pad.push_back(total - padLow[d]);
    padded[d] = size[d] + total;
  }
  const torch::Tensor x = (pad[0] || pad[1] || pad[2] || pad[3] || pad[4] || pad[5]) ? torch::constant_pad_nd(input, pad, 0.0) : input;
  const std::array<std::int64_t, 3> patch{std::min(options.patch[0], padded[0]), std::min(options.patch[1], padded[1]),
                                          std::min(options.patch[2], padded[2])};
  std::vector<std::array<std::int64_t, 3>> starts;
  const auto sx = patchStarts(padded[0], patch[0], options.overlap);
  const auto sy = patchStarts(padded[1], patch[1], options.overlap);
  const auto sz = patchStarts(padded[2], patch[2], options.overlap);
  for (auto a : sx)
    for (auto b : sy)
      for (auto c : sz) starts.push_back({a, b, c});

  const torch::Tensor importance = importanceMap(patch, options.gaussian, options.sigmaScale).to(input.device());
  torch::Tensor output, weight = torch::zeros({1, 1, padded[0], padded[1], padded[2]}, input.options().dtype(torch::kFloat32));
  const std::size_t batch = std::size_t(std::max(1, options.batchSize));
  for (std::size_t first = 0; first < starts.size(); first += batch) {
    control.step(double(first) / double(starts.size()),
                 "patch " + std::to_string(first + 1) + "/" + std::to_string(starts.size()));
    const std::size_t last = std::min(first + batch, starts.size());
    std::vector<torch::Tensor> pieces;
    for (std::size_t i = first; i < last; ++i) {
      const auto& s = starts[i];
      pieces.push_back(x.slice(2, s[0], s[0] + patch[0]).slice(3, s[1], s[1] + patch[1]).slice(4, s[2], s[2] + patch[2]));
    }
    const torch::Tensor y = predictor(torch::cat(pieces, 0)).to(torch::kFloat32);
    if (!output.defined()) output = torch::zeros({1, y.size(1), padded[0], padded[1], padded[2]}, y.options());
    for (std::size_t i = first; i < last; ++i) {
      const auto& s = starts[i];
      output.slice(2, s[0], s[0] + patch[0]).slice(3, s[1], s[1] + patch[1]).slice(4, s[2], s[2] + patch[2]) +=
          y[std::int64_t(i - first)].unsqueeze(0) * importance;
      weight.slice(2, s[0], s[0] + patch[0]).slice(3, s[1], s[1] + patch[1]).slice(4, s[2], s[2] + patch[2]) += importance;
    }
  }
  control.step(1.0, "blending");
  output = output / weight;
  return output.slice(2, padLow[0], padLow[0] + size[0]).slice(3, padLow[1], padLow[1] + size[1]).slice(4, padLow[2], padLow[2] + size[2]).contiguous();
}

}  // namespace voxplain
