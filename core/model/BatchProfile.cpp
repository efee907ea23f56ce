#include "model/BatchProfile.h"

#include <ATen/Parallel.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/jit/runtime/jit_exception.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <limits>

#include <nlohmann/json.hpp>

#include "runtime/AutocastScope.h"
#include "runtime/HostAllocator.h"
#include "runtime/JsonFile.h"
#include "runtime/ProcessMemory.h"
#include "runtime/TorchRuntime.h"
#include "task/InputError.h"

namespace voxplain {
namespace fs = std::filesystem;

int BatchProfile::bestBatch() const {
  int best = 1;
  double cost = std::numeric_limits<double>::infinity();
  for (const BatchCost& c : costs)
    if (c.secondsPerSample < cost) cost = c.secondsPerSample, best = c.batch;
  return best;
}

double BatchProfile::bestSecondsPerSample() const {
  for (const BatchCost& c : costs)
    if (c.batch == bestBatch()) return c.secondsPerSample;
  return 0.0;
}

PassBatch BatchProfile::passBatch() const {
  PassBatch p{bestBatch(), 1};
  if (costs.empty() || costs.front().batch != 1) return p;
  const double single = costs.front().secondsPerSample;
  for (const BatchCost& c : costs)
    if (c.batch > 1 && c.batch <= p.size && double(c.batch) * c.secondsPerSample < single) {
      p.minimum = c.batch;
      break;
    }
  return p;
}

nlohmann::json BatchProfile::toJson() const {
  nlohmann::json perSample = nlohmann::json::object();
  for (const BatchCost& c : costs) perSample[std::to_string(c.batch)] = c.secondsPerSample;
  const PassBatch p = passBatch();
  return {{"batch_seconds_per_sample", perSample}, {"best_batch", p.size}, {"pad_to", p.minimum}, {"cached", cached}};
}

std::string batchProfileCacheFile() {
  fs::path dir;
  if (const char* v = std::getenv("VOXPLAIN_CACHE_DIR"); v && *v)
    dir = v;
  else if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x)
    dir = fs::path(x) / "voxplain";
  else if (const char* h = std::getenv("HOME"); h && *h)
    dir = fs::path(h) / ".cache" / "voxplain";
  else
    return {};
  return (dir / "batch_profiles.json").string();
}

