#pragma once
// Running a model package on a study: pre-processing, sliding-window inference on CUDA or CPU,
// activation, and mapping of probabilities and labels back onto the study grid.
//
// Devices: "auto" picks CUDA when available. On CUDA, out-of-memory halves the batch and retries,
// then falls back to the CPU; the result says so. Optional fp16/bf16 autocast on CUDA only.

#include <string>
#include <vector>

#include "model/InferenceWindow.h"
#include "model/ModelPackage.h"
#include "model/PredictOptions.h"
#include "task/TaskControl.h"
#include "volume/Study.h"

namespace voxplain {

struct Prediction {
  std::vector<Volume> probabilities;  ///< one per output channel, on the study grid
  /// Label values from the manifest on the study grid: model/PredictedLabels.h's rule on the model
  /// grid, brought here by nearest neighbour (the voxels every class target of an explanation covers).
  LabelVolume labels;
  /// The grid the model ran on (the study grid unless the manifest asks for a spacing/orientation).
  Geometry modelGrid;
  /// Raw model output on modelGrid: [K, X, Y, Z], CPU float32. Kept so that explanations of this
  /// prediction reuse it (ExplainRequest::prediction) instead of running the model again.
  torch::Tensor modelLogits;
  LabelVolume modelLabels;    ///< labels on modelGrid (labels before resampling)
  std::string modelSha256;    ///< of the package that made it (ModelPackage::sha256)
  std::string device;         ///< where it finally ran, e.g. "cpu", "cuda:0"
  int batchSize = 0;          ///< the batch size that finally ran
  double seconds = 0.0;       ///< inference wall time (model grid, sliding window)
  double totalSeconds = 0.0;  ///< including pre/post-processing
  std::size_t patches = 0;
  std::array<std::int64_t, 3> window{};  ///< the sliding window used (model/InferenceWindow.h)
  std::vector<std::string> notes;        ///< padding, batches, OOM retries, CPU fallback, resampling
};

/// Resolves "auto"/"cpu"/"cuda[:N]"; throws InputError for CUDA when none is available. A CUDA
/// device turns TF32 off (cuDNN and cuBLAS), so fp32 on the GPU is IEEE float32 as on the CPU.
torch::Device resolveDevice(const std::string& name);

/// Prepares passes of `package` on `input` ([1, C, X, Y, Z]) as `options` ask: sets the CPU threads,
/// moves the package to the device, and returns the model's window on the input with the forward
/// batch chosen (model/BatchProfile.h), so the batch is measured as the passes will run.
/// Throws InputError (device), OperationCancelled.
InferenceWindow prepareInference(ModelPackage& package, const torch::Tensor& input, const PredictOptions& options,
                                 const TaskControl& control);

/// Runs `package` on `study`. Throws InputError, OperationCancelled (checked between batches).
Prediction predict(ModelPackage& package, const Study& study, const PredictOptions& options,
                   const TaskControl& control = {});

/// Logits on the model grid: [1, K, X, Y, Z] CPU float32 (the core of predict(); used by tests).
torch::Tensor predictLogits(ModelPackage& package, const torch::Tensor& input, const PredictOptions& options,
                            const TaskControl& control, Prediction* info = nullptr);

}  // namespace voxplain
