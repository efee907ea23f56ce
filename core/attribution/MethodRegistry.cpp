// The list of attribution methods: adding one means one file and one line here.
#include "attribution/AttributionMethod.h"
#include "attribution/CamMethods.h"
#include "attribution/GradientMethods.h"
#include "attribution/PerturbationMethods.h"
#include "task/InputError.h"

namespace voxplain {

const std::vector<MethodInfo>& methodRegistry() {
  static const std::vector<MethodInfo> methods = {
      {"saliency", "Saliency (gradient)", "gradient", false, [] { return std::make_unique<SaliencyMethod>(); }},
      {"input_x_gradient", "Input x Gradient", "gradient", false, [] { return std::make_unique<InputXGradientMethod>(); }},
      {"smoothgrad", "SmoothGrad", "gradient", false, [] { return std::make_unique<SmoothGradMethod>(); }},
      {"integrated_gradients", "Integrated Gradients", "gradient", false, [] { return std::make_unique<IntegratedGradientsMethod>(); }},
      {"guided_backprop", "Guided Backprop", "gradient", false, [] { return std::make_unique<GuidedBackpropMethod>(); }},
      {"gradcam", "Grad-CAM", "cam", false, [] { return std::make_unique<GradCamMethod>(false); }},
      {"gradcam++", "Grad-CAM++", "cam", false, [] { return std::make_unique<GradCamMethod>(true); }},
      {"deeplift", "DeepLift (Rescale)", "gradient", false, [] { return std::make_unique<DeepLiftMethod>(); }},
      {"kwc", "Kernel-weighted contribution", "cam", true, [] { return std::make_unique<KwcMethod>(); }},
      {"activations", "Layer activations", "cam", true, [] { return std::make_unique<LayerActivationsMethod>(); }},
      {"occlusion", "Occlusion (3D)", "perturbation", true, [] { return std::make_unique<OcclusionMethod>(); }},
      {"lime", "LIME", "perturbation", true, [] { return std::make_unique<LimeMethod>(); }},
      {"kernel_shap", "Kernel SHAP", "perturbation", true, [] { return std::make_unique<KernelShapMethod>(); }},
      {"modality_shapley", "Modality Shapley (exact)", "perturbation", true, [] { return std::make_unique<ModalityShapleyMethod>(); }},
  };
  return methods;
}

const MethodInfo& findMethod(const std::string& name) {
  for (const MethodInfo& m : methodRegistry())
    if (m.name == name) return m;
  std::string known;
  for (const MethodInfo& m : methodRegistry()) known += (known.empty() ? "" : ", ") + m.name;
  throw InputError("--method " + name, "unknown method (available: " + known + ")");
}

}  // namespace voxplain
