#include "attribution/PerturbationScorer.h"

#include <algorithm>

namespace voxplain {
namespace {

// Target shares kept on the device up to this size in all (beyond it they are made per batch).
constexpr double kShareCacheBytes = 512.0 * 1024 * 1024;

}  // namespace

Perturbation boxPerturbation(const std::array<std::int64_t, 3>& lo, const std::array<std::int64_t, 3>& hi,
                             std::int64_t channel) {
  Perturbation p;
  p.lo = lo;
  p.hi = hi;
  p.box = true;
  p.boxChannel = channel;
  return p;
}

Perturbation wholeVolumePerturbation(const torch::Tensor& keep, const PatchPlan& plan) {
  Perturbation p;
  p.hi = {keep.size(1), keep.size(2), keep.size(3)};
  const torch::Tensor padded = plan.pad(keep);
  p.keep = [padded](const PatchPlan& samePlan, std::size_t patch) { return samePlan.region(padded, patch); };
  return p;
}

PerturbationScorer::PerturbationScorer(AttributionContext& context, const torch::Tensor& baseline)
    : context_(context), layout_(context) {
  input_ = layout_.paddedInput().to(context.device, torch::kFloat32);
  baseline_ = layout_.plan().pad(baseline.to(torch::kFloat32)).to(context.device);
  base_.assign(layout_.regions(), 0.0);
  const std::vector<std::size_t>& patches = layout_.patches();
  const std::array<std::int64_t, 3>& patch = layout_.plan().patch;
  cacheShares_ =
      double(patches.size() * layout_.regions()) * double(patch[0] * patch[1] * patch[2]) * 4.0 <= kShareCacheBytes;
  shares_.resize(patches.size());
  const std::size_t batch = std::size_t(std::max(1, context.window.forwardBatch.size));
  for (std::size_t begin = 0; begin < patches.size(); begin += batch) {
    context.control.checkpoint();
    const std::size_t end = std::min(begin + batch, patches.size());
    std::vector<std::size_t> slots;
    for (std::size_t s = begin; s < end; ++s) slots.push_back(s);
    const torch::Tensor rows = layout_.inputBatch(begin, end, context.device, context.window.forwardBatch);
    for (const auto& row : patchScores(rows, slots)) {
      patchBase_.push_back(row);
      for (std::size_t r = 0; r < row.size(); ++r) base_[r] += row[r];
    }
  }
}

torch::Tensor PerturbationScorer::shares(std::size_t slot) {
  if (shares_[slot].defined()) return shares_[slot];
  std::vector<torch::Tensor> regions;
  for (std::size_t r = 0; r < layout_.regions(); ++r)
    regions.push_back(layout_.targetShare(r, layout_.patches()[slot]));
  torch::Tensor s = torch::stack(regions).to(context_.device, torch::kFloat32);
  if (cacheShares_) shares_[slot] = s;
  return s;
}

std::vector<std::vector<double>> PerturbationScorer::patchScores(const torch::Tensor& batch,
                                                                 const std::vector<std::size_t>& slots) {
  torch::InferenceMode inference;
  const torch::Tensor logits = forwardLogits(context_.package.module(), context_.package.manifest(), batch);
  const torch::Tensor scored = scoredChannel(logits, context_.channel, context_.probability);
  passes_ += slots.size();
  std::vector<torch::Tensor> rows;
  for (std::size_t j = 0; j < slots.size(); ++j)
    rows.push_back((shares(slots[j]) * scored[std::int64_t(j)].to(torch::kFloat32)).flatten(1).sum(1));
  const torch::Tensor all = torch::stack(rows).to(torch::kCPU, torch::kFloat64).contiguous();
  std::vector<std::vector<double>> out(slots.size());
  const double* values = all.data_ptr<double>();
  for (std::size_t j = 0; j < slots.size(); ++j)
    out[j].assign(values + j * layout_.regions(), values + (j + 1) * layout_.regions());
  return out;
}

std::vector<std::vector<double>> PerturbationScorer::scores(const std::vector<Perturbation>& perturbations,
                                                            const TaskControl& control) {
  std::vector<std::vector<double>> result(perturbations.size(), base_);
  struct Job {
    std::size_t perturbation, slot;  // slot: index into layout_.patches()
  };
  const PatchPlan& plan = layout_.plan();
  const std::vector<std::size_t>& patches = layout_.patches();
  auto origin = [&](std::size_t patch, std::size_t d) { return plan.starts[patch][d] - plan.padLow[d]; };
  std::vector<Job> jobs;
  for (std::size_t i = 0; i < perturbations.size(); ++i)
    for (std::size_t s = 0; s < patches.size(); ++s) {
      bool touches = true;
      for (std::size_t d = 0; d < 3; ++d) {
        const std::int64_t lo = origin(patches[s], d), hi = lo + plan.patch[d];
        touches = touches && perturbations[i].lo[d] < hi && perturbations[i].hi[d] > lo;
      }
      if (touches) jobs.push_back({i, s});
    }
  const PassBatch& pass = context_.window.forwardBatch;
  const std::size_t batch = std::size_t(std::max(1, pass.size));
  // One buffer for every batch, filled in place on the device.
  const std::int64_t bufferRows = pass.rowsFor(std::int64_t(std::min(batch, std::max<std::size_t>(jobs.size(), 1))));
  torch::Tensor buffer =
      torch::empty({bufferRows, input_.size(1), plan.patch[0], plan.patch[1], plan.patch[2]}, input_.options());
  torch::InferenceMode inference;
  torch::Tensor cachedKeep;
  std::size_t cachedKeepOf = perturbations.size();
  for (std::size_t begin = 0; begin < jobs.size(); begin += batch) {
    control.step(double(begin) / double(std::max<std::size_t>(jobs.size(), 1)),
                 "perturbed patch " + std::to_string(begin + 1) + "/" + std::to_string(jobs.size()));
    const std::size_t end = std::min(begin + batch, jobs.size());
    const std::int64_t used = std::int64_t(end - begin), rows = pass.rowsFor(used);
    std::vector<std::size_t> slots;
    for (std::size_t j = begin; j < end; ++j) {
      const Perturbation& perturbation = perturbations[jobs[j].perturbation];
      const std::size_t p = patches[jobs[j].slot];
      torch::Tensor row = buffer[std::int64_t(j - begin)];
      const torch::Tensor x = plan.region(input_, p)[0], b = plan.region(baseline_, p)[0];
      row.copy_(x);
      if (perturbation.box) {
        std::array<std::int64_t, 3> from{}, to{};
        for (std::size_t d = 0; d < 3; ++d) {
          from[d] = std::clamp<std::int64_t>(perturbation.lo[d] - origin(p, d), 0, plan.patch[d]);
          to[d] = std::clamp<std::int64_t>(perturbation.hi[d] - origin(p, d), 0, plan.patch[d]);
        }
        auto inBox = [&](const torch::Tensor& t) {
          const torch::Tensor box = t.slice(1, from[0], to[0]).slice(2, from[1], to[1]).slice(3, from[2], to[2]);
          return perturbation.boxChannel >= 0 ? box.select(0, perturbation.boxChannel) : box;
        };
        inBox(row).copy_(inBox(b));
      } else {
        torch::Tensor keep;
        if (perturbation.paddedKeep) {
          // Jobs come perturbation by perturbation: one mask per perturbation, on the device.
          if (cachedKeepOf != jobs[j].perturbation) {
            cachedKeep = perturbation.paddedKeep().to(row.device(), torch::kFloat32);
            cachedKeepOf = jobs[j].perturbation;
          }
          keep = plan.region(cachedKeep, p);
        } else {
          keep = perturbation.keep(plan, p).to(row.device(), torch::kFloat32);
        }
        row.sub_(b).mul_(keep).add_(b);
      }
      slots.push_back(jobs[j].slot);
    }
    for (std::int64_t j = used; j < rows; ++j) buffer[j].copy_(buffer[0]);  // padding rows, outputs ignored
    const auto scored = patchScores(buffer.narrow(0, 0, rows), slots);
    for (std::size_t j = begin; j < end; ++j)
      for (std::size_t r = 0; r < layout_.regions(); ++r)
        result[jobs[j].perturbation][r] += scored[j - begin][r] - patchBase_[jobs[j].slot][r];
  }
  control.step(1.0, "perturbations scored");
  return result;
}

}  // namespace voxplain
