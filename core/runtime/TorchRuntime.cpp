#include "runtime/TorchRuntime.h"

#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <string>

namespace voxplain {

TorchRuntimeInfo torchRuntimeInfo() {
  TorchRuntimeInfo info;
  info.torchVersion = std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) +
                     "." + std::to_string(TORCH_VERSION_PATCH);
  info.cudaAvailable = torch::cuda::is_available();
  info.cudaDeviceCount = info.cudaAvailable ? int(torch::cuda::device_count()) : 0;
  info.cpuThreads = at::get_num_threads();
  return info;
}

}  // namespace voxplain
