#include "analysis/SvgCharts.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <sstream>

#include "figure/ColorMap.h"

namespace voxplain {
namespace {

constexpr const char* kFont = "font-family=\"DejaVu Sans, Arial, sans-serif\"";

std::string number(double v) {
  char buf[32];
  const double a = std::abs(v);
  std::snprintf(buf, sizeof buf, a != 0 && (a < 1e-3 || a >= 1e5) ? "%.2e" : a < 1 ? "%.3f" : "%.2f", v);
  return buf;
}

// The matrix colours: viridis as on screen (figure/ColorMap.h).
std::string viridis(double t) {
  return hexColour(colormapColor("viridis", t));
}

std::string header(int width, int height, const std::string& title) {
  std::ostringstream s;
  s << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\""
    << width << "\" height=\"" << height << "\" viewBox=\"0 0 " << width << " " << height
    << "\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"12\" y=\"24\" " << kFont
    << " font-size=\"16\" font-weight=\"bold\">" << xmlEscaped(title) << "</text>\n";
  return s.str();
}

// `text` in lines of at most `columns` characters, broken between words (a longer word gets a line).
std::vector<std::string> wrappedWords(const std::string& text, std::size_t columns) {
  std::vector<std::string> lines{std::string()};
  std::istringstream words(text);
  std::string word;
  while (words >> word) {
    if (!lines.back().empty() && lines.back().size() + 1 + word.size() > columns) lines.emplace_back();
    lines.back() += (lines.back().empty() ? "" : " ") + word;
  }
  return lines;
}

}  // namespace

std::string xmlEscaped(const std::string& text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

std::string matrixSvg(const std::string& title, const std::vector<std::string>& rows,
                      const std::vector<std::string>& cols, const std::vector<std::vector<double>>& values,
                      const std::string& valueLabel, double low, double high) {
  if (!(high > low)) {
    low = INFINITY, high = -INFINITY;
    for (const auto& r : values)
      for (double v : r)
        if (std::isfinite(v)) low = std::min(low, v), high = std::max(high, v);
    if (!(high > low)) high = low + 1;
  }
  std::size_t rowLabel = 40;
  for (const std::string& r : rows) rowLabel = std::max(rowLabel, r.size() * 8 + 20);
  const int cell = 84, top = 110, left = int(rowLabel);
  const int width =
      std::max({left + int(cols.size()) * cell + 110, int(title.size()) * 10 + 24, int(valueLabel.size()) * 7 + 24});
  const int height = top + int(rows.size()) * cell + 40;
  std::ostringstream s;
  s << header(width, height, title);
  s << "<defs><pattern id=\"none\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\"><rect width=\"8\" "
       "height=\"8\" fill=\"#ddd\"/>"
       "<path d=\"M0,8 L8,0\" stroke=\"#999\"/></pattern></defs>\n";
  for (std::size_t c = 0; c < cols.size(); ++c) {
    const int x = left + int(c) * cell + cell / 2;
    s << "<text " << kFont << " font-size=\"12\" transform=\"translate(" << x << "," << top - 8 << ") rotate(-35)\">"
      << xmlEscaped(cols[c]) << "</text>\n";
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const int y = top + int(r) * cell;
    s << "<text " << kFont << " font-size=\"12\" x=\"" << left - 8 << "\" y=\"" << y + cell / 2 + 4
      << "\" text-anchor=\"end\">" << xmlEscaped(rows[r]) << "</text>\n";
    for (std::size_t c = 0; c < cols.size(); ++c) {
      const int x = left + int(c) * cell;
      const double v = r < values.size() && c < values[r].size() ? values[r][c] : NAN;
      const double t = (v - low) / (high - low);
      s << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << cell - 2 << "\" height=\"" << cell - 2
        << "\" fill=\"" << (std::isfinite(v) ? viridis(t) : "url(#none)") << "\"/>\n";
      if (std::isfinite(v))
        s << "<text " << kFont << " font-size=\"13\" x=\"" << x + cell / 2 - 1 << "\" y=\"" << y + cell / 2 + 4
          << "\" text-anchor=\"middle\" fill=\"" << (t > 0.6 ? "black" : "white") << "\">" << number(v) << "</text>\n";
    }
  }
  // Colour bar.
  const int bx = left + int(cols.size()) * cell + 20, bh = std::max(cell * int(rows.size()) - 2, 80);
  for (int i = 0; i < 32; ++i)
    s << "<rect x=\"" << bx << "\" y=\"" << top + bh - (i + 1) * bh / 32 << "\" width=\"16\" height=\"" << bh / 32 + 1
      << "\" fill=\"" << viridis((i + 0.5) / 32.0) << "\"/>\n";
  s << "<text " << kFont << " font-size=\"11\" x=\"" << bx + 20 << "\" y=\"" << top + 10 << "\">" << number(high)
    << "</text>\n";
  s << "<text " << kFont << " font-size=\"11\" x=\"" << bx + 20 << "\" y=\"" << top + bh << "\">" << number(low)
    << "</text>\n";
  s << "<text " << kFont << " font-size=\"12\" x=\"12\" y=\"" << height - 12 << "\">" << xmlEscaped(valueLabel)
    << "</text>\n</svg>\n";
  return s.str();
}

std::optional<double> BarChart::value(const std::string& seriesName, const std::string& category) const {
  const auto c = std::find(categories.begin(), categories.end(), category);
  if (c == categories.end()) return std::nullopt;
  const std::size_t index = std::size_t(c - categories.begin());
  for (const BarSeries& s : series)
    if (s.name == seriesName && index < s.values.size()) return s.values[index];
  return std::nullopt;
}

void BarChart::rankByFirstSeries() {
  if (series.empty()) return;
  const std::vector<double>& key = series.front().values;
  std::vector<std::size_t> order(categories.size());
  std::iota(order.begin(), order.end(), 0);
  const auto at = [&](std::size_t i) { return i < key.size() && std::isfinite(key[i]) ? key[i] : -INFINITY; };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return at(a) > at(b); });
  const auto permuted = [&](const std::vector<double>& v) {
    if (v.empty()) return v;
    std::vector<double> out;
    for (std::size_t i : order) out.push_back(i < v.size() ? v[i] : NAN);
    return out;
  };
  std::vector<std::string> ranked;
  for (std::size_t i : order) ranked.push_back(categories[i]);
  categories = std::move(ranked);
  for (BarSeries& s : series) {
    s.values = permuted(s.values);
    s.errors = permuted(s.errors);
  }
}

