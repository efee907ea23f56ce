#pragma once
// The reference input x' that stands for "absent" in Integrated Gradients, DeepLift and the
// perturbation methods (occlusion, LIME, Kernel SHAP, modality Shapley), on the model grid after
// normalisation. Parameters: baseline=zero|blurred|mean|custom, blur_sigma (voxels, for blurred).
//  - zero:    0 after normalisation (the mean intensity of z-scored inputs);
//  - blurred: the input blurred with a Gaussian (Sturmfels et al. 2020, "Visualizing the impact of
//             feature attribution baselines"), keeps low frequencies, removes structure;
//  - mean:    each modality's mean over the volume;
//  - custom:  images given by the caller (`voxplain-cli explain --baseline FILE` per modality, e.g.
//             a healthy template), normalised like the inputs and put on the model grid.

#include <torch/torch.h>

#include <string>

#include "attribution/AttributionMethod.h"

namespace voxplain {

/// x' for context.input [1, C, X, Y, Z] (same shape). Throws InputError for a bad parameter or a
/// custom baseline that was not given.
torch::Tensor baselineFrom(ParameterSet& params, const AttributionContext& context,
                           const std::string& fallback = "zero");

}  // namespace voxplain
