#include "model/ModelPackage.h"

#include <nlohmann/json.hpp>

#include <fstream>

#include "model/LayerTaps.h"
#include "model/MonaiBundle.h"
#include "model/Sha256.h"
#include "runtime/HostAllocator.h"
#include "runtime/JsonFile.h"
#include "runtime/TextCase.h"
#include "runtime/TorchRuntime.h"
#include "task/InputError.h"

namespace voxplain {
namespace fs = std::filesystem;

namespace {

torch::jit::Module loadTorchScript(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) throw InputError(file.string(), "model file not found");
  try {
    torch::jit::Module m = torch::jit::load(file.string(), torch::kCPU);
    m.eval();
    // Attribution needs input/tap gradients only: frozen parameters halve the backward cost.
    for (auto p : m.parameters()) p.set_requires_grad(false);
    return m;
  } catch (const c10::Error& e) {
    throw InputError(file.string(),
                     "not a loadable TorchScript model (" + torchErrorSummary(e.what_without_backtrace()) + ")");
  }
}

}  // namespace

ModelPackage ModelPackage::open(const fs::path& path, const std::vector<std::string>& inputNames, bool verifySha,
                                const NnunetChoice& nnunet) {
  keepFreedTensorMemory();  // every pass would page-fault its activations anew otherwise
  std::error_code ec;
  if (!fs::exists(path, ec)) throw InputError(path.string(), "no such file or folder");
  ModelPackage pkg;
  const bool nnunetFolder = isNnunetFolder(path);
  if (nnunetFolder) {
    pkg.manifest_ = manifestFromNnunetFolder(path, nnunet);
  } else if (fs::is_directory(path, ec)) {
    const fs::path metadata = path / "configs" / "metadata.json";
    const fs::path model = path / "models" / "model.ts";
    if (!fs::exists(metadata, ec))
      throw InputError(path.string(),
                       "a folder must be a MONAI bundle (configs/metadata.json) or an nnU-Net v2 results "
                       "folder (plans.json + dataset.json, or trainer folders holding them)");
    if (!fs::exists(model, ec))
      throw InputError(path.string(), "MONAI bundle without models/model.ts (export it with TorchScript)");
    pkg.manifest_ = manifestFromMonaiBundle(path, model);
  } else if (path.extension() == ".json") {
    pkg.manifest_ = parseManifest(readJsonFile(path), path.parent_path(), path.string());
  } else {
    fs::path beside = path;
    beside.replace_extension(".json");
    if (fs::exists(beside, ec)) {
      pkg.manifest_ = parseManifest(readJsonFile(beside), path.parent_path(), beside.string());
      pkg.manifest_.modelFile = path;
    } else {
      pkg.manifest_ = defaultManifest(path, inputNames);
    }
  }
  const ModelManifest& m = pkg.manifest_;
  pkg.module_ = loadTorchScript(m.modelFile);
  if (nnunetFolder && !nnunet.mirroring) pkg.module_.setattr("use_mirroring", false);
#ifdef VOXPLAIN_HAS_OPENSSL
  pkg.sha256_ = sha256OfFile(m.modelFile);
  if (verifySha && !m.sha256.empty()) {
    std::string expected = m.sha256;
    std::transform(expected.begin(), expected.end(), expected.begin(), ::tolower);
    if (expected != pkg.sha256_)
      throw InputError(m.modelFile.string(), "SHA-256 " + pkg.sha256_ + " does not match the manifest's " + expected);
  }
#else
  if (verifySha && !m.sha256.empty()) pkg.manifest_.notes.push_back("SHA-256 not checked: this build has no OpenSSL");
#endif
  if (m.labels.empty() || m.activation != "softmax" || pkg.manifest_.inputs.empty()) {
    // Dry runs learn what the file does not say: the number of output channels, and for a bare
    // file opened without input names the number of input channels. A small cube first, then
    // larger ones (a model traced at a fixed size accepts nothing else).
    const bool channelsKnown = !pkg.manifest_.inputs.empty();
    std::string reason;
    for (const std::int64_t side : {32, 64, 96, 128}) {
      for (int c = channelsKnown ? int(m.inputs.size()) : 1; c <= (channelsKnown ? int(m.inputs.size()) : 8); ++c) {
        if (!channelsKnown) {
          pkg.manifest_.inputs.clear();
          for (int i = 1; i <= c; ++i) pkg.manifest_.inputs.push_back({"input" + std::to_string(i), {}});
          pkg.dryRuns_.clear();
        }
        const std::array<std::int64_t, 3> window{side, side, side};
        if (!pkg.acceptsWindow(window, &reason)) continue;
        torch::NoGradGuard noGrad;
        const torch::Tensor x = torch::zeros({1, std::int64_t(c), side, side, side});
        pkg.classes_ = int(forwardLogits(pkg.module_, m, x).size(1));
        pkg.dryRunWindow_ = window;
        break;
      }
      if (pkg.classes_ > 0) break;
    }
    if (pkg.classes_ == 0)
      throw InputError(m.modelFile.string(),
                       "dry runs on 32^3 to 128^3 inputs of " +
                           (channelsKnown ? std::to_string(m.inputs.size()) : std::string("1 to 8")) +
                           " channel(s) failed (" + reason + ")");
    if (!channelsKnown) {
      pkg.manifest_.inputNamesGuessed = true;
      pkg.manifest_.notes.push_back("the model takes " + std::to_string(m.inputs.size()) +
                                    " input channel(s) (found by a dry run); they take the names of the "
                                    "study's volumes, in the study's order unless assigned otherwise");
    }
    if (pkg.manifest_.labels.empty())
      for (int c = 0; c < pkg.classes_; ++c)
        pkg.manifest_.labels.push_back({c, "label " + std::to_string(c), {128, 128, 128}});
  } else {
    pkg.classes_ = int(m.labels.size());
  }
  return pkg;
}

