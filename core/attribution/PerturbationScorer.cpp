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
    : context_(context), layout_(context) {
  baseline_ = layout_.plan().pad(baseline.to(torch::kFloat32));
  base_.assign(layout_.regions(), 0.0);
  const std::vector<std::size_t>& patches = layout_.patches();
  const std::size_t batch = std::size_t(std::max(1, context.window.forwardBatch.size));
  for (std::size_t begin = 0; begin < patches.size(); begin += batch) {
    context.control.checkpoint();
    const std::size_t end = std::min(begin + batch, patches.size());
    const std::vector<std::size_t> which(patches.begin() + std::ptrdiff_t(begin), patches.begin() + std::ptrdiff_t(end));
    for (const auto& row : patchScores(layout_.inputBatch(begin, end, torch::kCPU), which)) {
      patchBase_.push_back(row);
      for (std::size_t r = 0; r < row.size(); ++r) base_[r] += row[r];
    }
  }
}

std::vector<std::vector<double>> PerturbationScorer::patchScores(const torch::Tensor& batch, const std::vector<std::size_t>& patches) {
  torch::NoGradGuard noGrad;
  const torch::Tensor rows = padBatchRows(batch, context_.window.forwardBatch.rowsFor(batch.size(0)));
  const torch::Tensor logits = forwardLogits(context_.package.module(), context_.package.manifest(), rows.to(context_.device));
  const torch::Tensor scored = scoredChannel(logits, context_.channel, context_.probability).to(torch::kCPU);
  passes_ += patches.size();
  std::vector<std::vector<double>> out;
  for (std::size_t i = 0; i < patches.size(); ++i) {
    std::vector<double> row;
    for (std::size_t r = 0; r < layout_.regions(); ++r)
      row.push_back((scored[std::int64_t(i)] * layout_.targetShare(r, patches[i])).sum().item<double>());
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<std::vector<double>> PerturbationScorer::scores(const std::vector<Perturbation>& perturbations, const TaskControl& control) {
  std::vector<std::vector<double>> result(perturbations.size(), base_);
  struct Job {
    std::size_t perturbation, slot;  // slot: index into layout_.patches()
  };
  const PatchPlan& plan = layout_.plan();
  const std::vector<std::size_t>& patches = layout_.patches();
  std::vector<Job> jobs;
  for (std::size_t i = 0; i < perturbations.size(); ++i)
    for (std::size_t s = 0; s < patches.size(); ++s) {
      const auto& start = plan.starts[patches[s]];
      bool touches = true;
      for (int d = 0; d < 3; ++d) {
        const std::int64_t lo = start[std::size_t(d)] - plan.padLow[std::size_t(d)];
        const std::int64_t hi = lo + plan.patch[std::size_t(d)];
        touches = touches && perturbations[i].lo[std::size_t(d)] < hi && perturbations[i].hi[std::size_t(d)] > lo;
      }
      if (touches) jobs.push_back({i, s});
    }
  const std::size_t batch = std::size_t(std::max(1, context_.window.forwardBatch.size));
  for (std::size_t begin = 0; begin < jobs.size(); begin += batch) {
    control.step(double(begin) / double(std::max<std::size_t>(jobs.size(), 1)),
                 "perturbed patch " + std::to_string(begin + 1) + "/" + std::to_string(jobs.size()));
    const std::size_t end = std::min(begin + batch, jobs.size());
    std::vector<torch::Tensor> pieces;
    std::vector<std::size_t> which;
    for (std::size_t j = begin; j < end; ++j) {
      const std::size_t p = patches[jobs[j].slot];
      const torch::Tensor x = plan.region(layout_.paddedInput(), p), b = plan.region(baseline_, p);
      const torch::Tensor keep = perturbations[jobs[j].perturbation].keep(plan, p).to(torch::kFloat32);
      pieces.push_back(b + keep.unsqueeze(0) * (x - b));
      which.push_back(p);
    }
    const auto rows = patchScores(torch::cat(pieces, 0), which);
    for (std::size_t j = begin; j < end; ++j)
      for (std::size_t r = 0; r < layout_.regions(); ++r)
        result[jobs[j].perturbation][r] += rows[j - begin][r] - patchBase_[jobs[j].slot][r];
  }
  control.step(1.0, "perturbations scored");
  return result;
}

}  // namespace voxplain
