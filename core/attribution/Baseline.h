#pragma once
// The reference input x' that stands for "absent" in Integrated Gradients, DeepLift and the
// perturbation methods (occlusion, LIME, Kernel SHAP, modality Shapley), on the model grid after
// normalisation. Parameters: baseline=zero|blurred|mean, blur_sigma (voxels, for blurred).
//  - zero:    0 after normalisation (the mean intensity of z-scored inputs);
//  - blurred: the input blurred with a Gaussian (Sturmfels et al. 2020, "Visualizing the impact of
//             feature attribution baselines"), keeps low frequencies, removes structure;
//  - mean:    each modality's mean over the volume.

#include <torch/torch.h>

#include <string>

#include "attribution/ParameterSet.h"

namespace voxplain {

/// x' for `input` [1, C, X, Y, Z] (same shape). Throws InputError for a bad parameter.
torch::Tensor baselineFrom(ParameterSet& params, const torch::Tensor& input, const std::string& fallback = "zero");

}  // namespace voxplain
