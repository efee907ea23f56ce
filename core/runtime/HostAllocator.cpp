#include "runtime/HostAllocator.h"

#include <cstdlib>
#include <mutex>
#include <string>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace voxplain {

bool keepFreedTensorMemory() {
  static std::once_flag once;
  static bool changed = false;
  std::call_once(once, [] {
#if defined(__GLIBC__)
    const char* optOut = std::getenv("VOXPLAIN_SYSTEM_MALLOC");
    if (optOut && std::string(optOut) == "1") return;
    for (const char* tunable :
         {"MALLOC_MMAP_MAX_", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_"})
      if (std::getenv(tunable)) return;  // the user's own settings win
    changed =
        mallopt(M_MMAP_MAX, 0) == 1 && mallopt(M_TRIM_THRESHOLD, 1 << 30) == 1 && mallopt(M_TOP_PAD, 64 << 20) == 1;
#endif
  });
  return changed;
}

void releaseFreedMemory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace voxplain
