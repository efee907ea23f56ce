#include "ColorMaps.h"

#include <vtkLookupTable.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "figure/ColorMap.h"

namespace voxplain::render {

std::vector<std::string> colormapNames() {
  return voxplain::colormapNames();
}

vtkSmartPointer<vtkLookupTable> heatmapLookupTable(const HeatmapStyle& style) {
  if (!(style.range > 0)) throw std::invalid_argument("heatmap range must be > 0");
  const double low = style.signedMap ? -style.range : 0.0, high = style.range;
  auto lut = vtkSmartPointer<vtkLookupTable>::New();
  lut->SetNumberOfTableValues(256);
  lut->SetTableRange(low, high);
  for (int i = 0; i < 256; ++i) {
    const double t = (i + 0.5) / 256.0, v = low + (high - low) * t;
    const Rgb rgb = colormapColor(style.colormap, t);
    const double magnitude = style.signedMap ? std::abs(v) : v;
    const double alpha = magnitude < style.threshold * style.range ? 0.0 : style.opacity;
    lut->SetTableValue(i, rgb[0], rgb[1], rgb[2], alpha);
  }
  lut->SetUseBelowRangeColor(false);
  lut->SetUseAboveRangeColor(false);
  return lut;
}

vtkSmartPointer<vtkLookupTable> labelLookupTable(const std::vector<LabelColor>& colors, double opacity, bool surfaces) {
  int maxValue = 1;
  for (const LabelColor& c : colors) maxValue = std::max(maxValue, c.value);
  auto lut = vtkSmartPointer<vtkLookupTable>::New();
  lut->SetNumberOfTableValues(maxValue + 1);
  lut->SetTableRange(0, maxValue);
  for (int i = 0; i <= maxValue; ++i)
    lut->SetTableValue(i, 1.0, 1.0, 0.0, i == 0 ? 0.0 : opacity);  // unknown labels: yellow
  for (const LabelColor& c : colors)
    if (c.value > 0)
      lut->SetTableValue(c.value, c.rgb[0] / 255.0, c.rgb[1] / 255.0, c.rgb[2] / 255.0,
                         surfaces ? opacity * std::clamp(c.surfaceOpacity, 0.0, 1.0) : opacity);
  return lut;
}

}  // namespace voxplain::render
