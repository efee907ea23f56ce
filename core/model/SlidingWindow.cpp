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

std::vector<std::int64_t> nnunetPatchStarts(std::int64_t size, std::int64_t patch, double tileStep) {
  if (patch < 1 || tileStep <= 0.0) throw std::invalid_argument("nnunetPatchStarts: patch >= 1 and tileStep > 0");
  if (patch >= size) return {0};
  const std::int64_t count = std::int64_t(std::ceil(double(size - patch) / (double(patch) * tileStep))) + 1;
  const double actual = double(size - patch) / double(count - 1);
  std::vector<std::int64_t> starts;
  for (std::int64_t i = 0; i < count; ++i) starts.push_back(std::int64_t(std::nearbyint(actual * double(i))));
  return starts;
}

namespace {
torch::Tensor nnunetImportanceMap(const std::array<std::int64_t, 3>& patch, double sigmaScale) {
  std::vector<torch::Tensor> axes;
  for (int d = 0; d < 3; ++d) {
    const double sigma = std::max(sigmaScale * double(patch[d]), 1e-3);
    const double radius = std::floor(4.0 * sigma + 0.5);
    const torch::Tensor x = torch::arange(patch[d], torch::kFloat64) - double(patch[d] / 2);
    axes.push_back(torch::where(x.abs() <= radius, torch::exp(-(x * x) / (2.0 * sigma * sigma)), torch::zeros_like(x)));
  }
  torch::Tensor map = axes[0].view({-1, 1, 1}) * axes[1].view({1, -1, 1}) * axes[2].view({1, 1, -1});
  map = map / map.max();
  const double smallest = map.masked_select(map > 0).min().item<double>();
  return map.clamp_min(smallest).to(torch::kFloat32);
}
}  // namespace

torch::Tensor importanceMap(const std::array<std::int64_t, 3>& patch, const SlidingWindowOptions& options) {
  if (!options.gaussian) return torch::ones({patch[0], patch[1], patch[2]});
  if (options.nnunet) return nnunetImportanceMap(patch, options.sigmaScale);
  std::vector<torch::Tensor> axes;
  for (int d = 0; d < 3; ++d) {
    const double sigma = std::max(options.sigmaScale * double(patch[d]), 1e-3);
    const torch::Tensor x = torch::arange(patch[d], torch::kFloat64) - (double(patch[d]) - 1.0) / 2.0;
    axes.push_back(torch::exp(-(x * x) / (2.0 * sigma * sigma)));
  }
  torch::Tensor map = axes[0].view({-1, 1, 1}) * axes[1].view({1, -1, 1}) * axes[2].view({1, 1, -1});
  if (options.importanceFloor > 0) {
    // MONAI >= 0.9 computes the map in float32 and clamps it at max(min, floor).
    map = map.to(torch::kFloat32);
    return map.clamp_min(std::max(map.min().item<double>(), options.importanceFloor));
  }
  map = map / map.max();
  const double smallest = map.masked_select(map > 0).min().item<double>();
  return map.clamp_min(smallest).to(torch::kFloat32);
}

torch::Tensor padBatchRows(const torch::Tensor& batch, std::int64_t rows) {
  if (batch.size(0) >= rows) return batch;
  std::vector<std::int64_t> shape = batch.sizes().vec();
  shape[0] = rows - batch.size(0);
  return torch::cat({batch, batch.slice(0, 0, 1).expand(shape)}, 0);
}

std::vector<std::int64_t> PatchPlan::padArgument() const {
  std::vector<std::int64_t> pad;
  for (int d = 2; d >= 0; --d) {
    pad.push_back(padLow[d]);
    pad.push_back(padded[d] - size[d] - padLow[d]);
  }
  return pad;
}

