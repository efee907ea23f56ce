#include "runtime/ProcessMemory.h"

#include <fstream>
#include <string>

#ifdef VOXPLAIN_HAS_CUDA_STATS
#include <c10/cuda/CUDACachingAllocator.h>
#include <torch/cuda.h>
#endif

namespace voxplain {

namespace {
std::size_t statusField(const std::string& field, const char* file = "/proc/self/status") {
  std::ifstream status(file);
  for (std::string line; std::getline(status, line);)
    if (line.rfind(field, 0) == 0) return std::size_t(std::stoull(line.substr(field.size()))) * 1024;  // kB
  return 0;
}
}  // namespace

std::size_t peakResidentBytes() {
  return statusField("VmHWM:");
}
std::size_t residentBytes() {
  return statusField("VmRSS:");
}
std::size_t availableMemoryBytes() {
  return statusField("MemAvailable:", "/proc/meminfo");
}

bool resetPeakResident() {
  std::ofstream clear("/proc/self/clear_refs");
  if (!clear) return false;
  clear << "5";
  return bool(clear.flush());
}

#ifdef VOXPLAIN_HAS_CUDA_STATS
std::size_t peakGpuBytes() {
  if (!torch::cuda::is_available()) return 0;
  const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(0);
  // Index 0 is StatType::AGGREGATE in every LibTorch (the enum moved namespaces in 2.5).
  return std::size_t(stats.allocated_bytes[0].peak);
}
void resetPeakGpu() {
  if (torch::cuda::is_available()) c10::cuda::CUDACachingAllocator::resetPeakStats(0);
}
#else
std::size_t peakGpuBytes() {
  return 0;
}
void resetPeakGpu() {}
#endif

}  // namespace voxplain
