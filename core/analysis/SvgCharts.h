#pragma once
// The analysis figures as standalone SVG 1.1 documents (no toolkit needed, so the headless CLI
// writes them on any machine; the CLI rasterises them to PNG when built with Qt Svg).

#include <optional>
#include <string>
#include <vector>

namespace voxplain {

/// One series of a bar chart: a value per category, and +-error whiskers (empty: none).
struct BarSeries {
  std::string name;
  std::vector<double> values;
  std::vector<double> errors;
};

/// Horizontal bars: one row per category (drawn top to bottom in this order), one bar per series in
/// each row, a legend when there is more than one series. The value axis spans 0 and every value.
struct BarChart {
  std::string title;
  std::vector<std::string> categories;
  std::vector<BarSeries> series;
  std::string axisLabel;
  /// The value of `series` at `category`; nullopt when either is absent.
  std::optional<double> value(const std::string& series, const std::string& category) const;
  /// Reorders the categories (and every series' values and errors with them) by the first series,
  /// largest first; ties keep their order, missing or NaN values go last.
  void rankByFirstSeries();
};

/// The chart as an SVG document (the figure the CLI writes and the app saves). Text is 11-16 px
/// (>= 8 pt at 96 dpi; 12 px = 9 pt for labels and axes). `width` (px) lays the chart out for that
/// width (the bar area shrinks or grows, text keeps its size; at least 120 px of bars): the app
/// redraws its charts at the width of their pane that way. 0 = the figure's own width (420 px of bars).
std::string barChartSvg(const BarChart& chart, int width = 0);

/// A rows x cols heatmap with the value printed in each cell; `values[r][c]` NaN = no value
/// (hatched grey). Colours: viridis from `low` to `high` (high <= low: the data's range).
std::string matrixSvg(const std::string& title, const std::vector<std::string>& rows,
                      const std::vector<std::string>& cols, const std::vector<std::vector<double>>& values,
                      const std::string& valueLabel, double low = 0, double high = 0);

/// One series of horizontal bars, largest first, with +-`errors` whiskers (empty: none) and the
/// value printed (barChartSvg of those bars).
std::string rankedBarsSvg(const std::string& title, const std::vector<std::string>& labels,
                          const std::vector<double>& values, const std::vector<double>& errors,
                          const std::string& axisLabel);

/// Text escaped for XML (&, <, >, ").
std::string xmlEscaped(const std::string& text);

}  // namespace voxplain
