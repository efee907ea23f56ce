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
  const bool zyx = context.package.manifest().layout == "NCZYX";
  torch::NoGradGuard noGrad;
  std::int64_t channels = 0;
  const std::vector<std::size_t>& patches = blender.patches();
  const std::size_t batch = std::size_t(std::max(1, context.window.forwardBatch.size));
  for (std::size_t begin = 0; begin < patches.size(); begin += batch) {
    context.control.step(double(begin) / double(patches.size()), "activations patch " + std::to_string(begin + 1));
    const std::size_t end = std::min(begin + batch, patches.size());
    torch::Tensor xb = blender.inputBatch(begin, end, context.device, context.window.forwardBatch);
    if (zyx) xb = xb.permute({0, 1, 4, 3, 2});
    const torch::Tensor activations = taps.run(xb).activations[0].to(torch::kFloat32);
    channels = activations.size(1);
    if (channel >= channels)
      throw InputError(InputField::Parameter, "channel=" + std::to_string(channel),
                       "layer '" + layers[0] + "' has " + std::to_string(channels) + " channels");
    for (std::size_t i = begin; i < end; ++i) {
      const torch::Tensor a = activations[std::int64_t(i - begin)];
      torch::Tensor map = channel < 0 ? a.abs().mean(0) : a[channel];
      if (zyx) map = map.permute({2, 1, 0});
      for (std::size_t r = 0; r < context.regions.size(); ++r) blender.add(r, 0, patches[i], map);
    }
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
