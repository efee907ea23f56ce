#pragma once
// How a model runs: device, precision, CPU threads and batch (model/SegmentationRunner.h). Free of
// LibTorch, so that front ends can fill it in.

#include <string>

namespace voxplain {

struct PredictOptions {
  std::string device = "auto";     ///< "auto", "cpu", "cuda" or "cuda:N"
  std::string precision = "fp32";  ///< "fp32", "fp16", "bf16" (autocast; CUDA only)
  int cpuThreads = 0;              ///< applyCpuThreads: 0 = one per CPU the process may use
  int batchSize = 0;               ///< patches per pass; 0 = measured per model (model/BatchProfile.h)
};

}  // namespace voxplain
