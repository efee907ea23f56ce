#include "figure/ColorMap.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace voxplain {
namespace {

constexpr double kPi = 3.14159265358979323846;
// D65 reference white of the CIELAB conversion.
constexpr double kWhiteX = 0.9505, kWhiteY = 1.0, kWhiteZ = 1.089;

// matplotlib's viridis / inferno at i/9, i = 0..9 (8-bit hex, as d3-scale-chromatic samples them).
const std::array<unsigned, 10> kViridis{0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e,
                                        0x1f9e89, 0x35b779, 0x6ece58, 0xb5de2b, 0xfde725};
const std::array<unsigned, 10> kInferno{0x000004, 0x1b0c41, 0x4a0c6b, 0x781c6d, 0xa52c60,
                                        0xcf4446, 0xed6925, 0xfb9b06, 0xf7d13d, 0xfcffa4};
// Moreland's cool-warm end points and the light grey between them.
constexpr Rgb kCool{0.230, 0.299, 0.754}, kMiddle{0.865, 0.865, 0.865}, kWarm{0.706, 0.016, 0.150};

Rgb fromHex(unsigned hex) {
  return {((hex >> 16) & 255) / 255.0, ((hex >> 8) & 255) / 255.0, (hex & 255) / 255.0};
}

double linearFromSrgb(double c) {
  return c > 0.04045 ? std::pow((c + 0.055) / 1.055, 2.4) : c / 12.92;
}
double srgbFromLinear(double c) {
  return c > 0.0031308 ? 1.055 * std::pow(c, 1.0 / 2.4) - 0.055 : 12.92 * c;
}
double labF(double t) {
  return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116.0;
}
double labFInverse(double f) {
  const double cube = f * f * f;
  return cube > 0.008856 ? cube : (f - 16.0 / 116.0) / 7.787;
}

// Msh: magnitude, saturation and hue of a CIELAB colour (Moreland 2009, section 4.1).
std::array<double, 3> labToMsh(const std::array<double, 3>& lab) {
  const double m = std::sqrt(lab[0] * lab[0] + lab[1] * lab[1] + lab[2] * lab[2]);
  const double s = m > 0.001 ? std::acos(std::clamp(lab[0] / m, -1.0, 1.0)) : 0.0;
  const double h = s > 0.001 ? std::atan2(lab[2], lab[1]) : 0.0;
  return {m, s, h};
}
std::array<double, 3> mshToLab(const std::array<double, 3>& msh) {
  return {msh[0] * std::cos(msh[1]), msh[0] * std::sin(msh[1]) * std::cos(msh[2]),
          msh[0] * std::sin(msh[1]) * std::sin(msh[2])};
}
// The hue an unsaturated colour of magnitude `m` takes next to the saturated `saturated`, so that
// the hue does not jump along the ramp (Moreland 2009, section 4.2).
double adjustedHue(const std::array<double, 3>& saturated, double m) {
  if (saturated[0] >= m - 0.1) return saturated[2];
  const double spin =
      saturated[1] * std::sqrt(m * m - saturated[0] * saturated[0]) / (saturated[0] * std::sin(saturated[1]));
  return saturated[2] > -0.3 * kPi ? saturated[2] + spin : saturated[2] - spin;
}

// From `a` (t = 0) to `b` (t = 1) in Msh space, one of them unsaturated (the grey of "bwr").
Rgb divergingBetween(const Rgb& a, const Rgb& b, double t) {
  std::array<double, 3> first = labToMsh(srgbToLab(a)), second = labToMsh(srgbToLab(b));
  if (first[1] < 0.05 && second[1] > 0.05)
    first[2] = adjustedHue(second, first[0]);
  else if (second[1] < 0.05 && first[1] > 0.05)
    second[2] = adjustedHue(first, second[0]);
  std::array<double, 3> msh{};
  for (int i = 0; i < 3; ++i) msh[std::size_t(i)] = (1 - t) * first[std::size_t(i)] + t * second[std::size_t(i)];
  return labToSrgb(mshToLab(msh));
}

Rgb sequential(const std::array<unsigned, 10>& table, double t) {
  const double at = t * 9.0;
  const std::size_t i = std::min<std::size_t>(std::size_t(at), 8);
  const double f = at - double(i);
  const std::array<double, 3> a = srgbToLab(fromHex(table[i])), b = srgbToLab(fromHex(table[i + 1]));
  return labToSrgb({a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])});
}

}  // namespace

std::vector<std::string> colormapNames() {
  return {"bwr", "viridis", "inferno"};
}

std::array<double, 3> srgbToLab(const Rgb& colour) {
  const double r = linearFromSrgb(colour[0]), g = linearFromSrgb(colour[1]), b = linearFromSrgb(colour[2]);
  const double x = 0.4124 * r + 0.3576 * g + 0.1805 * b;
  const double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const double z = 0.0193 * r + 0.1192 * g + 0.9505 * b;
  const double fx = labF(x / kWhiteX), fy = labF(y / kWhiteY), fz = labF(z / kWhiteZ);
  return {116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)};
}

Rgb labToSrgb(const std::array<double, 3>& lab) {
  const double fy = (lab[0] + 16.0) / 116.0, fx = fy + lab[1] / 500.0, fz = fy - lab[2] / 200.0;
  const double x = kWhiteX * labFInverse(fx), y = kWhiteY * labFInverse(fy), z = kWhiteZ * labFInverse(fz);
  Rgb rgb{srgbFromLinear(3.2406 * x - 1.5372 * y - 0.4986 * z), srgbFromLinear(-0.9689 * x + 1.8758 * y + 0.0415 * z),
          srgbFromLinear(0.0557 * x - 0.2040 * y + 1.0570 * z)};
  // Out of gamut: scaled down to the brightest component, then clipped at 0.
  const double brightest = std::max({rgb[0], rgb[1], rgb[2]});
  for (double& c : rgb) c = std::max(0.0, brightest > 1.0 ? c / brightest : c);
  return rgb;
}

Rgb colormapColor(const std::string& name, double t) {
  t = std::isnan(t) ? 0.0 : std::clamp(t, 0.0, 1.0);
  if (name == "bwr")
    return t < 0.5 ? divergingBetween(kCool, kMiddle, 2 * t) : divergingBetween(kMiddle, kWarm, 2 * t - 1);
  if (name == "viridis") return sequential(kViridis, t);
  if (name == "inferno") return sequential(kInferno, t);
  throw std::invalid_argument("unknown colour map \"" + name + "\" (bwr, viridis or inferno)");
}

std::array<std::uint8_t, 3> toRgb8(const Rgb& colour) {
  std::array<std::uint8_t, 3> out{};
  for (std::size_t i = 0; i < 3; ++i) out[i] = std::uint8_t(std::lround(std::clamp(colour[i], 0.0, 1.0) * 255.0));
  return out;
}

std::string hexColour(const Rgb& colour) {
  const auto c = toRgb8(colour);
  char text[8];
  std::snprintf(text, sizeof text, "#%02x%02x%02x", c[0], c[1], c[2]);
  return text;
}

}  // namespace voxplain
