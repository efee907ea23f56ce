// Layer activations (seed paper 003: understanding a segmentation model's structure from its
// feature maps): the output of one submodule (param layer=NAME, default the first layer of the
// manifest's decoder group), one channel (channel=k) or the mean |A| over channels (channel=-1),
// resized to the input and blended over every patch of the sliding window. Target-independent:
// each region gets the same map.
#include "attribution/CamMethods.h"
#include "attribution/PatchMapBlender.h"
#include "task/InputError.h"

namespace voxplain {

AttributionOutput LayerActivationsMethod::run(AttributionContext& context, ParameterSet& params) {
  const std::string layer = params.text("layer", "");
  const int channel = params.integer("channel", -1, -1, 1 << 20);
  params.rejectUnused("activations");
  std::vector<std::string> layers{layer};
  if (layer.empty()) {
    ParameterSet none;
    layers = {camLayers(context.package, none).front()};
  }
  const TappedForward taps(context.package.module(), layers);
  PatchMapBlender blender(context, 1, /*everyPatch=*/true);
  const PatchPlan& plan = blender.plan();
  const bool zyx = context.package.manifest().layout == "NCZYX";
  torch::NoGradGuard noGrad;
  std::int64_t channels = 0;
  for (std::size_t i = 0; i < blender.patches().size(); ++i) {
    context.control.step(double(i) / double(blender.patches().size()), "activations patch " + std::to_string(i + 1));
    torch::Tensor xb = plan.region(blender.paddedInput(), blender.patches()[i]).to(context.device);
    if (zyx) xb = xb.permute({0, 1, 4, 3, 2});
    const torch::Tensor a = taps.run(xb).activations[0][0].to(torch::kFloat32);
    channels = a.size(0);
    if (channel >= channels) throw InputError("--param channel=" + std::to_string(channel), "layer '" + layers[0] + "' has " + std::to_string(channels) + " channels");
    torch::Tensor map = channel < 0 ? a.abs().mean(0) : a[channel];
    if (zyx) map = map.permute({2, 1, 0});
    for (std::size_t r = 0; r < context.regions.size(); ++r) blender.add(r, 0, blender.patches()[i], map);
  }
  AttributionOutput out;
  out.passes = blender.patches().size();
  out.details["layer"] = layers[0];
  out.details["channels"] = channels;
  out.details["shown"] = channel < 0 ? "mean |A| over channels" : "channel " + std::to_string(channel);
  out.maps = blender.maps(PatchMapBlender::Combine::Sum);
  return out;
}

}  // namespace voxplain
