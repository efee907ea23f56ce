#pragma once
// Rank-based statistics of the analyses: ROC AUC (Mann-Whitney), Spearman's rank correlation, the
// paired Wilcoxon signed-rank test, percentiles and mean/spread. Ties get mid-ranks throughout.

#include <vector>

#include "volume/Percentile.h"  // percentile(), shared with the display

namespace voxplain {

/// ROC AUC of `positives` against `negatives`: P(pos > neg) + P(pos = neg) / 2, from the rank sum
/// (O(n log n)); -1 if either is empty.
double rocAuc(const std::vector<double>& positives, const std::vector<double>& negatives);

/// Mid-ranks (1-based) of `values`.
std::vector<double> midRanks(const std::vector<double>& values);

/// Spearman's rank correlation in [-1, 1] (Pearson correlation of the mid-ranks); 0 when either
/// side is constant. Throws std::invalid_argument on different lengths or fewer than 2 values.
double spearman(const std::vector<double>& a, const std::vector<double>& b);

struct WilcoxonResult {
  std::size_t n = 0;     ///< pairs with a non-zero difference
  double statistic = 0;  ///< W+ (sum of the ranks of positive differences a - b)
  double z = 0;          ///< normal approximation (tie- and continuity-corrected); 0 when exact
  double p = 1;          ///< two-sided
  bool exact = false;    ///< exact null distribution (n <= 25 and no tied |differences|)
};

/// Paired Wilcoxon signed-rank test of a vs b (Wilcoxon 1945); zero differences are dropped
/// (Wilcoxon's convention, as scipy's default "wilcox"). Throws std::invalid_argument on different
/// lengths.
WilcoxonResult wilcoxonSignedRank(const std::vector<double>& a, const std::vector<double>& b);

struct Spread {
  std::size_t n = 0;
  double mean = 0, sd = 0;  ///< sd: sample standard deviation (n - 1), 0 for n < 2
  double min = 0, max = 0;
};
Spread spreadOf(const std::vector<double>& values);

}  // namespace voxplain
