#pragma once
// Writing the analysis commands' outputs: text files replaced atomically (a crash never leaves a
// half-written table), figures as SVG and, when the CLI is built with Qt Svg, PNG.

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "runtime/FileStem.h"

namespace voxplain::cli {

/// Writes `text` to dir/name atomically (replacing an older file).
void writeTextFile(const std::filesystem::path& dir, const std::string& name, const std::string& text);

/// dir/stem.svg, and dir/stem.png (at the app's figure DPI) when PNG output is available.
void writeFigure(const std::filesystem::path& dir, const std::string& stem, const std::string& svg);

/// file.png beside file.svg (ui/SvgFigure.h, at the app's figure DPI) when PNG output is
/// available; nothing otherwise.
void writePngOfSvg(const std::filesystem::path& svgFile);

/// True when this build writes PNG figures.
bool pngFiguresAvailable();

}  // namespace voxplain::cli
