#pragma once
// Host memory for 3D networks: keep freed tensor memory in the process.
//
// glibc serves blocks above its mmap threshold (at most 32 MiB) with mmap and returns them to the
// system on free, and trims the heap top above 128 KiB. A forward+backward pass of a 3D network
// allocates and frees activations of tens to hundreds of MiB, so every pass page-faults its memory
// anew. Measured on this project's 2-core machine (LibTorch 1.13 CPU, an InstanceNorm U-Net, 2x64^3,
// batch 2): forward+backward 1.8 s with glibc's defaults, 0.40 s with mmap off and a high trim
// threshold (tools/compare_with_pytorch.py shows the effect against the same file run from Python).
// The price: the process keeps its peak host memory resident until it exits (flat, not growing).

namespace voxplain {

/// Sets glibc's M_MMAP_MAX = 0, M_TRIM_THRESHOLD = 1 GiB and M_TOP_PAD = 64 MiB, once per process.
/// Called by ModelPackage::open(); idempotent. Does nothing without glibc, or when the environment
/// sets VOXPLAIN_SYSTEM_MALLOC=1 or any MALLOC_*_ tunable of its own. Returns whether it changed them.
bool keepFreedTensorMemory();

/// Returns the freed memory the process keeps to the system (malloc_trim), e.g. before measuring
/// how much memory a pass needs from the growth of the resident size. No-op without glibc.
void releaseFreedMemory();

}  // namespace voxplain
