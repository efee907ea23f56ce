#pragma once
// Colour maps shared by every picture Voxplain draws: the attribution overlays on screen (render/),
// the SVG charts and the slice figures of a report (core), so that a figure and the screen agree.
//  - "bwr": diverging blue-white-red for signed maps, symmetric about 0: Moreland's cool-warm end
//    points through a light grey, interpolated in Msh space (K. Moreland, "Diverging Color Maps for
//    Scientific Visualization", ISVC 2009);
//  - "viridis", "inferno": perceptually uniform sequential maps for magnitudes (van der Walt &
//    Smith, matplotlib 2015): 10 control points of matplotlib's tables interpolated in CIELAB.
// Colours are sRGB with components in [0, 1]; CIELAB uses the D65 white point.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace voxplain {

using Rgb = std::array<double, 3>;  ///< sRGB, each component in [0, 1]

/// The known colour map names: "bwr", "viridis", "inferno".
std::vector<std::string> colormapNames();

/// The colour of map `name` at `t` in [0, 1] (clamped; a NaN reads as 0): for "bwr" 0 is the most
/// negative value, 0.5 zero and 1 the most positive. Throws std::invalid_argument naming an unknown
/// map.
Rgb colormapColor(const std::string& name, double t);

/// `colour` as 8-bit components (rounded).
std::array<std::uint8_t, 3> toRgb8(const Rgb& colour);

/// "#rrggbb" of `colour` (for SVG).
std::string hexColour(const Rgb& colour);

/// CIELAB (D65) of an sRGB colour, and back (out-of-gamut results scaled and clipped into [0, 1]).
std::array<double, 3> srgbToLab(const Rgb& colour);
Rgb labToSrgb(const std::array<double, 3>& lab);

}  // namespace voxplain
