#pragma once
// A trained nnU-Net v2 results folder as a model package (docs/model-package.md, "nnU-Net v2").
//
// A trainer folder (nnUNetTrainer__nnUNetPlans__3d_fullres: plans.json, dataset.json,
// fold_N/checkpoint_final.pth) or a dataset folder holding several of them. The manifest follows
// what nnUNetv2_predict does by default:
//  - inputs: dataset.json channel_names in channel order; each channel's normalization_schemes
//    entry: CTNormalization (clip to the plans' foreground percentile_00_5..percentile_99_5, then
//    (x - mean) / std, written as a ClipScale), ZScoreNormalization (over the image, or over its
//    non-zero voxels when use_mask_for_norm), NoNormalization, RescaleTo01Normalization;
//  - grid: the configuration's spacing; the SimpleITK array order [Z, Y, X] (NibabelIO hands the
//    network the same order for NIfTI; NibabelIOWithReorient reorients to RAS first);
//    transpose_forward / transpose_backward are applied inside the exported module;
//  - window: patch_size, nnU-Net's step rule (tile step 0.5) and Gaussian, a smaller image zero
//    padded to the patch (model/SlidingWindow.h);
//  - the network of the plans (PlainConvUNet or ResidualEncoderUNet, 3D) for each fold with a
//    checkpoint, mirrored over the checkpoint's inference_allowed_mirroring_axes and the folds'
//    logits averaged per window — as nnUNetPredictor, and differentiable through all of it;
//  - softmax over dataset.json's labels.
// Refused with the reason: region-based labels, cascade configurations (previous_stage), 2D
// configurations, other network classes, other readers or normalisation schemes.
// The image is cropped to its non-zero region first (ModelManifest::cropToNonzero), normalised, then
// resized as nnU-Net does (model/Preprocessing.h runGrid, model/NnunetResample.h).
//
// The checkpoints are pickled Python objects (numpy values included): a converter
// (resources/nnunet/nnunet_export.py; installed under <prefix>/share/voxplain/nnunet beside the
// executable's bin/; $VOXPLAIN_NNUNET_EXPORTER overrides) run once with python3-torch builds the network,
// loads every fold's network_weights strictly and writes one TorchScript file, cached under
// cacheDirectory()/nnunet by the SHA-256 of the plans, the checkpoints and the converter.

#include <filesystem>
#include <string>
#include <vector>

#include "model/ModelManifest.h"
#include "task/InputError.h"

namespace voxplain {

/// What the user chose of a results folder.
struct NnunetChoice {
  std::string configuration;                        ///< "3d_fullres"; empty: the only trainer folder there is
  std::vector<int> folds;                           ///< empty: every fold_N holding the checkpoint
  std::string checkpoint = "checkpoint_final.pth";  ///< or "checkpoint_best.pth"
  bool mirroring = true;                            ///< test-time mirroring, on by default as in nnUNetv2_predict
};

/// True when `path` is a folder with plans.json and dataset.json, or one holding trainer folders
/// (Trainer__Plans__configuration) that are.
bool isNnunetFolder(const std::filesystem::path& path);

/// One trainer folder of a results folder, for choosers (the app's dialog).
struct NnunetTrainer {
  std::filesystem::path folder;  ///< e.g. .../nnUNetTrainer__nnUNetPlans__3d_fullres
  std::string configuration;     ///< "3d_fullres"
  std::vector<int> finalFolds;   ///< folds with checkpoint_final.pth
  std::vector<int> bestFolds;    ///< folds with checkpoint_best.pth
};

/// The trainer folders of `path` (itself when it is one), sorted by name; empty when none.
std::vector<NnunetTrainer> nnunetTrainers(const std::filesystem::path& path);

/// A results folder holds several configurations and none was chosen: front ends ask (the app's
/// dialog, voxplain-cli's --configuration).
class NnunetChoiceNeeded : public InputError {
 public:
  using InputError::InputError;
};

/// The trainer folder of `path` for `choice.configuration`. Throws NnunetChoiceNeeded listing the
/// configurations found when there are several and none was chosen, InputError when another was.
std::filesystem::path nnunetTrainerFolder(const std::filesystem::path& path, const std::string& configuration);

/// The manifest of the folder (see above) with modelFile the exported TorchScript (exported now
/// when the cache has none). Throws InputError naming the file and the reason.
ModelManifest manifestFromNnunetFolder(const std::filesystem::path& path, const NnunetChoice& choice);

/// Where derived files are cached: $VOXPLAIN_CACHE_DIR, else $XDG_CACHE_HOME/voxplain, else
/// ~/.cache/voxplain, else the system's temporary folder.
std::filesystem::path cacheDirectory();

}  // namespace voxplain
