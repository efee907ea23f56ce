#pragma once
// Class activation maps through sliding windows: Grad-CAM (Selvaraju et al. 2017) and Grad-CAM++
// (Chattopadhay et al. 2018) in 3D, for one layer or a set of layers (multi-layer CAM: each
// layer's map normalised to max 1, then averaged). Per patch, the layer activations A_k and the
// gradients g_k = dS/dA_k of the target score (weighted by the blending weights, as in
// SlidingGradient) give a map ReLU(sum_k w_k A_k), resized trilinearly to the patch and blended
// over patches with the sliding window's importance weights. CAM maps are not modality-specific:
// the same map is returned for every input channel.
//   Grad-CAM:   w_k = mean_v g_k(v)
//   Grad-CAM++: a = g^2 / (2 g^2 + sum_v A g^3) (0 where the denominator is 0), w_k = sum_v a ReLU(g)

#include "attribution/AttributionMethod.h"

namespace voxplain {

class GradCamMethod : public AttributionMethod {
 public:
  explicit GradCamMethod(bool plusPlus) : plusPlus_(plusPlus) {}
  AttributionOutput run(AttributionContext& context, ParameterSet& params) override;

 private:
  bool plusPlus_;
};

/// Kernel-weighted contribution (seed paper 000), see KernelWeightedContribution.cpp.
class KwcMethod : public AttributionMethod {
 public:
  AttributionOutput run(AttributionContext& context, ParameterSet& params) override;
};

/// The feature maps of one layer (seed paper 003): one channel, or the mean (|A|) over channels.
class LayerActivationsMethod : public AttributionMethod {
 public:
  AttributionOutput run(AttributionContext& context, ParameterSet& params) override;
};

/// Layer names from params "layers=a,b" or "group=encoder" (manifest layer groups); default: the
/// manifest's decoder group, else the last block before the output head (model/LayerChoice.h),
/// with `chosenBecause` (when given) set to why. Throws InputError when none can be found.
std::vector<std::string> camLayers(const ModelPackage& package, ParameterSet& params,
                                   std::string* chosenBecause = nullptr);

}  // namespace voxplain
