#pragma once
// Helpers shared by the attribution tests.

#include <torch/torch.h>

#include <vector>

#include "attribution/Target.h"
#include "synthetic/LesionPhantom.h"
#include "volume/Study.h"

namespace voxplain::testing {

/// ||a - b|| / ||b|| in double precision.
inline double relativeError(const torch::Tensor& a, const torch::Tensor& b) {
  const torch::Tensor ad = a.to(torch::kFloat64), bd = b.to(torch::kFloat64);
  return (ad - bd).norm().item<double>() / std::max(bd.norm().item<double>(), 1e-12);
}

/// A target region from a [X, Y, Z] 0/1 tensor (regions store X-fastest weights).
inline std::vector<TargetRegion> regionFrom(const torch::Tensor& mask) {
  const torch::Tensor xFastest = mask.to(torch::kFloat32).permute({2, 1, 0}).contiguous();
  std::vector<TargetRegion> regions(1);
  regions[0].weights.assign(xFastest.data_ptr<float>(), xFastest.data_ptr<float>() + xFastest.numel());
  regions[0].voxels = std::size_t(mask.sum().item<double>());
  return regions;
}

/// A two-modality study ("FLAIR", "T1") of a lesion phantom of `size` voxels.
inline Study phantomStudy(const std::array<std::size_t, 3>& size, std::uint64_t seed) {
  LesionPhantomOptions o;
  o.size = size;
  o.seed = seed;
  const LesionPhantom p = makeLesionPhantom(o);
  Study study;
  study.addModality("FLAIR", "phantom", p.flair);
  study.addModality("T1", "phantom", p.t1);
  return study;
}

}  // namespace voxplain::testing
