#pragma once
// fp16 / bf16 autocast for the scope of one pass, on CUDA only (fp32 and CPU: nothing changes).

#include <ATen/autocast_mode.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <string>

namespace voxplain {

class AutocastScope {
 public:
  /// `precision`: "fp32", "fp16" or "bf16".
  AutocastScope(const torch::Device& device, const std::string& precision) {
    if (!device.is_cuda() || precision == "fp32") return;
    setCudaAutocast(true, precision == "bf16" ? at::kBFloat16 : at::kHalf);
    active_ = true;
  }
  ~AutocastScope() {
    if (active_) {
      setCudaAutocast(false, at::kHalf);
      at::autocast::clear_cache();
    }
  }
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  // LibTorch 2.4 replaced the CUDA-only calls by per-device ones (the old ones warn on every call).
  static void setCudaAutocast(bool enabled, at::ScalarType dtype) {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    if (enabled) at::autocast::set_autocast_dtype(at::kCUDA, dtype);
    at::autocast::set_autocast_enabled(at::kCUDA, enabled);
#else
    if (enabled) at::autocast::set_autocast_gpu_dtype(dtype);
    at::autocast::set_enabled(enabled);
#endif
  }
  bool active_ = false;
};

}  // namespace voxplain