namespace {

using Clock = std::chrono::steady_clock;

std::string cacheKey(const ModelPackage& package, const std::array<std::int64_t, 3>& window,
                     const torch::Device& device, const std::string& precision, PassKind kind) {
  std::string model = package.sha256();
  if (model.empty()) {  // no OpenSSL: the file's path, size and time stand in for its digest
    std::error_code ec;
    const fs::path f = package.manifest().modelFile;
    model = f.string() + ":" + std::to_string(fs::file_size(f, ec)) + ":" +
            std::to_string(fs::last_write_time(f, ec).time_since_epoch().count());
  }
  return model + "|" + package.manifest().layout + "|" + device.str() + "|" + precision + "|threads" +
         std::to_string(at::get_num_threads()) + "|" + std::to_string(window[0]) + "x" + std::to_string(window[1]) +
         "x" + std::to_string(window[2]) + "|" + (kind == PassKind::Forward ? "forward" : "forward_backward") +
         "|torch" + torchRuntimeInfo().torchVersion + "|max" + std::to_string(package.manifest().maxBatchSize);
}

// One timed pass of `batch` samples (the result is read back, so CUDA work is finished).
double timePass(ModelPackage& package, const torch::Tensor& input, const torch::Device& device,
                const std::string& precision, PassKind kind) {
  const auto start = Clock::now();
  if (kind == PassKind::Forward) {
    torch::InferenceMode inference;
    AutocastScope autocast(device, precision);
    (void)forwardLogits(package.module(), package.manifest(), input).sum().item<double>();
  } else {
    const torch::Tensor x = input.detach().clone().set_requires_grad(true);
    const torch::Tensor score = forwardLogits(package.module(), package.manifest(), x).to(torch::kFloat32).sum();
    (void)torch::autograd::grad({score}, {x})[0].sum().item<double>();
  }
  return std::chrono::duration<double>(Clock::now() - start).count();
}

bool isOutOfMemory(const c10::Error& e) {
  const std::string what = e.what_without_backtrace();
  return what.find("out of memory") != std::string::npos || what.find("can't allocate memory") != std::string::npos;
}

BatchProfile measure(ModelPackage& package, const std::array<std::int64_t, 3>& window, const torch::Device& device,
                     const std::string& precision, PassKind kind, const TaskControl& control) {
  const ModelManifest& m = package.manifest();
  const std::int64_t channels = std::int64_t(m.inputs.size());
  BatchProfile profile;
  std::size_t bytesPerSample = 0;
  double best = std::numeric_limits<double>::infinity();
  const std::string what = kind == PassKind::Forward ? "forward" : "forward+backward";
  const std::string windowText =
      std::to_string(window[0]) + "x" + std::to_string(window[1]) + "x" + std::to_string(window[2]);
  for (int batch = 1; batch <= std::max(1, m.maxBatchSize); batch *= 2) {
    control.step(0.0, "measuring the " + what + " cost at batch " + std::to_string(batch));
    if (!device.is_cuda() && batch > 1 && bytesPerSample > 0) {
      const std::size_t available = availableMemoryBytes();
      if (available > 0 && double(bytesPerSample) * batch > 0.5 * double(available)) break;
    }
    const torch::Tensor x = torch::randn({batch, channels, window[0], window[1], window[2]}).to(device);
    double seconds = std::numeric_limits<double>::infinity();
    try {
      // The growth of the resident size at batch 1 estimates the memory per sample; freed memory
      // the process keeps (runtime/HostAllocator.h) would hide it, so it is returned first.
      if (batch == 1 && !device.is_cuda()) releaseFreedMemory();
      const bool peakReset = batch == 1 && !device.is_cuda() && resetPeakResident();
      const std::size_t before = residentBytes();
      (void)timePass(package, x, device, precision, kind);  // warm-up: TorchScript specialises on new shapes
      if (peakReset && peakResidentBytes() > before) bytesPerSample = peakResidentBytes() - before;
      control.checkpoint();
      for (int r = 0; r < 3; ++r) {
        seconds = std::min(seconds, timePass(package, x, device, precision, kind));
        if (seconds * double(r + 1) > 0.5) break;  // repeat only short passes
        control.checkpoint();
      }
    } catch (const c10::Error& e) {
      if (batch > 1 && isOutOfMemory(e)) break;
      throw InputError(m.modelFile.string(), "a pass on a window of " + windowText +
                                                 " failed: " + torchErrorSummary(e.what_without_backtrace()));
    } catch (const torch::jit::JITException& e) {
      throw InputError(m.modelFile.string(),
                       "a pass on a window of " + windowText + " failed: " + torchErrorSummary(e.what()));
    }
    const double perSample = seconds / batch;
    profile.costs.push_back({batch, perSample});
    if (perSample > 1.05 * best) break;  // past the cheapest batch
    best = std::min(best, perSample);
  }
  return profile;
}

}  // namespace

BatchProfile batchProfile(ModelPackage& package, const std::array<std::int64_t, 3>& window, const torch::Device& device,
                          const std::string& precision, PassKind kind, const TaskControl& control, bool remeasure) {
  if (package.device() != device) package.to(device);
  const std::string file = batchProfileCacheFile();
  const std::string key = cacheKey(package, window, device, precision, kind);
  nlohmann::json cache = nlohmann::json::object();
  if (!file.empty() && fs::exists(file)) {
    try {
      cache = readJsonFile(file);
    } catch (const std::exception&) {
      cache = nlohmann::json::object();  // a damaged cache is measured again and replaced
    }
    if (!cache.is_object()) cache = nlohmann::json::object();
  }
  if (!remeasure && cache.contains(key) && cache[key].is_object()) {
    BatchProfile profile;
    profile.cached = true;
    for (auto it = cache[key].begin(); it != cache[key].end(); ++it)
      if (it.value().is_number() && it.value().get<double>() > 0)
        profile.costs.push_back({std::atoi(it.key().c_str()), it.value().get<double>()});
    std::sort(profile.costs.begin(), profile.costs.end(),
              [](const BatchCost& a, const BatchCost& b) { return a.batch < b.batch; });
    if (!profile.costs.empty() && profile.costs.front().batch >= 1) return profile;
  }
  BatchProfile profile = measure(package, window, device, precision, kind, control);
  if (!file.empty()) {
    nlohmann::json entry = nlohmann::json::object();
    for (const BatchCost& c : profile.costs) entry[std::to_string(c.batch)] = c.secondsPerSample;
    cache[key] = entry;
    replaceJsonFile(file, cache);  // best effort: an unwritable cache only means measuring again
  }
  return profile;
}

}  // namespace voxplain
