#include "model/InferenceWindow.h"

#include <algorithm>

#include "task/InputError.h"

namespace voxplain {
namespace {

using Size = std::array<std::int64_t, 3>;

std::string text(const Size& s) {
  return std::to_string(s[0]) + "x" + std::to_string(s[1]) + "x" + std::to_string(s[2]);
}

std::int64_t roundUp(std::int64_t v, std::int64_t k) {
  return (v + k - 1) / k * k;
}

}  // namespace

InferenceWindow inferenceWindow(ModelPackage& package, const Size& size) {
  const ModelManifest& m = package.manifest();
  InferenceWindow w;
  SlidingWindowOptions& o = w.options;
  o.overlap = m.overlap;
  o.gaussian = m.blend == "gaussian";
  o.sigmaScale = m.gaussianSigmaScale;
  o.importanceFloor = m.importanceFloor;
  o.nnunet = m.windowScheme == ModelManifest::WindowScheme::Nnunet;
  const Size declared{m.patchSize[0], m.patchSize[1], m.patchSize[2]};
  if (m.windowFit == ModelManifest::WindowFit::PadToWindow) {
    o.patch = declared;
    if (size[0] < declared[0] || size[1] < declared[1] || size[2] < declared[2])
      w.notes.push_back(
          "volume " + text(size) + " zero-padded to the " + text(declared) +
          (o.nnunet ? " window, as nnU-Net's predictor does" : " window, as MONAI's sliding window does"));
    return w;
  }
  Size clipped{};
  for (int d = 0; d < 3; ++d) clipped[d] = roundUp(std::min(declared[d], size[d]), m.divisibleBy[std::size_t(d)]);
  const bool divisibleGiven = m.divisibleBy != std::array<int, 3>{1, 1, 1};
  const bool trusted = m.patchDeclared && (clipped == declared || divisibleGiven);
  std::string reason;
  Size chosen = clipped;
  if (!trusted && !package.acceptsWindow(clipped, &reason)) {
    std::vector<Size> candidates;
    for (std::int64_t k : {2, 4, 8, 16, 32}) {
      Size c{};
      for (int d = 0; d < 3; ++d) c[d] = roundUp(clipped[d], k);
      if (m.patchDeclared)
        for (int d = 0; d < 3; ++d) c[d] = std::min(c[d], std::max(declared[d], clipped[d]));
      if (c != clipped && (candidates.empty() || c != candidates.back())) candidates.push_back(c);
    }
    if (m.patchDeclared && declared != clipped) candidates.push_back(declared);
    // A model that runs on one size only (traced with a fixed position embedding) slides that window.
    const Size& opened = package.dryRunWindow();
    if (!m.patchDeclared && opened[0] > 0 &&
        std::find(candidates.begin(), candidates.end(), opened) == candidates.end())
      candidates.push_back(opened);
    bool found = false;
    for (const Size& c : candidates)
      if (package.acceptsWindow(c)) {
        chosen = c;
        found = true;
        break;
      }
    if (!found) {
      std::string tried = text(clipped);
      for (const Size& c : candidates) tried += ", " + text(c);
      throw InputError(m.modelFile.string(), "the model runs on none of the windows tried (" + tried +
                                                 ") for a volume of " + text(size) + ": " + reason);
    }
  }
  o.patch = chosen;
  if (chosen[0] > size[0] || chosen[1] > size[1] || chosen[2] > size[2])
    w.notes.push_back("volume " + text(size) + " zero-padded symmetrically to a " + text(chosen) + " window" +
                      (reason.empty() ? " (the manifest's divisible_by)"
                                      : " (the model rejects a " + text(clipped) + " input: " + reason + ")"));
  else if (chosen != clipped)
    w.notes.push_back("sliding " + text(chosen) + " windows over the " + text(size) + " volume (the model rejects a " +
                      text(clipped) + " input: " + reason + ")");
  return w;
}

void chooseBatch(InferenceWindow& window, ModelPackage& package, const torch::Device& device,
                 const std::string& precision, int batchSize, PassKind kind, const TaskControl& control) {
  const bool forward = kind == PassKind::Forward;
  PassBatch& batch = forward ? window.options.forwardBatch : window.options.gradientBatch;
  if (batchSize > 0) {
    batch = PassBatch{batchSize, 1};
    return;
  }
  // Gradient passes run without autocast.
  const BatchProfile profile =
      batchProfile(package, window.options.patch, device, forward ? precision : "fp32", kind, control);
  batch = profile.passBatch();
  window.notes.push_back(std::string(forward ? "forward" : "forward+backward") + " passes of the " +
                         text(window.options.patch) + " window take " + std::to_string(batch.size) + " patch(es)" +
                         (batch.minimum > 1 ? ", a single one padded to " + std::to_string(batch.minimum) +
                                                  " (cheaper in total on this device)"
                                            : "") +
                         (profile.cached ? " (measured earlier, cached)" : " (measured now)"));
}

}  // namespace voxplain
