#include "attribution/SlidingGradient.h"

#include <torch/csrc/autograd/autograd.h>

#include <algorithm>

namespace voxplain {

torch::Tensor weightTensor(const std::vector<float>& weights, const std::array<std::int64_t, 3>& size) {
  return torch::from_blob(const_cast<float*>(weights.data()), {size[2], size[1], size[0]}, torch::kFloat32)
      .permute({2, 1, 0})
      .contiguous();
}

torch::Tensor scoredChannel(const torch::Tensor& logits, int channel, bool probability) {
  const torch::Tensor l = logits.to(torch::kFloat32);
  return (probability ? torch::softmax(l, 1) : l).select(1, channel);
}

SlidingGradient::SlidingGradient(const TappedForward& forward, const ModelManifest& manifest,
                                 const SlidingWindowOptions& window, const torch::Device& device, int channel,
                                 bool probability)
    : forward_(forward),
      manifest_(manifest),
      window_(window),
      device_(device),
      channel_(channel),
      probability_(probability) {}

std::vector<GradientResult> SlidingGradient::run(const std::vector<GradientRequest>& requests,
                                                 const TaskControl& control) {
  if (requests.empty()) return {};
  const torch::Tensor& first = requests.front().input;
  const std::array<std::int64_t, 3> size{first.size(2), first.size(3), first.size(4)};
  const PatchPlan plan = planPatches(size, window_);
  // Normalised blending weights per voxel: w_p / sum_p w_p, as one map per patch position.
  const torch::Tensor importance = importanceMap(plan.patch, window_);
  const torch::Tensor total = plan.importanceSum(importance);

  const bool paired = requests.front().baseline.defined();
  std::vector<torch::Tensor> targets;
  std::vector<GradientResult> results(requests.size());
  const std::vector<std::int64_t> paddedShape{1, first.size(1), plan.padded[0], plan.padded[1], plan.padded[2]};
  for (std::size_t r = 0; r < requests.size(); ++r) {
    if (paired != requests[r].baseline.defined())
      throw std::invalid_argument("SlidingGradient: every request or none needs a baseline");
    targets.push_back(plan.pad(weightTensor(*requests[r].weights, size)));
    results[r].gradient = torch::zeros(paddedShape);
  }
  // Requests sharing an input share forward passes, and its padded copy (and its baseline's). The
  // groups keep the requests' order, so a batch holds the same rows on every run (ordered by
  // address, which rows share a batch, and so the float32 rounding, changed from run to run).
  std::vector<std::pair<const void*, std::vector<std::size_t>>> byInput;
  for (std::size_t r = 0; r < requests.size(); ++r) {
    const void* ptr = requests[r].input.data_ptr();
    auto group = std::find_if(byInput.begin(), byInput.end(), [&](const auto& g) { return g.first == ptr; });
    if (group == byInput.end()) group = byInput.insert(byInput.end(), {ptr, {}});
    group->second.push_back(r);
  }

  struct Item {
    std::size_t group;  // index into groups
    std::size_t patch;
  };
  std::vector<std::vector<std::size_t>> groups;
  std::vector<torch::Tensor> inputs, baselines;  // padded, per group
  for (auto& [ptr, members] : byInput) {
    const GradientRequest& r = requests[members.front()];
    groups.push_back(members);
    inputs.push_back(plan.pad(r.input.to(torch::kFloat32)));
    baselines.push_back(paired ? plan.pad(r.baseline.to(torch::kFloat32)) : torch::Tensor());
  }
  std::vector<Item> items;
  for (std::size_t g = 0; g < groups.size(); ++g)
    for (std::size_t p = 0; p < plan.starts.size(); ++p) {
      bool any = false;
      for (std::size_t r : groups[g]) any = any || plan.region(targets[r], p).abs().sum().item<double>() > 0;
      if (any) items.push_back({g, p});
    }

  // Paired (DeepLift) batches hold each patch twice: half as many patches per batch.
  const PassBatch& pass = window_.gradientBatch;
  const std::size_t batch = std::size_t(std::max(1, paired ? pass.size / 2 : pass.size));
  for (std::size_t begin = 0; begin < items.size(); begin += batch) {
    control.step(double(begin) / double(std::max<std::size_t>(items.size(), 1)),
                 "gradient patch " + std::to_string(begin + 1) + "/" + std::to_string(items.size()));
    const std::size_t end = std::min(begin + batch, items.size());
    std::vector<torch::Tensor> pieces;
    for (std::size_t i = begin; i < end; ++i) pieces.push_back(plan.region(inputs[items[i].group], items[i].patch));
    if (paired)
      for (std::size_t i = begin; i < end; ++i)
        pieces.push_back(plan.region(baselines[items[i].group], items[i].patch));
    // Paired batches are split in halves by the DeepLift rule: never padded (they hold >= 2 rows).
    const std::int64_t rowsRun = paired ? std::int64_t(pieces.size()) : pass.rowsFor(std::int64_t(pieces.size()));
    torch::Tensor x = padBatchRows(torch::cat(pieces, 0), rowsRun).to(device_).set_requires_grad(true);
    const bool zyx = manifest_.layout == "NCZYX";
    torch::Tensor logits = forward_.run(zyx ? x.permute({0, 1, 4, 3, 2}) : x).output;
    if (zyx) logits = logits.permute({0, 1, 4, 3, 2});
    const torch::Tensor scored =
        scoredChannel(logits, channel_, probability_);  // [B, ...] (2B when paired: inputs, then baselines)
    const std::int64_t rows = std::int64_t(end - begin);
    // The largest number of requests sharing a patch decides how many backward passes this batch needs.
    std::size_t rounds = 0;
    for (std::size_t i = begin; i < end; ++i) rounds = std::max(rounds, groups[items[i].group].size());
    for (std::size_t round = 0; round < rounds; ++round) {
      torch::Tensor score = torch::zeros({}, scored.options());
      std::vector<std::pair<std::size_t, std::size_t>> active;  // (batch row, request)
      for (std::size_t i = begin; i < end; ++i) {
        const auto& members = groups[items[i].group];
        if (round >= members.size()) continue;
        const std::size_t r = members[round];
        const torch::Tensor w =
            (plan.region(targets[r], items[i].patch) * importance / plan.region(total, items[i].patch)).to(device_);
        const torch::Tensor s = (scored[std::int64_t(i - begin)] * w).sum();
        results[r].score += s.item<double>();
        if (paired) results[r].baselineScore += (scored[rows + std::int64_t(i - begin)] * w).sum().item<double>();
        score = score + s;
        active.push_back({i - begin, r});
      }
      const torch::Tensor grad =
          torch::autograd::grad({score}, {x}, {}, /*retain_graph=*/round + 1 < rounds)[0].to(torch::kCPU);
      for (const auto& [row, r] : active)
        plan.region(results[r].gradient, items[begin + row].patch) += grad[std::int64_t(row)];
    }
    passes_ += (end - begin) * (paired ? 2 : 1);  // a paired patch is two samples of the batch
  }
  control.step(1.0, "gradients done");
  for (GradientResult& r : results)
    r.gradient = r.gradient.slice(2, plan.padLow[0], plan.padLow[0] + size[0])
                     .slice(3, plan.padLow[1], plan.padLow[1] + size[1])
                     .slice(4, plan.padLow[2], plan.padLow[2] + size[2])
                     .contiguous();
  return results;
}

}  // namespace voxplain
