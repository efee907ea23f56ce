#pragma once
// Peak resident memory of this process (Linux /proc), for the benchmark's memory figures.

#include <cstddef>

namespace voxplain {

/// VmHWM in bytes (0 where /proc is not available).
std::size_t peakResidentBytes();
/// VmRSS in bytes (0 where /proc is not available).
std::size_t residentBytes();
/// MemAvailable of /proc/meminfo in bytes (0 where /proc is not available).
std::size_t availableMemoryBytes();
/// Resets VmHWM to the current resident size (writes 5 to /proc/self/clear_refs; Linux >= 4.0).
/// Returns false where that is not possible.
bool resetPeakResident();

/// Peak bytes allocated by LibTorch's CUDA caching allocator since the last reset; 0 without CUDA.
std::size_t peakGpuBytes();
void resetPeakGpu();

}  // namespace voxplain
