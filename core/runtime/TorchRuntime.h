#pragma once
// Facts about the linked LibTorch: version and available compute devices.
// The only place core includes torch headers for this purpose; keeps other TUs light.

#include <string>

namespace voxplain {

struct TorchRuntimeInfo {
  std::string torchVersion;  ///< e.g. "1.13.1"
  bool cudaAvailable = false;
  int cudaDeviceCount = 0;
  int cpuThreads = 0;  ///< at::get_num_threads()
};

TorchRuntimeInfo torchRuntimeInfo();

/// The CPU threads every command runs LibTorch with (predict, explain, evaluate, bench and the app):
/// `requested` > 0 as given, 0 = one per CPU this process may run on (its affinity mask, so a
/// container's or taskset's limit is honoured; LibTorch's own default counts physical cores and
/// can be 1 on a 2-vCPU machine). Sets at::set_num_threads and returns the count now in use.
int applyCpuThreads(int requested);

/// One line for a person from a LibTorch error text (c10::Error::what_without_backtrace()): the
/// final "SomethingError: ..." line of a TorchScript traceback, else the first line; never empty,
/// at most 300 characters.
std::string torchErrorSummary(const std::string& what);

}  // namespace voxplain
