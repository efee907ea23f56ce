#pragma once
// How many patches a model should take per pass, measured rather than assumed.
//
// Per-sample cost depends on the batch, and not monotonically: on Debian's LibTorch 1.13 CPU build a
// 3D convolution of batch 1 with few input channels (N*C*X*Y <= 20480, 3x3x3 kernels) does not use
// oneDNN and falls back to a slow native kernel, so one 2x64^3 forward at batch 1 costs more than two
// samples at batch 2 together. The profile times one pass at batch 1, 2, 4, 8 (up to the manifest's
// batch_size, within memory), keeps the cheapest per sample as the batch, and the smallest batch whose
// whole pass costs less than a batch-1 pass as the padding target of smaller passes (PassBatch).
// A profile is measured once per model file (SHA-256), device, precision, CPU threads, window and
// pass kind, and kept in $VOXPLAIN_CACHE_DIR (else $XDG_CACHE_HOME/voxplain, else ~/.cache/voxplain)
// in batch_profiles.json.

#include <array>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "model/ModelPackage.h"
#include "model/SlidingWindow.h"
#include "task/TaskControl.h"

namespace voxplain {

enum class PassKind {
  Forward,         ///< inference only (prediction, perturbations, KWC, activations)
  ForwardBackward  ///< forward and the input gradient of a scalar (gradient and CAM methods)
};

struct BatchCost {
  int batch = 1;
  double secondsPerSample = 0.0;
};

struct BatchProfile {
  std::vector<BatchCost> costs;  ///< in increasing batch order; empty when not measured
  bool cached = false;           ///< read from the cache rather than measured now

  /// The batch with the smallest cost per sample (1 when empty).
  int bestBatch() const;
  /// Seconds per sample at bestBatch() (0 when empty).
  double bestSecondsPerSample() const;
  /// size = bestBatch(); minimum = the smallest batch b whose pass costs less than a batch-1 pass
  /// (b x cost(b) < cost(1)), else 1.
  PassBatch passBatch() const;
  /// {"batch_seconds_per_sample": {"1": s, ...}, "best_batch": b, "pad_to": m, "cached": bool}
  nlohmann::json toJson() const;
};

/// The profile of `package` for patches of `window` voxels on `device` ("fp32"/"fp16"/"bf16"
/// autocast on CUDA), from the cache or measured now (then stored). Measuring stops at the first
/// batch that is not cheaper per sample than the best so far, at out-of-memory, and before a batch
/// whose estimated memory exceeds half the available memory. Checks cancellation between passes.
/// With `remeasure` the cache is not read (but updated). Throws InputError (the model fails on the
/// window), OperationCancelled.
BatchProfile batchProfile(ModelPackage& package, const std::array<std::int64_t, 3>& window, const torch::Device& device,
                          const std::string& precision, PassKind kind, const TaskControl& control = {},
                          bool remeasure = false);

/// Where profiles are cached (see above).
std::string batchProfileCacheFile();

}  // namespace voxplain