torch::Tensor PatchPlan::region(const torch::Tensor& t, std::size_t i) const {
  const auto& s = starts[i];
  const std::int64_t n = t.dim();
  return t.slice(n - 3, s[0], s[0] + patch[0]).slice(n - 2, s[1], s[1] + patch[1]).slice(n - 1, s[2], s[2] + patch[2]);
}

torch::Tensor PatchPlan::pad(const torch::Tensor& t) const {
  return padded == size ? t : torch::constant_pad_nd(t, padArgument(), 0.0);
}

torch::Tensor PatchPlan::importanceSum(const torch::Tensor& importance) const {
  torch::Tensor sum = torch::zeros({padded[0], padded[1], padded[2]}, importance.options());
  for (std::size_t p = 0; p < starts.size(); ++p) region(sum, p) += importance;
  return sum;
}

PatchPlan planPatches(const std::array<std::int64_t, 3>& size, const SlidingWindowOptions& options) {
  PatchPlan plan;
  plan.size = size;
  for (int d = 0; d < 3; ++d) {
    const std::int64_t total = std::max<std::int64_t>(options.patch[d] - size[d], 0);
    plan.padLow[d] = total / 2;
    plan.padded[d] = size[d] + total;
    plan.patch[d] = std::min(options.patch[d], plan.padded[d]);
  }
  const auto starts = [&](int d) {
    return options.nnunet ? nnunetPatchStarts(plan.padded[d], plan.patch[d], 1.0 - options.overlap)
                          : patchStarts(plan.padded[d], plan.patch[d], options.overlap);
  };
  const auto sx = starts(0), sy = starts(1), sz = starts(2);
  for (auto a : sx)
    for (auto b : sy)
      for (auto c : sz) plan.starts.push_back({a, b, c});
  return plan;
}

torch::Tensor slidingWindow(const torch::Tensor& input,
                            const std::function<torch::Tensor(const torch::Tensor&)>& predictor,
                            const SlidingWindowOptions& options, const TaskControl& control) {
  if (input.dim() != 5 || input.size(0) != 1)
    throw std::invalid_argument("slidingWindow: input must be [1, C, X, Y, Z]");
  const PatchPlan plan = planPatches({input.size(2), input.size(3), input.size(4)}, options);
  const torch::Tensor x = plan.pad(input);
  const torch::Tensor importance = importanceMap(plan.patch, options).to(input.device());
  torch::Tensor output;
  torch::Tensor weight =
      torch::zeros({1, 1, plan.padded[0], plan.padded[1], plan.padded[2]}, input.options().dtype(torch::kFloat32));
  const std::size_t batch = std::size_t(std::max(1, options.forwardBatch.size));
  const std::size_t count = plan.starts.size();
  for (std::size_t first = 0; first < count; first += batch) {
    control.step(double(first) / double(count), "patch " + std::to_string(first + 1) + "/" + std::to_string(count));
    const std::size_t last = std::min(first + batch, count);
    std::vector<torch::Tensor> pieces;
    for (std::size_t i = first; i < last; ++i) pieces.push_back(plan.region(x, i));
    const std::int64_t rows = options.forwardBatch.rowsFor(std::int64_t(pieces.size()));
    const torch::Tensor y = predictor(padBatchRows(torch::cat(pieces, 0), rows)).to(torch::kFloat32);
    if (!output.defined())
      output = torch::zeros({1, y.size(1), plan.padded[0], plan.padded[1], plan.padded[2]}, y.options());
    for (std::size_t i = first; i < last; ++i) {
      plan.region(output, i) += y[std::int64_t(i - first)].unsqueeze(0) * importance;
      plan.region(weight, i) += importance;
    }
  }
  control.step(1.0, "blending");
  output = output / weight;
  return output.slice(2, plan.padLow[0], plan.padLow[0] + plan.size[0])
      .slice(3, plan.padLow[1], plan.padLow[1] + plan.size[1])
      .slice(4, plan.padLow[2], plan.padLow[2] + plan.size[2])
      .contiguous();
}

}  // namespace voxplain
