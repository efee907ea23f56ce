#include "analysis/ImportanceCharts.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace voxplain {
namespace {

std::string titled(const std::string& title, const std::string& method) {
  return method.empty() ? title : title + " (" + method + ")";
}

}  // namespace

std::string segmentName(const SegmentInfo& s, const std::map<int, std::string>& labelNames) {
  const auto it = labelNames.find(s.label);
  if (it != labelNames.end()) return it->second;
  if (!s.name.empty()) return s.name;
  return s.label == 0 ? "background" : "label " + std::to_string(s.label);
}

BarChart modalityImportanceChart(const std::vector<std::string>& modalities, const std::vector<double>& absShare,
                                 const std::vector<double>& shapleyShare, const std::string& method) {
  BarChart chart{titled("Modality importance", method), modalities, {}, "share"};
  if (!absShare.empty()) chart.series.push_back({"share of |A|", absShare, {}});
  if (!shapleyShare.empty()) chart.series.push_back({"Shapley share", shapleyShare, {}});
  return chart;
}

BarChart segmentImportanceChart(const SegmentImportance& importance, const std::string& method,
                                const std::map<int, std::string>& labelNames) {
  BarChart chart{titled("Segment importance, Agg2Exp", method), {}, {}, "share of the target's |A|"};
  for (const SegmentInfo& s : importance.segments) chart.categories.push_back(segmentName(s, labelNames));
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
      chart.series.push_back({segmentName(importance.targets[t], labelNames), shares(t, all), {}});
  }
  chart.rankByFirstSeries();
  return chart;
}

std::string segmentMatrixSvg(const SegmentImportance& importance, const std::string& method,
                             const std::map<int, std::string>& labelNames) {
  std::vector<std::string> targets, segments;
  for (const SegmentInfo& t : importance.targets) targets.push_back(segmentName(t, labelNames));
  for (const SegmentInfo& s : importance.segments) segments.push_back(segmentName(s, labelNames));
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
                 {},
                 std::vector<BarSeries>(targets.size()),
                 "share of |A| (mean, +-1 sd)"};
  for (std::size_t t = 0; t < targets.size(); ++t) chart.series[t].name = targets[t];
  for (const std::string& s : cohort.segments) {
    // One target: only the segments it has a value for; several: every segment (absent: no bar).
    if (targets.size() == 1 && !cohort.cell(targets.front(), s, "all")) continue;
    chart.categories.push_back(s);
    for (std::size_t t = 0; t < targets.size(); ++t) {
      const MergedCell* c = cohort.cell(targets[t], s, "all");
      chart.series[t].values.push_back(c ? c->share.mean : NAN);
      chart.series[t].errors.push_back(c ? c->share.sd : 0.0);
    }
  }
  chart.rankByFirstSeries();
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
