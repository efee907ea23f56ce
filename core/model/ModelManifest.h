#pragma once
// The model manifest: what a TorchScript segmentation model expects and produces.
// Schema and example: docs/model-package.md. A bad manifest is an InputError naming the field
// ("<file>: sliding_window.patch_size: must be 3 positive integers").

#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace voxplain {

/// Per-modality intensity normalisation applied before the model (MONAI conventions).
struct Normalization {
  enum class Type {
    None,           ///< values used as they are
    ZScoreNonZero,  ///< (x - mean) / std over non-zero voxels; zeros stay 0 (MONAI NormalizeIntensity nonzero=True)
    ZScore,         ///< (x - mean) / std over all voxels
    ClipScale,      ///< clip to [a_min, a_max], map linearly to [b_min, b_max] (CT windows; MONAI ScaleIntensityRange)
    Percentile      ///< map the lower/upper percentiles to [b_min, b_max], clipped (ScaleIntensityRangePercentiles)
  };
  Type type = Type::None;
  double aMin = 0, aMax = 1, bMin = 0, bMax = 1;  ///< ClipScale; Percentile uses lower/upper + bMin/bMax
  double lower = 0.5, upper = 99.5;               ///< percentiles (0..100, linear interpolation as numpy)
  bool clip = true;  ///< ClipScale/Percentile: clip to [bMin, bMax] (MONAI's `clip`, default False there)
  /// ZScore/ZScoreNonZero: one mean and standard deviation over every input that has this flag
  /// (MONAI NormalizeIntensity channel_wise=False) instead of one per input.
  bool joint = false;
};

struct ModelInput {
  std::string name;  ///< modality name ("FLAIR", "T1", "CT"), used for output file names
  Normalization normalization;
};

struct LabelInfo {
  int value = 0;
  std::string name;
  std::array<int, 3> color{128, 128, 128};  ///< RGB 0..255
};

struct ModelManifest {
  std::string name = "unnamed model";
  std::string version;
  std::string description;
  std::filesystem::path modelFile;  ///< absolute path of the TorchScript file
  std::string sha256;               ///< expected hex digest of modelFile (empty: not checked)
  std::vector<ModelInput> inputs;   ///< in channel order
  /// True when nothing named the inputs (a bare TorchScript file opened without input names):
  /// `inputs` then hold placeholders "input1".. from the dry run, a study feeds them in its own
  /// order and maps carry the study's names (model/Preprocessing.h orderedInputs), until
  /// ModelPackage::nameInputs gives them the names of the volumes assigned to them.
  bool inputNamesGuessed = false;
  std::optional<std::array<double, 3>> spacing;  ///< mm; resample the study to it (none: use as is)
  std::string orientation;                       ///< e.g. "RAS", "LPS"; empty: keep the study's orientation
  std::string layout = "NCXYZ";                  ///< or "NCZYX" (channels-first, Z slowest index first)
  std::array<int, 3> patchSize{128, 128, 128};   ///< voxels (see windowFit)
  /// ClipToVolume: a patch larger than the volume is clipped to it (then rounded up to
  /// divisibleBy, or to what a dry run shows the model accepts; model/InferenceWindow.h).
  /// PadToWindow: the volume is padded to the patch (MONAI's SlidingWindowInferer; bundles).
  enum class WindowFit { ClipToVolume, PadToWindow };
  WindowFit windowFit = WindowFit::ClipToVolume;
  /// Monai: patches `overlap` apart, the last one at the far border, MONAI's Gaussian. Nnunet:
  /// nnU-Net's step rule with tile step 1 - overlap and its Gaussian (model/SlidingWindow.h).
  enum class WindowScheme { Monai, Nnunet };
  WindowScheme windowScheme = WindowScheme::Monai;
  /// Run the model on the bounding box of the voxels where any input is non-zero (before
  /// normalisation, on the model grid), as nnU-Net's preprocessing crops; outside it the prediction
  /// is background and every map zero (model/Preprocessing.h, nonzeroBox).
  bool cropToNonzero = false;
  /// False for the defaults of a bare TorchScript file (then every window is checked by a dry run).
  bool patchDeclared = false;
  std::array<int, 3> divisibleBy{1, 1, 1};  ///< window sizes the model accepts are multiples of these
  double overlap = 0.25;                    ///< fraction of the patch shared by neighbours, [0, 1)
  std::string blend = "gaussian";           ///< "gaussian" or "constant"
  double gaussianSigmaScale = 0.125;        ///< sigma = scale * patch size (MONAI's default)
  double importanceFloor = 0.0;             ///< SlidingWindowOptions::importanceFloor (bundles: 1e-3, as MONAI)
  /// The largest number of patches per pass tried when the batch is chosen by measurement
  /// (model/BatchProfile.h): a memory bound set by the model's author.
  int maxBatchSize = 8;
  std::string activation = "softmax";  ///< "softmax", "sigmoid" or "none"
  std::vector<LabelInfo> labels;       ///< one per output channel for softmax
  /// Layer groups for CAM methods: "encoder", "bottleneck", "decoder", "decoder_no_transpose".
  std::map<std::string, std::vector<std::string>> layerGroups;
  /// What the user should know about how this manifest was obtained (defaults, MONAI mapping).
  std::vector<std::string> notes;

  /// Index of a label by value, or -1.
  int channelOfLabel(int value) const;
  /// The label explained when none is named: the value of the second label (the first after
  /// background), or 1 when the manifest lists fewer than two.
  int defaultTargetLabel() const { return labels.size() > 1 ? labels[1].value : 1; }
};

/// Parses and validates a manifest JSON object. `base` resolves a relative "model" path.
/// Throws InputError(source, "<field>: <reason>").
ModelManifest parseManifest(const nlohmann::json& json, const std::filesystem::path& base, const std::string& source);

/// Maps a MONAI bundle's configs/metadata.json ("network_data_format") onto a manifest (channels,
/// labels, spatial_shape as the patch; the name from "name", else "task", else the bundle's folder);
/// model/MonaiBundle.h adds configs/inference.json.
ModelManifest manifestFromMonaiMetadata(const nlohmann::json& metadata, const std::filesystem::path& modelFile,
                                        const std::string& source);

/// Defaults for a bare TorchScript file without manifest (told to the user through notes):
/// inputs as given (no normalisation, no resampling), 128^3 window, softmax, labels 0..C-1.
/// `inputNames` name the channels; `classes` is filled in after a dry run (0: unknown yet).
ModelManifest defaultManifest(const std::filesystem::path& modelFile, const std::vector<std::string>& inputNames);

}  // namespace voxplain
