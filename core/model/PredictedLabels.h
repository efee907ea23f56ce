#pragma once
// Label values from a model's output: the one rule that `predict`, explanations (class and instance
// targets) and the app use, so that an explanation of class c covers exactly the voxels that the
// written segmentation labels c.
//
// Rule, on the model grid (logits [K, X, Y, Z]):
//  - activation "sigmoid" (multi-label): the channel with the highest logit among those whose
//    sigmoid is >= 0.5 (logit >= 0); background (0) where no channel reaches 0.5;
//  - otherwise ("softmax", "none"): the channel with the highest logit (argmax; softmax is monotonic).
// Channel c is labelled manifest.labels[c].value; channels beyond the manifest's labels get c
// (softmax, none) or c + 1 (sigmoid, where 0 means "no channel").
// Labels reach the study grid by nearest-neighbour resampling of these (never by re-thresholding
// resampled probabilities, which can disagree at boundaries).

#include <torch/torch.h>

#include "model/ModelManifest.h"
#include "volume/Image.h"

namespace voxplain {

/// The label value of output channel `channel` (see above).
int labelValueOfChannel(const ModelManifest& manifest, int channel);

/// Labels on `grid` from `logits` ([K, X, Y, Z] float, any device; sizes must equal grid.size).
/// Throws std::invalid_argument when the sizes differ.
LabelVolume labelsFromLogits(const torch::Tensor& logits, const ModelManifest& manifest, const Geometry& grid);

}  // namespace voxplain
