#include "benchmark/AttributionBenchmark.h"

#include <chrono>
#include <limits>

#include "attribution/AttributionMethod.h"
#include "attribution/Explainer.h"
#include "model/SegmentationRunner.h"
#include "runtime/ProcessMemory.h"
#include "runtime/TorchRuntime.h"
#include "synthetic/LesionPhantom.h"
#include "task/InputError.h"

namespace voxplain {
namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Best seconds per patch over batch sizes, for forward+backward or forward only.
nlohmann::json unitPass(ModelPackage& package, const torch::Device& device, int repeats, bool backward, const TaskControl& control) {
  const ModelManifest& m = package.manifest();
  nlohmann::json byBatch = nlohmann::json::object();
  double best = std::numeric_limits<double>::infinity();
  int bestBatch = 1;
  for (int batch : {1, 2, 4, 8}) {
    control.checkpoint();
    const torch::Tensor x0 = torch::randn({batch, std::int64_t(m.inputs.size()), m.patchSize[0], m.patchSize[1], m.patchSize[2]}).to(device);
    double fastest = std::numeric_limits<double>::infinity();
    try {
      for (int r = 0; r <= repeats; ++r) {  // the first run warms up
        const auto start = std::chrono::steady_clock::now();
        if (backward) {
          const torch::Tensor x = x0.clone().set_requires_grad(true);
          forwardLogits(package.module(), m, x).select(1, 1).sum().backward();
          (void)x.grad().sum().item<float>();  // waits for the device
        } else {
          torch::NoGradGuard noGrad;
          (void)forwardLogits(package.module(), m, x0).sum().item<float>();
        }
        if (r > 0) fastest = std::min(fastest, secondsSince(start));
      }
    } catch (const c10::Error&) {  // out of memory at this batch: larger ones will not fit either
      break;
    }
    byBatch[std::to_string(batch)] = fastest / batch;
    if (fastest / batch < best) {
      best = fastest / batch;
      bestBatch = batch;
    }
  }
  return {{"seconds_per_patch", best}, {"best_batch", bestBatch}, {"seconds_per_patch_by_batch", byBatch}};
}

ParameterSet paramsFor(const std::string& method, const std::vector<std::string>& all) {
  std::vector<std::string> mine;
  for (const std::string& p : all) {
    const auto colon = p.find(':');
    if (colon == std::string::npos) throw InputError("--param " + p, "give it as METHOD:key=value in a benchmark");
    if (p.substr(0, colon) == method) mine.push_back(p.substr(colon + 1));
  }
  return ParameterSet::parse(mine);
}

}  // namespace

nlohmann::json runAttributionBenchmark(ModelPackage& package, const BenchmarkOptions& options, const TaskControl& control) {
  if (options.size < 8 || options.size > 2048) throw InputError("--size " + std::to_string(options.size), "must be 8..2048 voxels");
  std::vector<std::string> methods = options.methods;
  if (methods.empty() || (methods.size() == 1 && methods[0] == "all")) {
    methods.clear();
    for (const MethodInfo& info : methodRegistry()) methods.push_back(info.name);
  }
  for (const std::string& name : methods) findMethod(name);
  if (options.threads > 0) at::set_num_threads(options.threads);
  const torch::Device device = resolveDevice(options.device);
  if (package.device() != device) package.to(device);

  const ModelManifest& m = package.manifest();
  LesionPhantomOptions po;
  po.size = {std::size_t(options.size), std::size_t(options.size), std::size_t(options.size)};
  po.seed = 7;
  const LesionPhantom phantom = makeLesionPhantom(po);
  Study study;
  for (std::size_t i = 0; i < m.inputs.size(); ++i) study.addModality(m.inputs[i].name, "phantom", i % 2 == 0 ? phantom.flair : phantom.t1);

  nlohmann::json report;
  const TorchRuntimeInfo runtime = torchRuntimeInfo();
  report["torch"] = runtime.torchVersion;
  report["device"] = device.str();
  report["cpu_threads"] = at::get_num_threads();
  report["model"] = {{"name", m.name}, {"patch", m.patchSize}};
  report["volume"] = {options.size, options.size, options.size};
  report["target"] = options.target;
  control.step(0.0, "timing the unit passes");
  report["unit"]["forward_backward"] = unitPass(package, device, options.repeats, true, control);
  report["unit"]["forward"] = unitPass(package, device, options.repeats, false, control);
  report["methods"] = nlohmann::json::array();
  for (std::size_t i = 0; i < methods.size(); ++i) {
    const MethodInfo& info = findMethod(methods[i]);
    const bool forwardOnly = info.family == "perturbation" || info.name == "kwc" || info.name == "activations";
    const nlohmann::json& unit = report["unit"][forwardOnly ? "forward" : "forward_backward"];
    ExplainRequest request;
    request.method = info.name;
    request.params = paramsFor(info.name, options.params);
    request.target = TargetSpec::parse(options.target, m.defaultTargetLabel());
    request.runtime.device = options.device;
    request.runtime.batchSize = unit["best_batch"].get<int>();
    const bool peakReset = resetPeakResident();
    const std::size_t rssBefore = residentBytes();
    resetPeakGpu();
    const TaskControl sub = control.range(double(i) / double(methods.size()), double(i + 1) / double(methods.size()));
    const Explanation e = explain(package, study, request, sub);
    const double seconds = e.record["timing_seconds"]["method"].get<double>();
    const std::size_t k = info.name == "kwc" ? e.record["details"]["partial_passes"].get<std::size_t>() : e.record["patch_passes"].get<std::size_t>();
    const double unitSeconds = unit["seconds_per_patch"].get<double>();
    report["methods"].push_back({{"name", info.name},
                                 {"family", info.family},
                                 {"parameters", e.record["parameters"]},
                                 {"seconds", seconds},
                                 {"k", k},
                                 {"unit", forwardOnly ? "forward" : "forward_backward"},
                                 {"ratio", k > 0 ? seconds / (double(k) * unitSeconds) : 0.0},
                                 {"peak_host_bytes", peakResidentBytes()},
                                 {"host_bytes_before", rssBefore},
                                 {"peak_host_reset", peakReset},
                                 {"peak_gpu_bytes", peakGpuBytes()},
                                 {"target_voxels", e.regions.empty() ? 0 : e.regions[0].voxels}});
  }
  control.step(1.0, "benchmark done");
  return report;
}

}  // namespace voxplain
