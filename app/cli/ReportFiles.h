#pragma once
// Writing the analysis commands' outputs: text files replaced atomically (a crash never leaves a
// half-written table), figures as SVG and, when the CLI is built with Qt Svg, PNG.

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace voxplain::cli {

/// Writes `text` to dir/name atomically (replacing an older file).
void writeTextFile(const std::filesystem::path& dir, const std::string& name, const std::string& text);

/// dir/stem.svg, and dir/stem.png (rendered at 2x) when PNG output is available.
void writeFigure(const std::filesystem::path& dir, const std::string& stem, const std::string& svg);

/// True when this build writes PNG figures.
bool pngFiguresAvailable();

/// File-name-safe version of a label ("Grad-CAM++ [dec1]" -> "Grad-CAM___dec1_").
std::string fileStem(const std::string& text);

}  // namespace voxplain::cli
