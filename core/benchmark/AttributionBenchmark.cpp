#include "benchmark/AttributionBenchmark.h"

#include <torch/csrc/jit/runtime/jit_exception.h>

#include <torch/serialize.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "attribution/AttributionMethod.h"
#include "attribution/Explainer.h"
#include "model/BatchProfile.h"
#include "model/InferenceWindow.h"
#include "model/Preprocessing.h"
#include "model/SegmentationRunner.h"
#include "runtime/ProcessMemory.h"
#include "runtime/TorchRuntime.h"
#include "synthetic/LesionPhantom.h"
#include "task/InputError.h"

namespace voxplain {
namespace {

// Runs `work`; a LibTorch failure becomes one line naming the model file (never a traceback).
template <class Work>
auto namingTheModel(const ModelPackage& package, const std::string& what, Work&& work) {
  try {
    return work();
  } catch (const c10::Error& e) {
    throw InputError(package.manifest().modelFile.string(),
                     what + " failed: " + torchErrorSummary(e.what_without_backtrace()));
  } catch (const torch::jit::JITException& e) {
    throw InputError(package.manifest().modelFile.string(), what + " failed: " + torchErrorSummary(e.what()));
  }
}

ParameterSet paramsFor(const std::string& method, const std::vector<std::string>& all) {
  const std::map<std::string, ParameterSet> byMethod = parseQualifiedParameters(all);
  return byMethod.count(method) ? byMethod.at(method) : ParameterSet();
}

// Cancels its token at the second patch report of a prediction, and remembers when.
class CancelAtSecondPatch : public ProgressSink {
 public:
  explicit CancelAtSecondPatch(CancellationToken& token) : token_(token) {}
  void report(double, const std::string& stage) override {
    if (stage.rfind("patch ", 0) == 0 && ++patches_ == 2) {
      requested_ = std::chrono::steady_clock::now();
      token_.cancel();
    }
  }
  bool requested() const { return patches_ >= 2; }
  std::chrono::steady_clock::time_point when() const { return requested_; }

