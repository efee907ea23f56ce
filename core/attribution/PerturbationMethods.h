#pragma once
// The perturbation family (one implementation file each): scores of masked inputs, no gradients.
// All of them replace "absent" parts of the input by the baseline (attribution/Baseline.h) and score
// the masked inputs with PerturbationScorer (only touched patches are re-run, in batches).

#include "attribution/AttributionMethod.h"

namespace voxplain {

class OcclusionMethod : public AttributionMethod {
 public:
  AttributionOutput run(AttributionContext& context, ParameterSet& params) override;
};
class ModalityShapleyMethod : public AttributionMethod {
 public:
  AttributionOutput run(AttributionContext& context, ParameterSet& params) override;
};
class KernelShapMethod : public AttributionMethod {
 public:
  AttributionOutput run(AttributionContext& context, ParameterSet& params) override;
};
class LimeMethod : public AttributionMethod {
 public:
  AttributionOutput run(AttributionContext& context, ParameterSet& params) override;
};

/// Start indices of blocks of `block` voxels every `stride` voxels along an axis of `size`, the
/// last block ending at the border (a single block clipped to the axis when block >= size).
std::vector<std::int64_t> blockStarts(std::int64_t size, std::int64_t block, std::int64_t stride);

}  // namespace voxplain
