#pragma once
// Facts about the linked LibTorch: version and available compute devices.
// The only place core includes torch headers for this purpose; keeps other TUs light.

#include <string>

namespace voxplain {

struct TorchRuntimeInfo {
  std::string torchVersion;   ///< e.g. "1.13.1"
  bool cudaAvailable = false;
  int cudaDeviceCount = 0;
  int cpuThreads = 0;         ///< at::get_num_threads()
};

TorchRuntimeInfo torchRuntimeInfo();

/// One line for a person from a LibTorch error text (c10::Error::what_without_backtrace()): the
/// final "SomethingError: ..." line of a TorchScript traceback, else the first line; never empty,
/// at most 300 characters.
std::string torchErrorSummary(const std::string& what);

}  // namespace voxplain