std::string barChartSvg(const BarChart& chart, int width) {
  // Series colours: viridis-like, the first the single-series blue of every earlier figure.
  static const std::array<const char*, 8> palette{"#3b528b", "#5ec962", "#21918c", "#fde725",
                                                  "#440154", "#e66101", "#b2abd2", "#7f7f7f"};
  const std::size_t nSeries = std::max<std::size_t>(1, chart.series.size());
  const auto errorOf = [&](const BarSeries& s, std::size_t i) {
    return i < s.errors.size() && s.errors[i] > 0 ? s.errors[i] : 0.0;
  };
  double lo = 0, hi = 0;
  for (const BarSeries& s : chart.series)
    for (std::size_t i = 0; i < s.values.size(); ++i)
      if (std::isfinite(s.values[i]))
        lo = std::min(lo, s.values[i] - errorOf(s, i)), hi = std::max(hi, s.values[i] + errorOf(s, i));
  if (!(hi > lo)) hi = lo + 1;
  std::size_t labelWidth = 40;
  for (const std::string& l : chart.categories) labelWidth = std::max(labelWidth, l.size() * 8 + 20);
  const int bar = nSeries == 1 ? 22 : std::max(8, 44 / int(nSeries));
  const int left = int(labelWidth), barArea = width > 0 ? std::max(120, width - left - 90) : 420;
  // Laid out for a pane: a title longer than the pane runs on over more lines (bold 16 px ~ 9 px a letter).
  const std::vector<std::string> titleLines =
      width > 0 ? wrappedWords(chart.title, std::size_t(std::max(12, (left + barArea + 66) / 9)))
                : std::vector<std::string>{chart.title};
  const int row = int(nSeries) * bar + 8, top = 48 + 20 * (int(titleLines.size()) - 1);
  const int legendColumns = width > 0 ? std::max(1, std::min(3, (left + barArea) / 170)) : 3;
  const int legendRows = nSeries > 1 ? int((nSeries + legendColumns - 1) / legendColumns) : 0;
  const int titleWidth = width > 0 ? 0 : int(chart.title.size()) * 10 + 24;  // a narrow pane lets a long title run on
  width = std::max({left + barArea + 90, titleWidth});
  const int height = top + int(chart.categories.size()) * row + 50 + legendRows * 20;
  const auto x = [&](double v) { return left + (v - lo) / (hi - lo) * barArea; };
  std::ostringstream s;
  s << header(width, height, titleLines.front());
  for (std::size_t l = 1; l < titleLines.size(); ++l)
    s << "<text x=\"12\" y=\"" << 24 + 20 * int(l) << "\" " << kFont << " font-size=\"16\" font-weight=\"bold\">"
      << xmlEscaped(titleLines[l]) << "</text>\n";
  for (std::size_t k = 0; k < chart.categories.size(); ++k) {
    const int y = top + int(k) * row;
    s << "<text " << kFont << " font-size=\"12\" x=\"" << left - 8 << "\" y=\"" << y + row / 2 + 4
      << "\" text-anchor=\"end\">" << xmlEscaped(chart.categories[k]) << "</text>\n";
    for (std::size_t j = 0; j < chart.series.size(); ++j) {
      const BarSeries& series = chart.series[j];
      if (k >= series.values.size() || !std::isfinite(series.values[k])) continue;
      const double v = series.values[k], e = errorOf(series, k);
      const int by = y + 4 + int(j) * bar;
      s << "<rect x=\"" << std::min(x(0), x(v)) << "\" y=\"" << by << "\" width=\"" << std::abs(x(v) - x(0))
        << "\" height=\"" << bar - 2 << "\" fill=\"" << palette[j % palette.size()] << "\"/>\n";
      double end = std::max(x(0), x(v));
      if (e > 0) {
        const double a = x(v - e), b = x(v + e), mid = by + (bar - 2) / 2.0;
        s << "<path d=\"M" << a << "," << mid << " H" << b << " M" << a << "," << by + 2 << " V" << by + bar - 4 << " M"
          << b << "," << by + 2 << " V" << by + bar - 4 << "\" stroke=\"black\" stroke-width=\"1.2\"/>\n";
        end = std::max(end, b);
      }
      if (bar >= 12)
        s << "<text " << kFont << " font-size=\"11\" x=\"" << end + 6 << "\" y=\"" << by + bar / 2 + 3 << "\">"
          << number(v) << "</text>\n";
    }
  }
  const int axisY = top + int(chart.categories.size()) * row + 4;
  s << "<path d=\"M" << x(0) << "," << top << " V" << axisY << " M" << left << "," << axisY << " H" << left + barArea
    << "\" stroke=\"black\" fill=\"none\"/>\n";
  s << "<text " << kFont << " font-size=\"12\" x=\"" << left << "\" y=\"" << axisY + 20 << "\">" << number(lo)
    << "</text>\n";
  if (lo < 0)
    s << "<text " << kFont << " font-size=\"12\" x=\"" << x(0) << "\" y=\"" << axisY + 20
      << "\" text-anchor=\"middle\">0</text>\n";
  s << "<text " << kFont << " font-size=\"12\" x=\"" << left + barArea << "\" y=\"" << axisY + 20
    << "\" text-anchor=\"end\">" << number(hi) << "</text>\n";
  s << "<text " << kFont << " font-size=\"12\" x=\"" << left + barArea / 2 << "\" y=\"" << axisY + 38
    << "\" text-anchor=\"middle\">" << xmlEscaped(chart.axisLabel) << "</text>\n";
  if (chart.series.size() > 1)
    for (std::size_t j = 0; j < chart.series.size(); ++j) {
      const int lx = left + int(j % std::size_t(legendColumns)) * 170,
                ly = axisY + 50 + int(j / std::size_t(legendColumns)) * 20;
      s << "<rect x=\"" << lx << "\" y=\"" << ly << "\" width=\"12\" height=\"12\" fill=\""
        << palette[j % palette.size()] << "\"/><text " << kFont << " font-size=\"12\" x=\"" << lx + 18 << "\" y=\""
        << ly + 11 << "\">" << xmlEscaped(chart.series[j].name) << "</text>\n";
    }
  s << "</svg>\n";
  return s.str();
}

std::string rankedBarsSvg(const std::string& title, const std::vector<std::string>& labels,
                          const std::vector<double>& values, const std::vector<double>& errors,
                          const std::string& axisLabel) {
  BarChart chart{title, labels, {BarSeries{{}, values, errors}}, axisLabel};
  chart.categories.resize(values.size());
  chart.rankByFirstSeries();
  return barChartSvg(chart);
}

}  // namespace voxplain
