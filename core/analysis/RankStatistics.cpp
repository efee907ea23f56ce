#include "analysis/RankStatistics.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace voxplain {

std::vector<double> midRanks(const std::vector<double>& values) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(values.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]]) ++j;
    const double mid = 0.5 * double(i + j) + 1.0;
    for (std::size_t k = i; k <= j; ++k) ranks[order[k]] = mid;
    i = j + 1;
  }
  return ranks;
}

double rocAuc(const std::vector<double>& positives, const std::vector<double>& negatives) {
  if (positives.empty() || negatives.empty()) return -1;
  std::vector<double> all(positives);
  all.insert(all.end(), negatives.begin(), negatives.end());
  const std::vector<double> ranks = midRanks(all);
  const double np = double(positives.size()), nn = double(negatives.size());
  double sum = 0;
  for (std::size_t i = 0; i < positives.size(); ++i) sum += ranks[i];
  return (sum - np * (np + 1) / 2) / (np * nn);
}

double spearman(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size() || a.size() < 2)
    throw std::invalid_argument("spearman: two series of the same length (>= 2) expected");
  const std::vector<double> ra = midRanks(a), rb = midRanks(b);
  const double mean = 0.5 * double(a.size() + 1);
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (ra[i] - mean) * (rb[i] - mean);
    saa += (ra[i] - mean) * (ra[i] - mean);
    sbb += (rb[i] - mean) * (rb[i] - mean);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
}

WilcoxonResult wilcoxonSignedRank(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) throw std::invalid_argument("wilcoxon: paired series of the same length expected");
  std::vector<double> d, absD;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) {
      d.push_back(a[i] - b[i]);
      absD.push_back(std::abs(a[i] - b[i]));
    }
  WilcoxonResult r;
  r.n = d.size();
  if (r.n == 0) return r;
  const std::vector<double> ranks = midRanks(absD);
  for (std::size_t i = 0; i < d.size(); ++i)
    if (d[i] > 0) r.statistic += ranks[i];
  bool ties = false;
  for (double x : ranks) ties = ties || x != std::floor(x);
  std::vector<double> sorted(absD);
  std::sort(sorted.begin(), sorted.end());
  ties = ties || std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end();
  const double n = double(r.n);
  if (r.n <= 25 && !ties) {
    // Exact: the number of subsets of {1..n} with each rank sum (W+ under H0 is uniform over them).
    const int maxSum = int(r.n * (r.n + 1) / 2);
    std::vector<double> count(std::size_t(maxSum + 1), 0.0);
    count[0] = 1;
    for (int k = 1; k <= int(r.n); ++k)
      for (int s = maxSum; s >= k; --s) count[std::size_t(s)] += count[std::size_t(s - k)];
    const double total = std::pow(2.0, n);
    const double w = std::min(r.statistic, double(maxSum) - r.statistic);
    double tail = 0;
    for (int s = 0; s <= int(std::floor(w + 1e-9)); ++s) tail += count[std::size_t(s)];
    r.p = std::min(1.0, 2.0 * tail / total);
    r.exact = true;
    return r;
  }
  const double mean = n * (n + 1) / 4;
  double var = n * (n + 1) * (2 * n + 1) / 24;
  std::vector<double> r2(ranks);
  std::sort(r2.begin(), r2.end());
  for (std::size_t i = 0; i < r2.size();) {  // tie correction: sum (t^3 - t) / 48
    std::size_t j = i;
    while (j + 1 < r2.size() && r2[j + 1] == r2[i]) ++j;
    const double t = double(j - i + 1);
    var -= (t * t * t - t) / 48;
    i = j + 1;
  }
  if (var <= 0) return r;
  const double diff = r.statistic - mean;
  const double corrected = std::max(0.0, std::abs(diff) - 0.5);
  r.z = (diff < 0 ? -1.0 : 1.0) * corrected / std::sqrt(var);
  r.p = std::min(1.0, std::erfc(std::abs(r.z) / std::sqrt(2.0)));
  return r;
}

Spread spreadOf(const std::vector<double>& values) {
  Spread s;
  s.n = values.size();
  if (values.empty()) return s;
  s.mean = std::accumulate(values.begin(), values.end(), 0.0) / double(s.n);
  s.min = *std::min_element(values.begin(), values.end());
  s.max = *std::max_element(values.begin(), values.end());
  if (s.n > 1) {
    double ss = 0;
    for (double v : values) ss += (v - s.mean) * (v - s.mean);
    s.sd = std::sqrt(ss / double(s.n - 1));
  }
  return s;
}

}  // namespace voxplain
