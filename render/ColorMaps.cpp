#include "ColorMaps.h"

#include <vtkColorTransferFunction.h>
#include <vtkLookupTable.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace voxplain::render {
namespace {

// matplotlib's viridis / inferno at i/9, i = 0..9 (8-bit hex, as d3-scale-chromatic samples them).
const std::array<unsigned, 10> kViridis{0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e, 0x1f9e89, 0x35b779, 0x6ece58, 0xb5de2b, 0xfde725};
const std::array<unsigned, 10> kInferno{0x000004, 0x1b0c41, 0x4a0c6b, 0x781c6d, 0xa52c60, 0xcf4446, 0xed6925, 0xfb9b06, 0xf7d13d, 0xfcffa4};

}  // namespace

std::vector<std::string> colormapNames() { return {"bwr", "viridis", "inferno"}; }

vtkSmartPointer<vtkLookupTable> heatmapLookupTable(const HeatmapStyle& style) {
  if (!(style.range > 0)) throw std::invalid_argument("heatmap range must be > 0");
  auto ctf = vtkSmartPointer<vtkColorTransferFunction>::New();
  const double low = style.signedMap ? -style.range : 0.0, high = style.range;
  if (style.colormap == "bwr") {
    ctf->SetColorSpaceToDiverging();
    ctf->AddRGBPoint(low, 0.230, 0.299, 0.754);   // Moreland's cool-warm end points
    ctf->AddRGBPoint((low + high) / 2, 0.865, 0.865, 0.865);
    ctf->AddRGBPoint(high, 0.706, 0.016, 0.150);
  } else {
    const auto& table = style.colormap == "viridis" ? kViridis : style.colormap == "inferno" ? kInferno : throw std::invalid_argument("unknown colour map " + style.colormap);
    ctf->SetColorSpaceToLab();
    for (std::size_t i = 0; i < table.size(); ++i)
      ctf->AddRGBPoint(low + (high - low) * double(i) / 9.0, ((table[i] >> 16) & 255) / 255.0, ((table[i] >> 8) & 255) / 255.0,
                       (table[i] & 255) / 255.0);
  }
  auto lut = vtkSmartPointer<vtkLookupTable>::New();
  lut->SetNumberOfTableValues(256);
  lut->SetTableRange(low, high);
  for (int i = 0; i < 256; ++i) {
    const double v = low + (high - low) * (i + 0.5) / 256.0;
    double rgb[3];
    ctf->GetColor(v, rgb);
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
  for (int i = 0; i <= maxValue; ++i) lut->SetTableValue(i, 1.0, 1.0, 0.0, i == 0 ? 0.0 : opacity);  // unknown labels: yellow
  for (const LabelColor& c : colors)
    if (c.value > 0)
      lut->SetTableValue(c.value, c.rgb[0] / 255.0, c.rgb[1] / 255.0, c.rgb[2] / 255.0,
                         surfaces ? opacity * std::clamp(c.surfaceOpacity, 0.0, 1.0) : opacity);
  return lut;
}

}  // namespace voxplain::render
