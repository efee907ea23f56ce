#pragma once
// The analysis figures as standalone SVG 1.1 documents (no toolkit needed, so the headless CLI
// writes them on any machine; the CLI rasterises them to PNG when built with Qt Svg).

#include <string>
#include <vector>

namespace voxplain {

/// A rows x cols heatmap with the value printed in each cell; `values[r][c]` NaN = no value
/// (hatched grey). Colours: viridis from `low` to `high` (high <= low: the data's range).
std::string matrixSvg(const std::string& title, const std::vector<std::string>& rows, const std::vector<std::string>& cols,
                      const std::vector<std::vector<double>>& values, const std::string& valueLabel, double low = 0, double high = 0);

/// Horizontal bars, largest first, with +-`errors` whiskers (empty: none) and the value printed.
std::string rankedBarsSvg(const std::string& title, const std::vector<std::string>& labels, const std::vector<double>& values,
                          const std::vector<double>& errors, const std::string& axisLabel);

/// Text escaped for XML (&, <, >, ").
std::string xmlEscaped(const std::string& text);

}  // namespace voxplain
