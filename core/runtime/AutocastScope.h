#pragma once
// fp16 / bf16 autocast for the scope of one pass, on CUDA only (fp32 and CPU: nothing changes).

#include <ATen/autocast_mode.h>
#include <torch/torch.h>

#include <string>

namespace voxplain {

class AutocastScope {
 public:
  /// `precision`: "fp32", "fp16" or "bf16".
  AutocastScope(const torch::Device& device, const std::string& precision) {
    if (!device.is_cuda() || precision == "fp32") return;
    at::autocast::set_autocast_gpu_dtype(precision == "bf16" ? at::kBFloat16 : at::kHalf);
    at::autocast::set_enabled(true);
    active_ = true;
  }
  ~AutocastScope() {
    if (active_) {
      at::autocast::set_enabled(false);
      at::autocast::clear_cache();
    }
  }
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  bool active_ = false;
};

}  // namespace voxplain
