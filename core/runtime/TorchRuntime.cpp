#include "runtime/TorchRuntime.h"

#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <sched.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace voxplain {

TorchRuntimeInfo torchRuntimeInfo() {
  TorchRuntimeInfo info;
  info.torchVersion = std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
                      std::to_string(TORCH_VERSION_PATCH);
  info.cudaAvailable = torch::cuda::is_available();
  info.cudaDeviceCount = info.cudaAvailable ? int(torch::cuda::device_count()) : 0;
  info.cpuThreads = at::get_num_threads();
  return info;
}

int applyCpuThreads(int requested) {
  int threads = requested;
  if (threads <= 0) {
    cpu_set_t mask;
    CPU_ZERO(&mask);
    threads =
        sched_getaffinity(0, sizeof(mask), &mask) == 0 ? CPU_COUNT(&mask) : int(std::thread::hardware_concurrency());
    threads = std::max(threads, 1);
  }
  if (at::get_num_threads() != threads) at::set_num_threads(threads);
  return at::get_num_threads();
}

std::string torchErrorSummary(const std::string& what) {
  std::vector<std::string> lines;
  std::stringstream ss(what);
  for (std::string line; std::getline(ss, line);)
    if (line.find_first_not_of(" \t\r") != std::string::npos)
      lines.push_back(line.substr(line.find_first_not_of(" \t")));
  std::string summary = lines.empty() ? "forward() failed" : lines.front();
  if (what.find("Traceback") != std::string::npos)
    for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
      const std::size_t colon = it->find("Error: ");
      if (colon != std::string::npos && it->find(' ') > colon) {
        summary = *it;
        break;
      }
    }
  return summary.size() > 300 ? summary.substr(0, 300) + "..." : summary;
}

}  // namespace voxplain
