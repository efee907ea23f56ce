#pragma once
// A MONAI bundle (https://docs.monai.io/en/stable/mb_specification.html) read as MONAI runs it.
//
// configs/metadata.json, network_data_format: input channels and names, the patch
// (spatial_shape), output channels and label names.
// configs/inference.json (when present):
//  - "inferer": SlidingWindowInferer roi_size, overlap, mode (constant/gaussian), sigma_scale,
//    sw_batch_size, padding_mode/cval; the window then follows MONAI's sliding_window_inference: a
//    volume smaller than roi_size is padded to it (constant 0, symmetric), importance weights are
//    floored at 1e-3 (MONAI >= 0.9). SimpleInferer: the whole volume in one pass.
//  - "preprocessing" transforms on the image: Orientation(d) axcodes, Spacing(d) pixdim (resampled
//    linearly), NormalizeIntensity(d) nonzero / channel_wise, ScaleIntensityRange(d),
//    ScaleIntensityRangePercentiles(d), ScaleIntensity(d); loading, channel and type transforms
//    change nothing here.
//  - "postprocessing": Activations(d) softmax / sigmoid, AsDiscrete(d) argmax / threshold.
// Config references "@id" (with '#' or '::' separating nested ids) and "$@id" are followed; any
// other expression, and any transform not listed above, is named in a note ("not applied: ...").
// Transforms whose keys name only labels are skipped.

#include <filesystem>

#include <nlohmann/json_fwd.hpp>

#include "model/ModelManifest.h"

namespace voxplain {

/// Reads the bundle folder `folder` (configs/metadata.json, configs/inference.json when present)
/// with `modelFile` as its TorchScript file. Throws InputError naming the config file and field.
ModelManifest manifestFromMonaiBundle(const std::filesystem::path& folder, const std::filesystem::path& modelFile);

/// Applies configs/inference.json (parsed) to `manifest` as described above; `source` names the
/// file in errors and notes.
void applyMonaiInferenceConfig(ModelManifest& manifest, const nlohmann::json& inference, const std::string& source);

}  // namespace voxplain