 private:
  CancellationToken& token_;
  int patches_ = 0;
  std::chrono::steady_clock::time_point requested_;
};

// How long a prediction takes to stop after a cancel that arrives as a batch starts: the
// mechanism's bound is one batch pass (the cancel is read between batches), so the ratio to
// one forward pass at that batch should be about 1.
nlohmann::json cancelLatency(ModelPackage& package, const Study& study, const BenchmarkOptions& options,
                             const BatchProfile& forward) {
  CancellationToken token;
  CancelAtSecondPatch sink(token);
  PredictOptions run;
  run.device = options.device;
  run.precision = options.precision;
  try {
    predict(package, study, run, TaskControl(&sink, &token));
  } catch (const OperationCancelled&) {
    const double latency = std::chrono::duration<double>(std::chrono::steady_clock::now() - sink.when()).count();
    const double batchPass = double(forward.bestBatch()) * forward.bestSecondsPerSample();
    return {{"latency_seconds", latency},
            {"batch_pass_seconds", batchPass},
            {"ratio", batchPass > 0 ? latency / batchPass : 0.0}};
  }
  return {
      {"note", sink.requested() ? "the prediction ended before the cancel was read" : "one patch: nothing to cancel"}};
}

// The maps of one explanation as one tensor [regions, inputs, Z, Y, X] (volumes are x-fastest).
void writeMaps(const Explanation& e, const std::filesystem::path& file) {
  std::vector<torch::Tensor> regions;
  for (const RegionMaps& region : e.regions) {
    std::vector<torch::Tensor> inputs;
    for (const Volume& map : region.perModality) {
      const auto& n = map.geometry().size;
      inputs.push_back(torch::from_blob(const_cast<float*>(map.voxels().data()),
                                        {std::int64_t(n[2]), std::int64_t(n[1]), std::int64_t(n[0])}, torch::kFloat32)
                           .clone());
    }
    regions.push_back(torch::stack(inputs));
  }
  const std::vector<char> bytes = torch::pickle_save(regions.empty() ? torch::Tensor() : torch::stack(regions));
  std::ofstream out(file, std::ios::binary);
  out.write(bytes.data(), std::streamsize(bytes.size()));
  if (!out) throw InputError(file.string(), "cannot write the maps");
}

}  // namespace

nlohmann::json runAttributionBenchmark(ModelPackage& package, const BenchmarkOptions& options,
                                       const TaskControl& control) {
  for (int edge : options.size)
    if (edge < 8 || edge > 2048) throw InputError(InputField::Size, std::to_string(edge), "must be 8..2048 voxels");
  if (!options.mapsFolder.empty()) {
    std::error_code error;
    std::filesystem::create_directories(options.mapsFolder, error);
    if (error) throw InputError(options.mapsFolder, "cannot create the maps folder: " + error.message());
  }
  std::vector<std::string> methods = options.methods;
  if (methods.empty() || (methods.size() == 1 && methods[0] == "all")) {
    methods.clear();
    for (const MethodInfo& info : methodRegistry()) methods.push_back(info.name);
  }
  // Every method and parameter is checked before the first pass: a typo must not cost the passes.
  for (const std::string& name : methods) checkParameters(findMethod(name), paramsFor(name, options.params));
  for (const auto& byMethod : parseQualifiedParameters(options.params)) {
    const std::string& method = byMethod.first;  // a named variable: C++17 lambdas cannot capture bindings
    if (std::find(methods.begin(), methods.end(), method) == methods.end())
      throw InputError(InputField::Parameter, method + "." + byMethod.second.values().begin()->first,
                       std::any_of(methodRegistry().begin(), methodRegistry().end(),
                                   [&](const MethodInfo& m) { return m.name == method; })
                           ? "is for " + method + ", which this benchmark does not run"
                           : "names no method (method.key=value)");
  }
  applyCpuThreads(options.threads);
  const torch::Device device = resolveDevice(options.device);
  if (package.device() != device) package.to(device);

  const ModelManifest& m = package.manifest();
  LesionPhantomOptions po;
  po.size = {std::size_t(options.size[0]), std::size_t(options.size[1]), std::size_t(options.size[2])};
  po.seed = 7;
  const LesionPhantom phantom = makeLesionPhantom(po);
  Study study;
  for (std::size_t i = 0; i < m.inputs.size(); ++i)
    study.addModality(m.inputs[i].name, "phantom", i % 2 == 0 ? phantom.flair : phantom.t1);
  const Geometry grid = modelGrid(study.referenceGrid(), m);
  const std::array<std::int64_t, 3> size{std::int64_t(grid.size[0]), std::int64_t(grid.size[1]),
                                         std::int64_t(grid.size[2])};
  const InferenceWindow window = namingTheModel(package, "a dry run", [&] { return inferenceWindow(package, size); });

  nlohmann::json report;
  const TorchRuntimeInfo runtime = torchRuntimeInfo();
  report["torch"] = runtime.torchVersion;
  report["device"] = device.str();
  report["precision"] = options.precision;
  report["cpu_threads"] = at::get_num_threads();
  report["model"] = {
      {"name", m.name}, {"file", m.modelFile.filename().string()}, {"inputs", m.inputs.size()}, {"patch", m.patchSize}};
  report["volume"] = size;
  report["window"] = window.options.patch;
  report["patches"] = planPatches(size, window.options).starts.size();
  report["notes"] = window.notes;
  const std::string target =
      options.target.empty() ? "class=" + std::to_string(m.defaultTargetLabel()) : options.target;
  report["target"] = target;
  control.step(0.0, "timing the unit passes");
  const BatchProfile forward = namingTheModel(package, "the forward unit pass", [&] {
    return batchProfile(package, window.options.patch, device, options.precision, PassKind::Forward, control,
                        /*remeasure=*/true);
  });
  const BatchProfile backward = namingTheModel(package, "the forward+backward unit pass", [&] {
    return batchProfile(package, window.options.patch, device, "fp32", PassKind::ForwardBackward, control,
                        /*remeasure=*/true);
  });
  auto unitJson = [](const BatchProfile& p) {
    nlohmann::json j = p.toJson();
    j["seconds_per_sample"] = p.bestSecondsPerSample();
    return j;
  };
  report["unit"]["forward"] = unitJson(forward);
  report["unit"]["forward_backward"] = unitJson(backward);
  report["cancel"] = namingTheModel(package, "the cancelled prediction",
                                    [&] { return cancelLatency(package, study, options, forward); });
  report["methods"] = nlohmann::json::array();
  for (std::size_t i = 0; i < methods.size(); ++i) {
    const MethodInfo& info = findMethod(methods[i]);
    const BatchProfile& unit = info.forwardOnly ? forward : backward;
    ExplainRequest request;
    request.method = info.name;
    request.params = paramsFor(info.name, options.params);
    request.target = TargetSpec::parse(target, m.defaultTargetLabel());
    request.runtime.device = options.device;
    request.runtime.precision = options.precision;
    const bool peakReset = resetPeakResident();
    const std::size_t rssBefore = residentBytes();
    resetPeakGpu();
    const TaskControl sub = control.range(double(i) / double(methods.size()), double(i + 1) / double(methods.size()));
    Explanation e = namingTheModel(package, info.name, [&] { return explain(package, study, request, sub); });
    double seconds = e.record["timing_seconds"]["method"].get<double>();
    for (int r = 1; r < options.repeats && seconds < 30.0; ++r) {
      request.params = paramsFor(info.name, options.params);  // a fresh set: parameters are checked as used
      const Explanation next =
          namingTheModel(package, info.name, [&] { return explain(package, study, request, sub); });
      seconds = std::min(seconds, next.record["timing_seconds"]["method"].get<double>());
    }
    if (!options.mapsFolder.empty()) writeMaps(e, std::filesystem::path(options.mapsFolder) / (info.name + ".pt"));
    const std::size_t k = e.record["patch_passes"].get<std::size_t>();
    const double limit = double(std::max<std::size_t>(k, std::size_t(unit.bestBatch()))) * unit.bestSecondsPerSample();
    report["methods"].push_back({{"name", info.name},
                                 {"family", info.family},
                                 {"parameters", e.record["parameters"]},
                                 {"seconds", seconds},
                                 {"prediction_seconds", e.record["timing_seconds"]["prediction"]},
                                 {"k", k},
                                 {"unit", info.forwardOnly ? "forward" : "forward_backward"},
                                 {"limit_seconds", limit},
                                 {"ratio", limit > 0 ? seconds / limit : 0.0},
                                 {"window", e.record["window"]},
                                 {"layers", e.record["details"].value("layers", nlohmann::json())},
                                 {"layer_choice", e.record["details"].value("layer_choice", nlohmann::json())},
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
