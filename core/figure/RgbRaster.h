#pragma once
// A picture as 8-bit RGB pixels (figure/SliceFigure.h draws them, io/PngFile.h writes them).

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace voxplain {

/// 8-bit sRGB pixels, rows from the top, 3 bytes per pixel (rgb.size() == 3 * width * height).
struct RgbRaster {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgb;
  std::array<std::uint8_t, 3> pixel(int x, int y) const {
    const std::size_t i = 3 * (std::size_t(y) * std::size_t(width) + std::size_t(x));
    return {rgb[i], rgb[i + 1], rgb[i + 2]};
  }
};

}  // namespace voxplain