void ModelPackage::nameInputs(const std::vector<std::string>& names) {
  const std::string source = manifest_.modelFile.string();
  if (!manifest_.inputNamesGuessed)
    throw InputError(source, "its inputs are named by its manifest (" + manifest_.inputs.front().name +
                                 ", ...): they cannot be renamed");
  if (names.size() != manifest_.inputs.size())
    throw InputError(source, "the model takes " + std::to_string(manifest_.inputs.size()) + " input(s), " +
                                 std::to_string(names.size()) + " name(s) given");
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) throw InputError(source, "input " + std::to_string(i + 1) + " gets an empty name");
    for (std::size_t j = 0; j < i; ++j)
      if (lowerCase(names[i]) == lowerCase(names[j]))
        throw InputError(source, "inputs " + std::to_string(j + 1) + " and " + std::to_string(i + 1) +
                                     " get the same name \"" + names[i] + "\"");
  }
  for (std::size_t i = 0; i < names.size(); ++i) manifest_.inputs[i].name = names[i];
}

bool ModelPackage::acceptsWindow(const std::array<std::int64_t, 3>& window, std::string* reason) {
  auto it = dryRuns_.find(window);
  if (it == dryRuns_.end()) {
    std::string error;
    try {
      torch::InferenceMode inference;
      const torch::Tensor x = torch::zeros({1, std::int64_t(manifest_.inputs.size()), window[0], window[1], window[2]},
                                           torch::TensorOptions(device_));
      (void)forwardLogits(module_, manifest_, x);
    } catch (const c10::Error& e) {
      error = torchErrorSummary(e.what_without_backtrace());
    } catch (const InputError& e) {
      error = torchErrorSummary(e.reason());
    } catch (const std::exception& e) {  // torch::jit::JITException: an exception raised by the model's code
      error = torchErrorSummary(e.what());
    }
    it = dryRuns_.emplace(window, error).first;
  }
  if (reason) *reason = it->second;
  return it->second.empty();
}

void ModelPackage::to(const torch::Device& device) {
  module_.to(device);
  device_ = device;
}

torch::Tensor forwardLogits(torch::jit::Module& module, const ModelManifest& manifest, const torch::Tensor& input) {
  const bool zyx = manifest.layout == "NCZYX";
  const torch::Tensor x = zyx ? input.permute({0, 1, 4, 3, 2}) : input;
  c10::IValue out = module.forward({x});
  if (out.isTuple()) out = out.toTupleRef().elements()[0];
  if (out.isTensorList()) out = out.toTensorList().get(0);
  if (!out.isTensor()) throw InputError(manifest.modelFile.string(), "forward() does not return a tensor");
  torch::Tensor y = out.toTensor();
  if (y.dim() != 5)
    throw InputError(manifest.modelFile.string(),
                     "forward() returns a " + std::to_string(y.dim()) + "D tensor, expected [N, K, X, Y, Z]");
  return zyx ? y.permute({0, 1, 4, 3, 2}) : y;
}

std::vector<SubmoduleInfo> ModelPackage::describeSubmodules(const std::array<int, 3>& size) const {
  std::vector<SubmoduleInfo> out;
  std::vector<std::string> paths = submodulePaths(module_);
  TappedForward taps(module_, paths, /*relaxed=*/true);
  torch::NoGradGuard noGrad;
  const auto result = taps.run(torch::zeros({1, std::int64_t(manifest_.inputs.size()), size[0], size[1], size[2]}));
  for (const auto& m : module_.named_modules()) {
    if (m.name.empty()) continue;
    SubmoduleInfo info;
    info.name = m.name;
    info.type = m.value.type()->name() ? m.value.type()->name()->name() : "module";
    const auto it = std::find(taps.tappedLayers().begin(), taps.tappedLayers().end(), m.name);
    if (it != taps.tappedLayers().end()) {
      const torch::Tensor& a = result.activations[std::size_t(it - taps.tappedLayers().begin())];
      info.outputShape = a.sizes().vec();
    }
    out.push_back(info);
  }
  return out;
}

}  // namespace voxplain
