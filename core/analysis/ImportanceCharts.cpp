#include "analysis/ImportanceCharts.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace voxplain {
namespace {

std::string nameOf(const SegmentInfo& s, const std::map<int, std::string>& labelNames) {
  const auto it = labelNames.find(s.label);
  if (it != labelNames.end()) return it->second;
  if (!s.name.empty()) return s.name;
  return s.label == 0 ? "background" : "label " + std::to_string(s.label);
}

std::string titled(const std::string& title, const std::string& method) {
  return method.empty() ? title : title + " (" + method + ")";
}

/// Sorts the chart's categories (and every series with them) by the first series, largest first.
void rankByFirstSeries(BarChart& chart) {
  if (chart.series.empty()) return;
  const std::vector<double>& key = chart.series.front().values;
  std::vector<std::size_t> order(chart.categories.size());
  std::iota(order.begin(), order.end(), 0);
  const auto at = [&](std::size_t i) { return i < key.size() && std::isfinite(key[i]) ? key[i] : -INFINITY; };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return at(a) > at(b); });
  const auto permuted = [&](const std::vector<double>& v) {
    if (v.empty()) return v;
    std::vector<double> out;
    for (std::size_t i : order) out.push_back(i < v.size() ? v[i] : NAN);
    return out;
  };
  std::vector<std::string> categories;
  for (std::size_t i : order) categories.push_back(chart.categories[i]);
  chart.categories = std::move(categories);
  for (BarSeries& s : chart.series) {
    s.values = permuted(s.values);
    s.errors = permuted(s.errors);
  }
}

}  // namespace

BarChart modalityImportanceChart(const std::vector<std::string>& modalities, const std::vector<double>& absShare,
                                 const std::vector<double>& shapleyShare, const std::string& method) {
  BarChart chart{titled("Modality importance", method), modalities, {{"share of |A|", absShare, {}}}, "share"};
  if (!shapleyShare.empty()) chart.series.push_back({"Shapley share", shapleyShare, {}});
  return chart;
}

BarChart segmentImportanceChart(const SegmentImportance& importance, const std::string& method,
                                const std::map<int, std::string>& labelNames) {
  BarChart chart{titled("Segment importance, Agg2Exp", method), {}, {}, "share of the target's |A|"};
  for (const SegmentInfo& s : importance.segments) chart.categories.push_back(nameOf(s, labelNames));
  const std::size_t all = importance.modalities.size();  // the cells' "all modalities" index
  const auto shares = [&](std::size_t t, std::size_t k) {
    std::vector<double> v;
    for (std::size_t s = 0; s < importance.segments.size(); ++s)
      v.push_back(t < importance.cells.size() && s < importance.cells[t].size() && k < importance.cells[t][s].size()
                      ? importance.cells[t][s][k].share
                      : NAN);
    return v;
  };
  if (importance.targets.size() == 1) {
    // "all modalities" first: it ranks the segments.
    chart.series.push_back({"all modalities", shares(0, all), {}});
    for (std::size_t k = 0; k < all; ++k) chart.series.push_back({importance.modalities[k], shares(0, k), {}});
  } else {
    for (std::size_t t = 0; t < importance.targets.size(); ++t)
      chart.series.push_back({nameOf(importance.targets[t], labelNames), shares(t, all), {}});
  }
  rankByFirstSeries(chart);
  return chart;
}

std::string segmentMatrixSvg(const SegmentImportance& importance, const std::string& method,
                             const std::map<int, std::string>& labelNames) {
  std::vector<std::string> targets, segments;
  for (const SegmentInfo& t : importance.targets) targets.push_back(nameOf(t, labelNames));
  for (const SegmentInfo& s : importance.segments) segments.push_back(nameOf(s, labelNames));
  const std::size_t all = importance.modalities.size();
  std::vector<std::vector<double>> matrix(targets.size(), std::vector<double>(segments.size(), NAN));
  for (std::size_t t = 0; t < targets.size() && t < importance.cells.size(); ++t)
    for (std::size_t s = 0; s < segments.size() && s < importance.cells[t].size(); ++s)
      if (all < importance.cells[t][s].size()) matrix[t][s] = importance.cells[t][s][all].share;
  return matrixSvg(titled("Class x segment: share of |A|, all modalities", method), targets, segments, matrix,
                   "Share of the target class's |A| (rows) in each predicted segment (columns)", 0, 1);
}

std::string cohortDescription(const CohortSummary& cohort) {
  const std::string method = cohort.provenance.is_object() ? cohort.provenance.value("method", "") : "";
  const std::string n = std::to_string(cohort.cases.size()) + (cohort.cases.size() == 1 ? " case" : " cases");
  return method.empty() ? n : method + ", " + n;
}

BarChart cohortModalityChart(const CohortSummary& cohort) {
  BarChart chart{"Modality importance (" + cohortDescription(cohort) + ")",
                 {},
                 {{"mean share of |A|", {}, {}}},
                 "share of |A| (mean, +-1 sd)"};
  for (const MergedModality& m : cohort.modalityImportance) {
    chart.categories.push_back(m.name);
    chart.series[0].values.push_back(m.absShare.mean);
    chart.series[0].errors.push_back(m.absShare.sd);
  }
  return chart;
}

BarChart cohortSegmentChart(const CohortSummary& cohort, const std::vector<std::string>& targets) {
  BarChart chart{targets.size() == 1 ? "Segments driving '" + targets.front() + "' (" + cohortDescription(cohort) + ")"
                                     : "Segment importance, Agg2Exp (" + cohortDescription(cohort) + ")",
                 cohort.segments,
                 {},
                 "share of |A| (mean, +-1 sd)"};
  for (const std::string& t : targets) {
    BarSeries series{t, {}, {}};
    for (const std::string& s : cohort.segments) {
      const MergedCell* c = cohort.cell(t, s, "all");
      series.values.push_back(c ? c->share.mean : NAN);
      series.errors.push_back(c ? c->share.sd : 0.0);
    }
    chart.series.push_back(std::move(series));
  }
  rankByFirstSeries(chart);
  // One target: only the segments it has a value for.
  if (targets.size() == 1) {
    BarChart kept{chart.title, {}, {BarSeries{targets.front(), {}, {}}}, chart.axisLabel};
    for (std::size_t i = 0; i < chart.categories.size(); ++i)
      if (std::isfinite(chart.series[0].values[i])) {
        kept.categories.push_back(chart.categories[i]);
        kept.series[0].values.push_back(chart.series[0].values[i]);
        kept.series[0].errors.push_back(chart.series[0].errors[i]);
      }
    return kept;
  }
  return chart;
}

std::string cohortMatrixSvg(const CohortSummary& cohort) {
  std::vector<std::vector<double>> matrix;
  for (const std::string& t : cohort.targets) {
    std::vector<double> row;
    for (const std::string& s : cohort.segments) {
      const MergedCell* c = cohort.cell(t, s, "all");
      row.push_back(c ? c->share.mean : NAN);
    }
    matrix.push_back(row);
  }
  return matrixSvg("Segment importance (" + cohortDescription(cohort) + ")", cohort.targets, cohort.segments, matrix,
                   "Mean share of |A| of the target class (rows) in each predicted segment (columns), all modalities",
                   0, 1);
}

}  // namespace voxplain
