#include "attribution/PerturbationScorer.h"

namespace voxplain {

Perturbation wholeVolumePerturbation(const torch::Tensor& keep, const PatchPlan& plan) {
  Perturbation p;
  p.hi = {keep.size(1), keep.size(2), keep.size(3)};
  const torch::Tensor padded = plan.pad(keep);
  p.keep = [padded](const PatchPlan& samePlan, std::size_t patch) { return samePlan.region(padded, patch); };
  return p;
}

PerturbationScorer::PerturbationScorer(AttributionContext& context, const torch::Tensor& baseline)
    : context_(context) {
  const torch::Tensor& input = context.input;
  const std::array<std::int64_t, 3> size{input.size(2), input.size(3), input.size(4)};
  plan_ = planPatches(size, context.window);
  x_ = plan_.pad(input.to(torch::kFloat32));
  baseline_ = plan_.pad(baseline.to(torch::kFloat32));
  importance_ = importanceMap(plan_.patch, context.window.gaussian, context.window.sigmaScale);
  total_ = plan_.importanceSum(importance_);
  for (const TargetRegion& r : context.regions) targets_.push_back(plan_.pad(weightTensor(r.weights, size)));
  for (std::size_t p = 0; p < plan_.starts.size(); ++p) {
    bool any = false;
    for (const torch::Tensor& t : targets_) any = any || plan_.region(t, p).abs().sum().item<double>() > 0;
    if (any) patches_.push_back(p);
  }
  base_.assign(targets_.size(), 0.0);
  const std::size_t batch = std::size_t(std::max(1, context.window.batchSize));
  for (std::size_t begin = 0; begin < patches_.size(); begin += batch) {
    context.control.checkpoint();
    const std::size_t end = std::min(begin + batch, patches_.size());
    std::vector<torch::Tensor> pieces;
    std::vector<std::size_t> which(patches_.begin() + std::ptrdiff_t(begin), patches_.begin() + std::ptrdiff_t(end));
    for (std::size_t p : which) pieces.push_back(plan_.region(x_, p));
    for (const auto& row : patchScores(torch::cat(pieces, 0), which)) {
      patchBase_.push_back(row);
      for (std::size_t r = 0; r < row.size(); ++r) base_[r] += row[r];
    }
  }
}

std::vector<std::vector<double>> PerturbationScorer::patchScores(const torch::Tensor& batch, const std::vector<std::size_t>& patches) {
  torch::NoGradGuard noGrad;
  const torch::Tensor logits = forwardLogits(context_.package.module(), context_.package.manifest(), batch.to(context_.device));
  torch::Tensor scored = context_.probability ? torch::softmax(logits.to(torch::kFloat32), 1) : logits.to(torch::kFloat32);
  scored = scored.select(1, context_.channel).to(torch::kCPU);
  passes_ += patches.size();
  std::vector<std::vector<double>> out;
  for (std::size_t i = 0; i < patches.size(); ++i) {
    const torch::Tensor blend = importance_ / plan_.region(total_, patches[i]);
    std::vector<double> row;
    for (const torch::Tensor& t : targets_) row.push_back((scored[std::int64_t(i)] * plan_.region(t, patches[i]) * blend).sum().item<double>());
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<std::vector<double>> PerturbationScorer::scores(const std::vector<Perturbation>& perturbations, const TaskControl& control) {
  std::vector<std::vector<double>> result(perturbations.size(), base_);
  struct Job {
    std::size_t perturbation, slot;  // slot: index into patches_
  };
  std::vector<Job> jobs;
  for (std::size_t i = 0; i < perturbations.size(); ++i)
    for (std::size_t s = 0; s < patches_.size(); ++s) {
      const auto& start = plan_.starts[patches_[s]];
      bool touches = true;
      for (int d = 0; d < 3; ++d) {
        const std::int64_t lo = start[std::size_t(d)] - plan_.padLow[std::size_t(d)];
        const std::int64_t hi = lo + plan_.patch[std::size_t(d)];
        touches = touches && perturbations[i].lo[std::size_t(d)] < hi && perturbations[i].hi[std::size_t(d)] > lo;
      }
      if (touches) jobs.push_back({i, s});
    }
  const std::size_t batch = std::size_t(std::max(1, context_.window.batchSize));
  for (std::size_t begin = 0; begin < jobs.size(); begin += batch) {
    control.step(double(begin) / double(std::max<std::size_t>(jobs.size(), 1)),
                 "perturbed patch " + std::to_string(begin + 1) + "/" + std::to_string(jobs.size()));
    const std::size_t end = std::min(begin + batch, jobs.size());
    std::vector<torch::Tensor> pieces;
    std::vector<std::size_t> which;
    for (std::size_t j = begin; j < end; ++j) {
      const std::size_t p = patches_[jobs[j].slot];
      const torch::Tensor x = plan_.region(x_, p), b = plan_.region(baseline_, p);
      const torch::Tensor keep = perturbations[jobs[j].perturbation].keep(plan_, p).to(torch::kFloat32);
      pieces.push_back(b + keep.unsqueeze(0) * (x - b));
      which.push_back(p);
    }
    const auto rows = patchScores(torch::cat(pieces, 0), which);
    for (std::size_t j = begin; j < end; ++j)
      for (std::size_t r = 0; r < targets_.size(); ++r)
        result[jobs[j].perturbation][r] += rows[j - begin][r] - patchBase_[jobs[j].slot][r];
  }
  control.step(1.0, "perturbations scored");
  return result;
}

}  // namespace voxplain
