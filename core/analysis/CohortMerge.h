#pragma once
// Merging per-case Agg^2Exp results (analysis/SegmentImportance.h) of a cohort that ran in shards
// (`voxplain-cli aggregate --shard I/N` on many machines) into mean and spread per cell.
// Cells are matched by (target, segment, modality) names; a case where a segment was not predicted
// does not count for that cell (its n is smaller), as a share of an absent structure is undefined.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/RankStatistics.h"

namespace voxplain {

struct MergedCell {
  std::string target, segment, modality;
  Spread share, mean, perMm3, signedSum, positiveShare, negativeShare;
};

struct MergedModality {
  std::string name;
  Spread absShare, shapley;
};

struct CohortSummary {
  std::vector<std::string> cases;                          ///< sorted case ids
  std::vector<std::string> targets, segments, modalities;  ///< in first-seen order; modalities end with "all"
  std::vector<MergedCell> cells;
  std::vector<MergedModality> modalityImportance;
  nlohmann::json provenance;  ///< model, method, parameters (the same for every case)
  const MergedCell* cell(const std::string& target, const std::string& segment, const std::string& modality) const;
  nlohmann::json toJson() const;
  std::string toCsv() const;
};

/// Merges case records {"case", "model": {"sha256"}, "method", "parameters", "segment_importance",
/// "modality_importance"?}. Throws std::invalid_argument on a duplicate case id or cases made with
/// another model, method or parameters (a cohort mixes nothing silently), or no cases at all.
CohortSummary mergeCases(const std::vector<nlohmann::json>& cases);

}  // namespace voxplain
