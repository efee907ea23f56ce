#pragma once
// The sliding window a model runs with on a volume, and how many patches each pass takes: one
// decision shared by prediction, every attribution method and the benchmark, so that they all
// run the network on exactly the inputs it would see in PyTorch.
//
// Window (manifest windowFit):
//  - ClipToVolume (manifests, bare TorchScript files): the patch is clipped to the volume, so a small
//    volume runs as one window of exactly its size - instance and group normalisation then see the
//    statistics they would see in PyTorch, and no time goes into padding. The clipped window is
//    rounded up to the manifest's divisible_by. When the window was not declared by the model
//    (a bare file, or a volume smaller than the declared patch without divisible_by), a dry run
//    checks that the model accepts it; if not, the smallest padded window it accepts is used
//    (multiples of 2, 4, 8, 16, 32, then the declared patch, then for a bare file the cube its dry
//    run at open succeeded on, slid over a larger volume): the volume is zero-padded symmetrically as
//    little as possible, and a note says so.
//  - PadToWindow (MONAI bundles): the patch as declared, a smaller volume zero-padded to it, as
//    MONAI's sliding_window_inference does; a note says so.
// Batches (RunOptions::batchSize): > 0 fixes the patches per pass; 0 measures them
// (model/BatchProfile.h, cached per model).

#include <array>
#include <string>
#include <vector>

#include "model/BatchProfile.h"
#include "model/ModelPackage.h"
#include "model/SlidingWindow.h"
#include "task/TaskControl.h"

namespace voxplain {

struct InferenceWindow {
  SlidingWindowOptions options;    ///< patch, overlap, blending; batches as chosen
  std::vector<std::string> notes;  ///< padding, measured batches
};

/// The window of `package` for a model-grid volume of `size` voxels (batches left at 1).
/// Throws InputError naming the model file when it accepts no window tried.
InferenceWindow inferenceWindow(ModelPackage& package, const std::array<std::int64_t, 3>& size);

/// Sets window.options' batch of `kind` (forwardBatch or gradientBatch): fixed to `batchSize` when
/// > 0, else measured on `device` (cached). Adds a note with the measurement. Throws InputError
/// (the model fails on the window), OperationCancelled.
void chooseBatch(InferenceWindow& window, ModelPackage& package, const torch::Device& device,
                 const std::string& precision, int batchSize, PassKind kind, const TaskControl& control = {});

}  // namespace voxplain
