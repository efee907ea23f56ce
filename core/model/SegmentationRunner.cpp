#include "model/SegmentationRunner.h"

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <torch/csrc/jit/runtime/jit_exception.h>
#include <torch/cuda.h>

#include <chrono>

#include "model/InferenceWindow.h"
#include "model/PredictedLabels.h"
#include "model/Preprocessing.h"
#include "model/SlidingWindow.h"
#include "runtime/AutocastScope.h"
#include "runtime/TorchRuntime.h"
#include "task/InputError.h"
#include "volume/Resampler.h"

namespace voxplain {
namespace {

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

bool isOutOfMemory(const c10::Error& e) {
  return std::string(e.what_without_backtrace()).find("out of memory") != std::string::npos;
}

// fp32 means IEEE float32 on the GPU too: LibTorch lets cuDNN convolutions use TF32 (10-bit
// mantissa) by default on Ampere and later, which moves maps by ~1e-3 from the CPU's. Faster
// passes are asked for explicitly (fp16 / bf16 autocast).
torch::Device ieeeFloat32(const torch::Device& cuda) {
  at::globalContext().setAllowTF32CuDNN(false);
  at::globalContext().setAllowTF32CuBLAS(false);
  return cuda;
}

}  // namespace

torch::Device resolveDevice(const std::string& name) {
  if (name == "cpu" || (name == "auto" && !torch::cuda::is_available())) return torch::Device(torch::kCPU);
  if (name == "auto" || name.rfind("cuda", 0) == 0) {
    if (name == "auto") return ieeeFloat32(torch::Device(torch::kCUDA, 0));
    if (!torch::cuda::is_available())
      throw InputError(InputField::Device, name,
                       "CUDA is not available (this LibTorch has no CUDA, or no GPU is visible)");
    const torch::Device d(name);
    if (d.index() >= int(torch::cuda::device_count()))
      throw InputError(InputField::Device, name, "no such CUDA device");
    return ieeeFloat32(d);
  }
  throw InputError(InputField::Device, name, "must be auto, cpu, cuda or cuda:N");
}

InferenceWindow prepareInference(ModelPackage& package, const torch::Tensor& input, const PredictOptions& options,
                                 const TaskControl& control) {
  applyCpuThreads(options.cpuThreads);
  const torch::Device device = resolveDevice(options.device);
  if (package.device() != device) package.to(device);
  InferenceWindow window = inferenceWindow(package, {input.size(2), input.size(3), input.size(4)});
  chooseBatch(window, package, device, options.precision, options.batchSize, PassKind::Forward, control);
  return window;
}

torch::Tensor predictLogits(ModelPackage& package, const torch::Tensor& input, const PredictOptions& options,
                            const TaskControl& control, Prediction* info) {
  if (options.precision != "fp32" && options.precision != "fp16" && options.precision != "bf16")
    throw InputError(InputField::Precision, options.precision, "must be fp32, fp16 or bf16");
  const ModelManifest& m = package.manifest();
  InferenceWindow window = prepareInference(package, input, options, control);
  torch::Device device = package.device();
  SlidingWindowOptions& sw = window.options;
  std::vector<std::string> notes = window.notes;
  const auto start = Clock::now();
  torch::Tensor logits;
  for (;;) {
    try {
      if (package.device() != device) package.to(device);
      torch::InferenceMode inference;
      AutocastScope autocast(device, options.precision);
      const torch::Tensor x = input.to(device);
      logits = slidingWindow(
          x, [&](const torch::Tensor& batch) { return forwardLogits(package.module(), m, batch); }, sw, control);
      logits = logits.to(torch::kCPU, torch::kFloat32);
      break;
    } catch (const torch::jit::JITException& e) {  // raised by the model's own code (an assert, a raise)
      throw InputError(m.modelFile.string(), "inference failed: " + torchErrorSummary(e.what()));
    } catch (const c10::Error& e) {
      if (!device.is_cuda() || !isOutOfMemory(e))
        throw InputError(m.modelFile.string(), "inference failed: " + torchErrorSummary(e.what_without_backtrace()));
      if (sw.forwardBatch.size > 1) {
        sw.forwardBatch.size /= 2;
        sw.forwardBatch.minimum = std::min(sw.forwardBatch.minimum, sw.forwardBatch.size);
        notes.push_back("CUDA out of memory: retrying with batch size " + std::to_string(sw.forwardBatch.size));
      } else {
        notes.push_back("CUDA out of memory at batch size 1: continuing on the CPU");
        device = torch::Device(torch::kCPU);
      }
    }
  }
  if (package.device() != torch::Device(torch::kCPU) && !device.is_cuda()) package.to(torch::kCPU);
  if (info) {
    info->device = device.str();
    info->batchSize = sw.forwardBatch.size;
    info->seconds = secondsSince(start);
    info->patches = planPatches({input.size(2), input.size(3), input.size(4)}, sw).starts.size();
    info->window = sw.patch;
    info->notes.insert(info->notes.end(), notes.begin(), notes.end());
  }
  return logits;
}

Prediction predict(ModelPackage& package, const Study& study, const PredictOptions& options,
                   const TaskControl& control) {
  const auto start = Clock::now();
  const ModelManifest& m = package.manifest();
  Prediction result;
  const Geometry full = modelGrid(study.referenceGrid(), m);
  const Geometry grid = runGrid(study, m);
  const bool resampled = !compareGeometry(grid, study.referenceGrid()).sameGrid();
  if (!compareGeometry(full, study.referenceGrid()).sameGrid())
    result.notes.push_back("study resampled to the model grid (" + formatSize(full.size) + ", spacing " +
                           std::to_string(full.spacing[0]) + " mm) and results mapped back");
  if (m.cropToNonzero && grid.size != full.size)
    result.notes.push_back("cropped to the non-zero region (" + formatSize(grid.size) + " of " + formatSize(full.size) +
                           "), as nnU-Net does: background outside it");
  const torch::Tensor input = modelInputTensor(study, m, grid, control);
  torch::Tensor logits = predictLogits(package, input, options, control, &result)[0];
  torch::Tensor probs = m.activation == "softmax"   ? torch::softmax(logits, 0)
                        : m.activation == "sigmoid" ? torch::sigmoid(logits)
                                                    : logits;
  for (std::int64_t c = 0; c < probs.size(0); ++c) {
    Volume p = volumeFromTensor(probs[c], grid);
    // Outside a crop the model did not run: background (the first label) has probability 1.
    const float outside = c == 0 && m.cropToNonzero && m.activation == "softmax" ? 1.0f : 0.0f;
    result.probabilities.push_back(resampled ? resampleLinear(p, study.referenceGrid(), outside, control)
                                             : std::move(p));
  }
  result.modelGrid = grid;
  result.modelLabels = labelsFromLogits(logits, m, grid);
  if (resampled && m.windowScheme == ModelManifest::WindowScheme::Nnunet) {
    // nnU-Net's export: the logits resampled back (linear), then argmax; background outside a crop.
    torch::Tensor back =
        torch::empty({logits.size(0), std::int64_t(study.referenceGrid().size[0]),
                      std::int64_t(study.referenceGrid().size[1]), std::int64_t(study.referenceGrid().size[2])});
    for (std::int64_t c = 0; c < logits.size(0); ++c)
      back[c] = tensorFromVolume(
          resampleLinear(volumeFromTensor(logits[c], grid), study.referenceGrid(), c == 0 ? 1e30f : -1e30f, control));
    result.labels = labelsFromLogits(back, m, study.referenceGrid());
  } else {
    result.labels =
        resampled ? resampleNearest(result.modelLabels, study.referenceGrid(), 0, control) : result.modelLabels;
  }
  result.modelLogits = std::move(logits);
  result.modelSha256 = package.sha256();
  result.totalSeconds = secondsSince(start);
  return result;
}

}  // namespace voxplain
