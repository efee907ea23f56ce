// The list of attribution methods with what front ends show of them: a one-line summary, traits and
// each parameter's type, default, range and help. Adding a method means one file and one entry here.
// The parameters below are the ones the methods read (ParameterSet); test_method_registry holds the
// two together for every method.
#include "attribution/AttributionMethod.h"
#include "attribution/CamMethods.h"
#include "attribution/GradientMethods.h"
#include "attribution/PerturbationMethods.h"
#include "task/InputError.h"

namespace voxplain {
namespace {

using Kind = ParameterSpec::Kind;

ParameterSpec integer(const std::string& key, const std::string& fallback, double min, double max,
                      const std::string& help) {
  return {key, Kind::Integer, fallback, min, max, {}, help};
}
ParameterSpec number(const std::string& key, const std::string& fallback, double min, double max,
                     const std::string& help) {
  return {key, Kind::Number, fallback, min, max, {}, help};
}
ParameterSpec choice(const std::string& key, const std::string& fallback, std::vector<std::string> choices,
                     const std::string& help) {
  return {key, Kind::Choice, fallback, 0, 0, std::move(choices), help};
}
ParameterSpec text(const std::string& key, const std::string& help) {
  return {key, Kind::Text, "", 0, 0, {}, help};
}

constexpr double kMaxSeed = double(1 << 30);

// attribution/Baseline.h
std::vector<ParameterSpec> baseline(const std::string& fallback = "zero") {
  return {choice("baseline", fallback, {"zero", "blurred", "mean", "custom"},
                 "what 'absent' input is: zeros (after normalisation), the input blurred, its mean, or custom images"),
          number("blur_sigma", "4", 0.1, 100.0, "Gaussian blur of the blurred baseline, in voxels")};
}
// attribution/CamMethods.h camLayers
std::vector<ParameterSpec> layers() {
  return {text("layers", "comma-separated layer names (default: the manifest's decoder group)"),
          text("group", "a layer group of the manifest: encoder, bottleneck, decoder... (instead of layers)")};
}
// attribution/FeatureMasks.h
std::vector<ParameterSpec> features() {
  return {choice("features", "supervoxels", {"supervoxels", "modalities"},
                 "the players: supervoxels of each modality, or whole modalities"),
          integer("supervoxels", "32", 1, 100000, "number of SLIC supervoxels"),
          number("compactness", "0.3", 1e-3, 100.0, "SLIC compactness: higher gives rounder supervoxels"),
          text("reference", "the modality the supervoxels are computed on (default: the first input)")};
}
std::vector<ParameterSpec> join(std::vector<ParameterSpec> a, const std::vector<ParameterSpec>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

MethodInfo method(std::string name, std::string label, std::string family, bool forwardOnly,
                  std::function<std::unique_ptr<AttributionMethod>()> create, std::string summary,
                  std::vector<ParameterSpec> parameters = {}) {
  MethodInfo m;
  m.name = std::move(name);
  m.label = std::move(label);
  m.family = std::move(family);
  m.forwardOnly = forwardOnly;
  m.create = std::move(create);
  m.summary = std::move(summary);
  m.parameters = std::move(parameters);
  return m;
}

std::vector<MethodInfo> makeRegistry() {
  std::vector<MethodInfo> m;
  m.push_back(method(
      "saliency", "Saliency (gradient)", "gradient", false, [] { return std::make_unique<SaliencyMethod>(); },
      "How the target's score changes with each voxel (signed gradient)."));
  m.push_back(method(
      "input_x_gradient", "Input x Gradient", "gradient", false,
      [] { return std::make_unique<InputXGradientMethod>(); },
      "Gradient times input: each voxel's first-order contribution to the score."));
  m.push_back(
      method("smoothgrad", "SmoothGrad", "gradient", false, [] { return std::make_unique<SmoothGradMethod>(); },
             "The gradient averaged over noisy copies of the input: less speckle than Saliency.",
             {integer("samples", "16", 1, 10000, "noisy copies averaged"),
              number("noise", "0.1", 0.0, 10.0, "noise standard deviation as a fraction of each modality's range"),
              choice("variant", "plain", {"plain", "squared", "vargrad"},
                     "mean gradient, mean squared gradient, or their variance"),
              integer("seed", "0", 0, kMaxSeed, "random seed (same seed, same map)")}));
  m.push_back(method(
      "integrated_gradients", "Integrated Gradients", "gradient", false,
      [] { return std::make_unique<IntegratedGradientsMethod>(); },
      "Each voxel's share of the score difference between the input and the baseline (sums to it).",
      join({integer("steps", "32", 1, 4096, "points on the path from the baseline to the input"),
            choice("rule", "riemann", {"riemann", "gausslegendre"}, "quadrature of the path integral")},
           baseline())));
  MethodInfo guided = method(
      "guided_backprop", "Guided Backprop", "gradient", false, [] { return std::make_unique<GuidedBackpropMethod>(); },
      "The gradient with only positive signals passed back through ReLUs: sharp edges, weakly class-specific.");
  guided.needsRelu = true;
  m.push_back(guided);
  MethodInfo gradcam = method(
      "gradcam", "Grad-CAM", "cam", false, [] { return std::make_unique<GradCamMethod>(false); },
      "Layer feature maps weighted by their mean gradient: where a layer sees the target (coarse).", layers());
  gradcam.needsLayers = true;
  m.push_back(gradcam);
  MethodInfo gradcampp = method(
      "gradcam++", "Grad-CAM++", "cam", false, [] { return std::make_unique<GradCamMethod>(true); },
      "Grad-CAM with pixel-wise weights of positive gradients: better for several or small targets.", layers());
  gradcampp.needsLayers = true;
  m.push_back(gradcampp);
  MethodInfo deeplift = method(
      "deeplift", "DeepLift (Rescale)", "gradient", false, [] { return std::make_unique<DeepLiftMethod>(); },
      "Contributions of each voxel's difference from the baseline, propagated with the Rescale rule.", baseline());
  deeplift.needsRelu = true;
  m.push_back(deeplift);
  MethodInfo kwc = method(
      "kwc", "Kernel-weighted contribution", "cam", true, [] { return std::make_unique<KwcMethod>(); },
      "Each channel's measured effect on the target when it is removed, mapped through its activations (no gradients).",
      join(layers(), {integer("variant_batch", "", 1, 4096,
                              "channel-removed variants per forward pass (default: the measured batch)")}));
  kwc.needsLayers = true;
  m.push_back(kwc);
  MethodInfo activations = method(
      "activations", "Layer activations", "cam", true, [] { return std::make_unique<LayerActivationsMethod>(); },
      "What one layer computes: one channel's feature map, or the mean |activation| (not target-specific).",
      {text("layer", "the layer (default: the first of the manifest's decoder group)"),
       integer("channel", "-1", -1, double(1 << 20), "a channel of the layer; -1: mean |activation| over channels")});
  activations.needsLayers = true;
  m.push_back(activations);
  m.push_back(method(
      "occlusion", "Occlusion (3D)", "perturbation", true, [] { return std::make_unique<OcclusionMethod>(); },
      "The drop of the score when a block of the input is replaced by the baseline.",
      join({integer("block", "16", 1, 512, "edge of the occluding cube, in voxels"),
            integer("stride", "", 1, 512, "step between blocks, in voxels (default: the block size)"),
            choice("modalities", "separate", {"separate", "joint"}, "occlude one modality at a time, or all at once")},
           baseline())));
  m.push_back(method(
      "lime", "LIME", "perturbation", true, [] { return std::make_unique<LimeMethod>(); },
      "A local linear model of the score over supervoxels (or modalities) switched on and off; check its R^2.",
      join(join(features(), {integer("samples", "256", 2, 1000000, "random coalitions scored"),
                             number("kernel_width", "0.25", 1e-3, 100.0, "width of LIME's proximity kernel"),
                             number("alpha", "1", 0.0, 1e6, "ridge regularisation"),
                             integer("seed", "0", 0, kMaxSeed, "random seed")}),
           baseline())));
  m.push_back(method(
      "kernel_shap", "Kernel SHAP", "perturbation", true, [] { return std::make_unique<KernelShapMethod>(); },
      "Shapley values of supervoxels (or modalities), estimated from sampled coalitions; they sum to the score change.",
      join(join(features(), {integer("samples", "256", 2, 1000000, "coalitions scored (exact when all fit)"),
                             integer("seed", "0", 0, kMaxSeed, "random seed")}),
           baseline())));
  MethodInfo shapley = method(
      "modality_shapley", "Modality Shapley (exact)", "perturbation", true,
      [] { return std::make_unique<ModalityShapleyMethod>(); },
      "Each modality's exact Shapley value for the target's score (all 2^M coalitions).", baseline());
  shapley.perVoxel = false;
  m.push_back(shapley);
  return m;
}

}  // namespace

const std::vector<MethodInfo>& methodRegistry() {
  static const std::vector<MethodInfo> methods = makeRegistry();
  return methods;
}

const ParameterSpec* findParameter(const MethodInfo& method, const std::string& key) {
  for (const ParameterSpec& p : method.parameters)
    if (p.key == key) return &p;
  return nullptr;
}

const MethodInfo& findMethod(const std::string& name) {
  for (const MethodInfo& m : methodRegistry())
    if (m.name == name) return m;
  std::string known;
  for (const MethodInfo& m : methodRegistry()) known += (known.empty() ? "" : ", ") + m.name;
  throw InputError(InputField::Method, name, "unknown method (available: " + known + ")");
}

}  // namespace voxplain

namespace voxplain {

const char* parameterKindName(ParameterSpec::Kind kind) {
  switch (kind) {
    case ParameterSpec::Kind::Integer:
      return "integer";
    case ParameterSpec::Kind::Number:
      return "number";
    case ParameterSpec::Kind::Choice:
      return "choice";
    case ParameterSpec::Kind::Text:
      return "text";
  }
  return "text";
}

void checkParameters(const MethodInfo& method, ParameterSet params) {
  // Read every parameter as the method will (ParameterSet checks value, range and choice when read);
  // what is left unread is no parameter of this method.
  for (const ParameterSpec& spec : method.parameters) switch (spec.kind) {
      case ParameterSpec::Kind::Integer:
        params.integer(spec.key, int(spec.min), int(spec.min), int(spec.max));
        break;
      case ParameterSpec::Kind::Number:
        params.number(spec.key, spec.min, spec.min, spec.max);
        break;
      case ParameterSpec::Kind::Choice:
        params.choice(spec.key, spec.choices.empty() ? std::string() : spec.choices.front(), spec.choices);
        break;
      case ParameterSpec::Kind::Text:
        params.text(spec.key, "");
        break;
    }
  params.rejectUnused(method.name);
}

}  // namespace voxplain
