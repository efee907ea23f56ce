#pragma once
// A model package opened from disk: TorchScript module + manifest.
//
// Accepted forms (docs/model-package.md):
//  - model.json (manifest) naming its TorchScript file ("model": "model.pt"), or model.pt with a
//    model.json beside it;
//  - a MONAI bundle folder: configs/metadata.json + models/model.ts;
//  - an nnU-Net v2 results folder (trainer or dataset folder; model/NnunetFolder.h);
//  - a bare TorchScript file: defaults, told to the user through manifest().notes.
// The module's parameters are frozen (no parameter gradients: input/tap gradients only, which is
// what attribution needs and halves backward cost; shared/research-notes.md). Opening a package
// also keeps freed tensor memory in the process (runtime/HostAllocator.h: 3-4x faster passes).

#include <torch/script.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "model/ModelManifest.h"
#include "model/NnunetFolder.h"

namespace voxplain {

struct SubmoduleInfo {
  std::string name;                       ///< dotted path, e.g. "dec1" or "dec1.conv2"
  std::string type;                       ///< TorchScript class name, e.g. "Conv3d"
  std::vector<std::int64_t> outputShape;  ///< from a dry run; empty when not a tensor or not reached
};

class ModelPackage {
 public:
  /// Opens `path` (see above). `inputNames` names the channels of a bare model (file stems).
  /// verifySha: compare with the manifest's sha256 when it has one. `nnunet`: configuration,
  /// folds, checkpoint and mirroring of an nnU-Net folder (ignored for other forms). Throws InputError.
  static ModelPackage open(const std::filesystem::path& path, const std::vector<std::string>& inputNames = {},
                           bool verifySha = true, const NnunetChoice& nnunet = {});

  const ModelManifest& manifest() const { return manifest_; }
  /// For run-time overrides of the window (patch size, overlap, batch) by the caller.
  ModelManifest& manifest() { return manifest_; }
  /// Names the inputs of a model whose file names none (manifest().inputNamesGuessed), in channel
  /// order, as the study volumes assigned to them are named: a study then feeds them by name and
  /// maps carry those names. Throws InputError (naming the model file) when the manifest named the
  /// inputs, when the count differs, or when a name is empty or repeated (case-insensitive).
  void nameInputs(const std::vector<std::string>& names);
  torch::jit::Module& module() { return module_; }
  const torch::jit::Module& module() const { return module_; }
  /// SHA-256 of the TorchScript file (computed on open when OpenSSL is available; else empty).
  const std::string& sha256() const { return sha256_; }
  /// Output channels, from the manifest's labels or a dry run.
  int classes() const { return classes_; }
  /// Every named submodule (depth first) with its output shape for a small dry-run input.
  std::vector<SubmoduleInfo> describeSubmodules(const std::array<int, 3>& dryRunSize) const;
  /// Whether forward() runs on one [1, C, window] input of zeros (a dry run on the module's device,
  /// remembered per window). On failure `reason` gets the first line of the error.
  bool acceptsWindow(const std::array<std::int64_t, 3>& window, std::string* reason = nullptr);
  /// The cube on which the dry run at open() succeeded (32^3 .. 128^3), when one was needed; zeros
  /// otherwise. A model traced at a fixed size runs on windows of this size.
  const std::array<std::int64_t, 3>& dryRunWindow() const { return dryRunWindow_; }
  /// Moves the module (parameters and buffers) to `device`.
  void to(const torch::Device& device);
  const torch::Device& device() const { return device_; }

 private:
  ModelManifest manifest_;
  torch::jit::Module module_;
  std::string sha256_;
  int classes_ = 0;
  torch::Device device_{torch::kCPU};
  std::map<std::array<std::int64_t, 3>, std::string> dryRuns_;  // window -> "" (accepted) or the error
  std::array<std::int64_t, 3> dryRunWindow_{0, 0, 0};
};

/// Runs the module's forward on `input` [N, C, X, Y, Z] (layout conversion applied for NCZYX) and
/// returns logits [N, K, X, Y, Z]. Throws InputError when the output is not a 5D tensor.
torch::Tensor forwardLogits(torch::jit::Module& module, const ModelManifest& manifest, const torch::Tensor& input);

}  // namespace voxplain
