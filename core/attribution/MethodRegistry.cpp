// The list of attribution methods: adding one means one file and one line here.
#include "attribution/AttributionMethod.h"
#include "attribution/CamMethods.h"
#include "attribution/GradientMethods.h"
#include "task/InputError.h"

namespace voxplain {

const std::vector<MethodInfo>& methodRegistry() {
  static const std::vector<MethodInfo> methods = {
      {"saliency", "Saliency (gradient)", "gradient", [] { return std::make_unique<SaliencyMethod>(); }},
      {"input_x_gradient", "Input x Gradient", "gradient", [] { return std::make_unique<InputXGradientMethod>(); }},
      {"smoothgrad", "SmoothGrad", "gradient", [] { return std::make_unique<SmoothGradMethod>(); }},
      {"integrated_gradients", "Integrated Gradients", "gradient", [] { return std::make_unique<IntegratedGradientsMethod>(); }},
      {"guided_backprop", "Guided Backprop", "gradient", [] { return std::make_unique<GuidedBackpropMethod>(); }},
      {"gradcam", "Grad-CAM", "cam", [] { return std::make_unique<GradCamMethod>(false); }},
      {"gradcam++", "Grad-CAM++", "cam", [] { return std::make_unique<GradCamMethod>(true); }},
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
